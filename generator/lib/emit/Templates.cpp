//===- Templates.cpp - file skeletons from templates/ ----------------------===//
#include "gotramp/emit/Templates.h"

#include <set>
#include <utility>

namespace gotramp {

namespace {
const std::pair<const char *, const char *> EmbeddedTemplates[] = {
#include "GeneratedTemplates.inc"
};
} // namespace

llvm::Expected<std::string> expandTemplate(llvm::StringRef Name,
                                           const std::map<std::string, std::string> &Values) {
  const char *Body = nullptr;
  for (const auto &[TemplateName, Text] : EmbeddedTemplates)
    if (Name == TemplateName)
      Body = Text;
  if (!Body)
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   "no template named '" + Name + "'");
  llvm::StringRef Rest(Body);
  std::string Out;
  std::set<std::string> Used;
  while (true) {
    size_t Open = Rest.find("{{");
    if (Open == llvm::StringRef::npos)
      break;
    size_t Close = Rest.find("}}", Open);
    if (Close == llvm::StringRef::npos)
      return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                     "template '" + Name + "': unterminated placeholder");
    Out += Rest.substr(0, Open).str();
    std::string Key = Rest.substr(Open + 2, Close - Open - 2).str();
    auto It = Values.find(Key);
    if (It == Values.end())
      return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                     "template '" + Name + "': no value for {{" + Key + "}}");
    Out += It->second;
    Used.insert(Key);
    Rest = Rest.substr(Close + 2);
  }
  Out += Rest.str();
  for (const auto &[Key, Value] : Values)
    if (!Used.count(Key))
      return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                     "template '" + Name + "' has no {{" + Key + "}}");
  return Out;
}

} // namespace gotramp
