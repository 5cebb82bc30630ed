//===- IR.cpp - gotramp module IR helpers ---------------------------------===//
#include "gotramp/ir/IR.h"

namespace gotramp {

std::string SourceLocation::str() const {
  if (!isValid())
    return "<unknown>";
  // DWARF records no column: "file:line" then, as compilers print it.
  std::string S = File + ":" + std::to_string(Line);
  return Column ? S + ":" + std::to_string(Column) : S;
}

const Record *Module::findRecord(const std::string &Name) const {
  for (const Record &R : Records)
    if (R.Name == Name)
      return &R;
  return nullptr;
}

const Enum *Module::findEnum(const std::string &Name) const {
  for (const Enum &E : Enums)
    if (E.Name == Name)
      return &E;
  return nullptr;
}

std::string declarator(const Type &T, const std::string &Name) {
  std::string S = T.Spelling;
  if (Name.empty())
    return S;
  // A function pointer spelled inline names its parameter inside the
  // parentheses: "int (*compar)(const void *, const void *)".
  if (T.Kind == TypeKind::FunctionPointer)
    if (size_t At = S.find("(*)"); At != std::string::npos)
      return S.substr(0, At + 2) + Name + S.substr(At + 2);
  // An array's bounds follow the name: "unsigned char bytes[8]".
  std::string Bounds;
  if (T.Kind == TypeKind::Array)
    if (size_t At = S.find('['); At != std::string::npos) {
      Bounds = S.substr(At);
      S.erase(At);
    }
  if (!S.empty() && S.back() != '*' && S.back() != ' ')
    S += ' ';
  return S + Name + Bounds;
}

std::string cPrototype(const Function &F) {
  std::string S = declarator(F.Result, F.Name) + "(";
  for (size_t I = 0; I < F.Params.size(); ++I) {
    if (I)
      S += ", ";
    S += declarator(F.Params[I].Ty, F.Params[I].Name);
  }
  if (F.IsVariadic)
    S += F.Params.empty() ? "..." : ", ...";
  else if (F.Params.empty())
    S += "void";
  return S + ")";
}

} // namespace gotramp
