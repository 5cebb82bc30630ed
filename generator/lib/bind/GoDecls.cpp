//===- GoDecls.cpp - the Go declarations of constants, enums and records ---===//
//
// Resolves, once, every Go name and type the Go file declares besides the
// functions: constants (with the config's renames), enum types and their
// constants, and the Go struct of every C record (abi/GoTypes.cpp), plus
// the standard imports those and the bound signatures need. The emitters
// print the result and never ask abi/ again.
//
//===----------------------------------------------------------------------===//
#include "gotramp/bind/Bind.h"

#include "gotramp/abi/GoTypes.h"
#include "gotramp/support/Naming.h"

namespace gotramp {
namespace {

std::string constantName(const std::map<std::string, std::string> &Renames,
                         const std::string &CName) {
  auto It = Renames.find(CName);
  return It != Renames.end() ? It->second : goConstantName(CName);
}

} // namespace

GoDecls resolveGoDecls(const Module &Types, const std::map<std::string, std::string> &Renames) {
  GoDecls Out;
  for (const Constant &C : Types.Constants)
    Out.Constants.push_back({C, constantName(Renames, C.Name)});
  for (const Enum &E : Types.Enums) {
    auto GT = goTypeFor(E.Underlying, Types);
    if (!GT) {
      // No Go integer type for it: the enum is left out of the Go file.
      llvm::consumeError(GT.takeError());
      continue;
    }
    GoEnumDecl D{E, goEnumTypeName(E), GT->Spelling, {}};
    for (const EnumConstant &C : E.Constants)
      D.ConstantNames.push_back(constantName(Renames, C.Name));
    Out.Enums.push_back(std::move(D));
  }
  for (const Record &R : Types.Records) {
    GoStruct S = goStructFor(R, Types);
    Out.UsesStructs |= !S.Opaque;
    Out.RecordsUseUnsafe |= S.UsesUnsafe;
    Out.Records.push_back({R, std::move(S)});
  }
  return Out;
}

} // namespace gotramp
