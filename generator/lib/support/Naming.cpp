//===- Naming.cpp - C names -> Go names -------------------------------------===//
#include "gotramp/support/Naming.h"

#include "llvm/ADT/STLExtras.h"
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

bool isAssemblerName(llvm::StringRef Name) {
  // Every register, pseudo-register (SB, FP, PC, SP), arm64 special operand
  // (EQ, C, PLDL1KEEP, ...), system register (MIDR_EL1, NZCV, ...) and
  // textflag.h or funcdata.h macro (NOSPLIT, NO_LOCAL_POINTERS) of the amd64
  // and arm64 assemblers has no lower-case letter, with the exceptions
  // below. Any such name is taken, not only today's: each Go release adds
  // system registers and operands, and one would break a package that built.
  // None ends in '_', the suffix goParamName escapes with.
  if (Name.empty() || Name.ends_with("_"))
    return false;
  if (llvm::none_of(Name, llvm::isLower))
    return true;
  // The mixed-case ones: g (R14 / R28), the arm64 system registers CurrentEL,
  // SPSel, SPSR_abt... and APIAKeyHi_EL1..., the operands DAIFSet and
  // DAIFClr, funcdata.h's PCDATA_*, FUNCDATA_* and ArgsSizeUnknown, and the
  // macros `go build` passes with -D (GOOS_linux, GOARCH_amd64, GOAMD64_v1).
  if (llvm::is_contained({"g", "CurrentEL", "SPSel", "DAIFSet", "DAIFClr", "ArgsSizeUnknown"},
                         Name))
    return true;
  if (Name.starts_with("SPSR_") || Name.starts_with("PCDATA_") || Name.starts_with("FUNCDATA_"))
    return true;
  if (size_t EL = Name.rfind("_EL"); EL != llvm::StringRef::npos && EL + 3 < Name.size() &&
                                      llvm::all_of(Name.drop_front(EL + 3), llvm::isDigit))
    return true;
  llvm::StringRef Word = Name.take_until([](char C) { return C == '_'; });
  return Word.size() < Name.size() && Word.starts_with("GO") &&
         llvm::none_of(Word, llvm::isLower);
}

bool isReservedParamName(llvm::StringRef Name) {
  // "ret" is asmdecl's name for an unnamed result; the predeclared
  // identifiers used in the declaration must not be shadowed either.
  return isGoKeyword(Name) || isAssemblerName(Name) ||
         llvm::StringSwitch<bool>(Name)
             .Cases("_", "ret", "unsafe", "bool", "byte", "uintptr", "string", true)
             .Cases("int", "int8", "int16", "int32", "int64", true)
             .Cases("uint", "uint8", "uint16", "uint32", "uint64", true)
             .Cases("float32", "float64", true)
             .Default(false);
}

std::string goParamName(llvm::StringRef CName, unsigned Index) {
  // Outside ASCII, C takes characters in identifiers that Go does not
  // (U+00B7 '\xC2\xB7'): such a name is not worth the risk.
  if (CName.empty() || CName == "_" ||
      llvm::any_of(CName, [](char C) { return static_cast<unsigned char>(C) >= 0x80; }))
    return "p" + std::to_string(Index);
  // No reserved name ends in '_', so one is enough.
  return isReservedParamName(CName) ? CName.str() + "_" : CName.str();
}

} // namespace gotramp
