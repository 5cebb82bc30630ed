//===- TrampolineAMD64.cpp - Go ABI0 -> System V x86-64 ---------------------===//
//
// Instruction selection for linux/amd64 trampolines. The frame shape
// (ARCHITECTURE.md fact 4): load the arguments from Go's frame, keep Go's SP
// in R12 (callee-saved in C), move SP to the top of the reserved frame, align
// it to 16 and call; the C code grows down into the frame.
//
//===----------------------------------------------------------------------===//
#include "gotramp/Trampolines.h"

namespace gotramp {
namespace {

llvm::Expected<std::string> loadArgAMD64(const ArgMove &M) {
  const std::string Src = frameOperand(M.From), Dst = M.To.Register;
  if (M.To.Class == RegClass::Float)
    return (M.IsFloat32 ? "MOVSS " : "MOVSD ") + Src + ", " + Dst;
  switch (M.From.Size) {
  case 1:
    return (M.Ext == Extension::Sign ? "MOVBQSX " : "MOVBQZX ") + Src + ", " + Dst;
  case 2:
    return (M.Ext == Extension::Sign ? "MOVWQSX " : "MOVWQZX ") + Src + ", " + Dst;
  case 4:
    return "MOVL " + Src + ", " + Dst;
  case 8:
    return "MOVQ " + Src + ", " + Dst;
  }
  return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                 "no amd64 load for a " + std::to_string(M.From.Size) +
                                     "-byte argument");
}

llvm::Expected<std::string> storeResultAMD64(const ResultMove &M) {
  const std::string Dst = frameOperand(M.To), Src = M.From.Register;
  if (M.From.Class == RegClass::Float)
    return (M.IsFloat32 ? "MOVSS " : "MOVSD ") + Src + ", " + Dst;
  static const char *Mov[] = {nullptr, "MOVB ", "MOVW ", nullptr, "MOVL ",
                              nullptr, nullptr,  nullptr, "MOVQ "};
  if (M.To.Size > 8 || !Mov[M.To.Size])
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   "no amd64 store for a " + std::to_string(M.To.Size) +
                                       "-byte result");
  return Mov[M.To.Size] + Src + ", " + Dst;
}

std::string extensionNote(const ArgMove &M) {
  switch (M.Ext) {
  case Extension::Sign:
    return ", sign-extended as clang callees assume";
  case Extension::Zero:
    return ", zero-extended as clang callees assume";
  case Extension::None:
    return "";
  }
  return "";
}

} // namespace

llvm::Expected<std::vector<TrampolineInstr>> trampolineBodyAMD64(const BoundFunction &BF) {
  std::vector<TrampolineInstr> Body;
  for (const ArgMove &M : BF.Low.Args) {
    auto I = loadArgAMD64(M);
    if (!I)
      return I.takeError();
    Body.push_back({*I, M.From.Name + ": " + ordinal(M.To.Index + 1) +
                            (M.To.Class == RegClass::Float ? " floating-point" : " integer") +
                            " argument" + extensionNote(M)});
  }
  uint64_t Frame = BF.Frame.Bytes;
  Body.push_back({"MOVQ SP, R12", "Go's SP, callee-saved in C"});
  Body.push_back({"ADDQ $" + std::to_string(Frame) + ", SP",
                  "C runs on the top of this frame, growing down into it"});
  Body.push_back({"ANDQ $~15, SP", "C ABI: 16-byte aligned at the CALL"});
  Body.push_back({"CALL " + BF.Fn.Symbol + "(SB)", ""});
  Body.push_back({"MOVQ R12, SP", "back to Go's SP"});
  if (BF.Low.Result) {
    auto I = storeResultAMD64(*BF.Low.Result);
    if (!I)
      return I.takeError();
    Body.push_back({*I, ""});
  }
  Body.push_back({"RET", ""});
  return Body;
}

} // namespace gotramp
