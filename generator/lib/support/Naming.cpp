//===- Naming.cpp - C names -> Go names -------------------------------------===//
#include "gotramp/support/Naming.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringSwitch.h"

namespace gotramp {

std::string goExportedName(llvm::StringRef CName) {
  std::string Out;
  llvm::SmallVector<llvm::StringRef, 8> Parts;
  CName.split(Parts, '_', /*MaxSplit=*/-1, /*KeepEmpty=*/false);
  for (llvm::StringRef Part : Parts) {
    Out += llvm::toUpper(Part.front());
    Out += Part.drop_front().str();
  }
  // "_1x" would give "1x": not an identifier, and not exported.
  if (Out.empty() || !llvm::isAlpha(Out.front()))
    Out = "X" + Out;
  return Out;
}

std::string goConstantName(llvm::StringRef CName) {
  if (!CName.empty() && llvm::isUpper(CName.front()))
    return CName.str();
  return goExportedName(CName);
}

bool isGoKeyword(llvm::StringRef Word) {
  return llvm::StringSwitch<bool>(Word)
      .Cases("break", "case", "chan", "const", "continue", "default", "defer", true)
      .Cases("else", "fallthrough", "for", "func", "go", "goto", "if", true)
      .Cases("import", "interface", "map", "package", "range", "return", true)
      .Cases("select", "struct", "switch", "type", "var", true)
      .Default(false);
}

std::string goParamName(llvm::StringRef CName, unsigned Index) {
  if (CName.empty())
    return "p" + std::to_string(Index);
  // "ret" is asmdecl's name for an unnamed result and "g" is a register
  // to the Go assembler (`g+8(FP)` does not parse); the predeclared
  // identifiers used in the declaration must not be shadowed either.
  bool Reserved = isGoKeyword(CName) ||
                  llvm::StringSwitch<bool>(CName)
                      .Cases("ret", "g", "unsafe", "bool", "byte", "uintptr", true)
                      .Cases("int", "int8", "int16", "int32", "int64", true)
                      .Cases("uint", "uint8", "uint16", "uint32", "uint64", true)
                      .Cases("float32", "float64", true)
                      .Default(false);
  return Reserved ? CName.str() + "_" : CName.str();
}

} // namespace gotramp
