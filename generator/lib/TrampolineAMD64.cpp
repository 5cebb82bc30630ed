//===- TrampolineAMD64.cpp - Go ABI0 -> System V x86-64 ---------------------===//
//
// Instruction selection for linux/amd64 trampolines. The frame shape
// (ARCHITECTURE.md fact 4): load the arguments from Go's frame, keep Go's SP
// in R12 (callee-saved in C), move SP to the top of the reserved frame, align
// it to 16 and call; the C code grows down into the frame.
//
// Go's prologue pushes the caller's BP at the top of the frame: with TEXT
// frame F, 0(SP)..F(SP) is ours and F(SP) holds that BP. SP at the CALL is at
// most F(SP), so the return address the CALL pushes, and everything the C
// code writes, lands below the saved BP. Go keeps SP only 8-byte aligned, so
// rounding down to 16 may cost 8 bytes of the budget; the StackGuard reserve
// Go keeps below every frame absorbs them.
//
// Stack arguments occupy the 16-byte-rounded area at the top of the frame,
// right below the saved BP, slot k at 8*k from SP at the CALL. The TEXT
// frame is the budget plus that area, so the budget below SP is unchanged.
//
//===----------------------------------------------------------------------===//
#include "gotramp/Trampolines.h"

namespace gotramp {
namespace {

uint64_t alignTo16(uint64_t V) { return (V + 15) / 16 * 16; }

llvm::Error noInstruction(const char *What, uint64_t Size) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                 "no amd64 " + std::string(What) + " for a " +
                                     std::to_string(Size) + "-byte value");
}

/// Load of an integer-class value into a 64-bit register, extended as Ext
/// says (MOVL zero-extends to 64 bits).
llvm::Expected<std::string> loadInteger(const FrameSlot &From, Extension Ext,
                                        const std::string &Dst) {
  const std::string Src = frameOperand(From);
  switch (From.Size) {
  case 1:
    return (Ext == Extension::Sign ? "MOVBQSX " : "MOVBQZX ") + Src + ", " + Dst;
  case 2:
    return (Ext == Extension::Sign ? "MOVWQSX " : "MOVWQZX ") + Src + ", " + Dst;
  case 4:
    return (Ext == Extension::Sign ? "MOVLQSX " : "MOVL ") + Src + ", " + Dst;
  case 8:
    return "MOVQ " + Src + ", " + Dst;
  }
  return noInstruction("load", From.Size);
}

llvm::Expected<std::string> loadArgAMD64(const ArgMove &M) {
  if (M.To.Class == RegClass::Float)
    return (M.IsFloat32 ? "MOVSS " : "MOVSD ") + frameOperand(M.From) + ", " + M.To.Register;
  return loadInteger(M.From, M.Ext, M.To.Register);
}

llvm::Expected<std::string> storeResultAMD64(const ResultMove &M) {
  const std::string Dst = frameOperand(M.To), Src = M.From.Register;
  if (M.From.Class == RegClass::Float)
    return (M.IsFloat32 ? "MOVSS " : "MOVSD ") + Src + ", " + Dst;
  static const char *Mov[] = {nullptr, "MOVB ", "MOVW ", nullptr, "MOVL ",
                              nullptr, nullptr,  nullptr, "MOVQ "};
  if (M.To.Size > 8 || !Mov[M.To.Size])
    return noInstruction("store", M.To.Size);
  return Mov[M.To.Size] + Src + ", " + Dst;
}

std::string extensionNote(const ArgMove &M) {
  switch (M.Ext) {
  case Extension::Sign:
    return M.To.OnStack ? ", sign-extended to the slot" : ", sign-extended as clang callees assume";
  case Extension::Zero:
    return M.To.OnStack ? ", zero-extended to the slot" : ", zero-extended as clang callees assume";
  case Extension::None:
    return "";
  }
  return "";
}

std::string argNote(const ArgMove &M) {
  if (M.To.OnStack)
    return M.From.Name + ": " + ordinal(M.To.Index + 1) + " stack slot" + extensionNote(M);
  return M.From.Name + ": " + ordinal(M.To.Index + 1) +
         (M.To.Class == RegClass::Float ? " floating-point" : " integer") + " argument" +
         extensionNote(M);
}

} // namespace

llvm::Expected<TrampolineBody> trampolineBodyAMD64(const BoundFunction &BF) {
  TrampolineBody Out;
  std::vector<TrampolineInstr> &Body = Out.Instrs;
  const uint64_t StackArea = alignTo16(BF.Low.StackArgsBytes);
  // Go keeps SP only 8-byte aligned on amd64, so aligning C's SP down to 16
  // can cost 8 bytes: reserve them, so the native code gets its full budget.
  Out.FrameBytes = BF.Frame.Bytes + 8 + StackArea;

  std::vector<const ArgMove *> StackArgs;
  for (const ArgMove &M : BF.Low.Args) {
    if (M.To.OnStack) {
      StackArgs.push_back(&M);
      continue;
    }
    auto I = loadArgAMD64(M);
    if (!I)
      return I.takeError();
    Body.push_back({*I, argNote(M)});
  }

  if (StackArgs.empty()) {
    Body.push_back({"MOVQ SP, R12", "Go's SP, callee-saved in C"});
    Body.push_back({"ADDQ $" + std::to_string(Out.FrameBytes) + ", SP",
                    "C runs on the top of this frame, growing down into it"});
    Body.push_back({"ANDQ $~15, SP", "C ABI: 16-byte aligned at the CALL"});
  } else {
    // SP cannot move before the copies: name+off(FP) operands are SP-relative.
    Body.push_back({"LEAQ " + std::to_string(Out.FrameBytes - StackArea) + "(SP), R13",
                    "C's SP: the stack-argument area ends below the saved BP"});
    Body.push_back({"ANDQ $~15, R13", "C ABI: 16-byte aligned at the CALL"});
    for (const ArgMove *M : StackArgs) {
      // Float bits travel through AX like integers: the slot holds the
      // value's memory image, the low 4 bytes for a float.
      FrameSlot From = M->From;
      auto I = M->To.Class == RegClass::Float
                   ? loadInteger(From, Extension::None, "AX")
                   : loadInteger(From, M->Ext, "AX");
      if (!I)
        return I.takeError();
      Body.push_back({*I, argNote(*M)});
      Body.push_back({"MOVQ AX, " + std::to_string(M->To.StackOffset) + "(R13)",
                      "at " + std::to_string(M->To.StackOffset) + "(SP) at the CALL"});
    }
    Body.push_back({"MOVQ SP, R12", "Go's SP, callee-saved in C"});
    Body.push_back({"MOVQ R13, SP", "C runs on the top of this frame, growing down into it"});
  }
  Body.push_back({"CALL " + (BF.CallSymbol.empty() ? BF.Fn.Symbol : BF.CallSymbol) + "(SB)", ""});
  Body.push_back({"MOVQ R12, SP", "back to Go's SP"});
  if (BF.Low.Result) {
    auto I = storeResultAMD64(*BF.Low.Result);
    if (!I)
      return I.takeError();
    Body.push_back({*I, ""});
  }
  Body.push_back({"RET", ""});
  return Out;
}

} // namespace gotramp
