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
// Aggregates: R11 holds the address of one in Go's frame (`LEAQ s+8(FP)`,
// which asmdecl accepts for the whole value), each eightbyte is loaded from
// it into its register (an odd size assembled through R10, so no byte past
// the value is read), MEMORY-class ones are copied into the stack-argument
// area through AX, and a result is stored back piece by piece, or written
// by the callee through the hidden pointer in RDI, aimed at Go's result
// slot. A variadic call sets AL last, after the copies that use AX.
//
// The blocking and own-stack paths (runtime-shims/go/shim/shim.go has the
// runtime side) split the work in two, because a function that writes SP
// is marked SPWRITE and the runtime's unwinder throws ("traceback:
// unexpected SPWRITE function") when the GC meets one that is not the
// innermost frame, which these trampolines are while they call Go code
// (the stack pool, or exitsyscall parking the goroutine until a P is free):
//
//   TEXT ·F(SB), $frame-args        no SP write, an ordinary Go frame
//     CALL gotrampshim_stack_acquire(SB) own stack: 0(SP) = a native stack's top
//     CALL gotrampshim_entersyscall(SB)  records this frame's PC and SP: the GC
//                                    scans the stack from here meanwhile
//     load register arguments        (after entersyscall, which clobbers them)
//     R13 = C's SP                   top of this frame (blocking) or the
//                                    native stack's top (own stack), minus the
//                                    stack-argument area; copy those there
//     LEAQ symbol(SB), R11
//     CALL gotrampshim_call_on_stack(SB) shim: MOVQ SP, R12; MOVQ R13, SP;
//                                    CALL R11; MOVQ R12, SP; RET
//     store the result to its slot   (before exitsyscall, which clobbers it)
//     CALL gotrampshim_exitsyscall(SB)   same SP as entersyscall
//     CALL gotrampshim_stack_release(SB) own stack: the top, still at 0(SP)
//     RET
//
// Only the shim's helper writes SP, and it is never on the stack when the
// GC looks (the scan of a goroutine in syscall state starts at the saved
// frame). A blocking frame is sized as a direct one: the native code runs
// in its top part, above the helper's return address at -8(SP). An
// own-stack frame is 8 bytes: the stack top.
//
//===----------------------------------------------------------------------===//
#include "gotramp/Trampolines.h"

namespace gotramp {
namespace {

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
  return noInstruction("amd64", "load", From.Size);
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
    return noInstruction("amd64", "store", M.To.Size);
  return Mov[M.To.Size] + Src + ", " + Dst;
}

std::string argNote(const ArgMove &M) { return argumentNote(M, "as clang callees assume"); }

const char *loadOp(uint64_t Size) {
  switch (Size) {
  case 1: return "MOVBQZX ";
  case 2: return "MOVWQZX ";
  case 4: return "MOVL ";
  case 8: return "MOVQ ";
  }
  return nullptr;
}

const char *storeOp(uint64_t Size) {
  switch (Size) {
  case 1: return "MOVB ";
  case 2: return "MOVW ";
  case 4: return "MOVL ";
  case 8: return "MOVQ ";
  }
  return nullptr;
}

/// Sizes of the power-of-two chunks that make up Size bytes, low to high:
/// 7 -> 4, 2, 1.
std::vector<uint64_t> chunks(uint64_t Size) {
  std::vector<uint64_t> Out;
  for (uint64_t C : {8u, 4u, 2u, 1u})
    while (Size >= C) {
      Out.push_back(C);
      Size -= C;
    }
  return Out;
}

std::string memOperand(uint64_t Off, const std::string &Base) {
  return std::to_string(Off) + "(" + Base + ")";
}

/// Loads Size (1..8) bytes at Off(Base) into Dst, zero-extended: an odd
/// size is assembled from chunks through R10, so no byte beyond the value
/// is read.
void loadBytes(uint64_t Off, uint64_t Size, const std::string &Base, const std::string &Dst,
               const std::string &Note, std::vector<TrampolineInstr> &Body) {
  uint64_t Pos = 0;
  for (uint64_t C : chunks(Size)) {
    if (Pos == 0) {
      Body.push_back({loadOp(C) + memOperand(Off, Base) + ", " + Dst, Note});
    } else {
      Body.push_back({loadOp(C) + memOperand(Off + Pos, Base) + ", R10", ""});
      Body.push_back({"SHLQ $" + std::to_string(Pos * 8) + ", R10", ""});
      Body.push_back({"ORQ R10, " + Dst, ""});
    }
    Pos += C;
  }
}

/// Stores the low Size (1..8) bytes of Src at Off(Base); an odd size is
/// stored in chunks, shifting Src down (it is dead afterwards).
void storeBytes(const std::string &Src, uint64_t Off, uint64_t Size, const std::string &Base,
                const std::string &Note, std::vector<TrampolineInstr> &Body) {
  uint64_t Pos = 0, Prev = 0;
  for (uint64_t C : chunks(Size)) {
    if (Pos)
      Body.push_back({"SHRQ $" + std::to_string(Prev * 8) + ", " + Src, ""});
    Body.push_back({storeOp(C) + Src + ", " + memOperand(Off + Pos, Base), Pos ? "" : Note});
    Pos += C;
    Prev = C;
  }
}

/// Copies Size bytes from Src(SrcBase) to Dst(DstBase) through AX.
void copyBytes(uint64_t Src, const std::string &SrcBase, uint64_t Dst, const std::string &DstBase,
               uint64_t Size, const std::string &Note, std::vector<TrampolineInstr> &Body) {
  uint64_t Pos = 0;
  for (uint64_t C : chunks(Size)) {
    Body.push_back({std::string(C == 8 ? "MOVQ " : C == 4 ? "MOVL " : C == 2 ? "MOVW " : "MOVB ") +
                        memOperand(Src + Pos, SrcBase) + ", AX",
                    Pos ? "" : Note});
    Body.push_back({storeOp(C) + std::string("AX, ") + memOperand(Dst + Pos, DstBase), ""});
    Pos += C;
  }
}

/// "LEAQ s+8(FP), R11": the address of a value in Go's frame. asmdecl
/// accepts the whole aggregate's name with LEAQ, where a MOVQ of part of it
/// would be reported as a size mismatch.
TrampolineInstr addressOf(const FrameSlot &S, const std::string &Dst) {
  return {"LEAQ " + frameOperand(S) + ", " + Dst, ""};
}

std::string pieceNote(const std::string &Name, const Piece &P) {
  return Name + " bytes " + std::to_string(P.Offset) + "-" +
         std::to_string(P.Offset + P.Size - 1) + ": " + ordinal(P.Loc.Index + 1) +
         (P.Loc.Class == RegClass::Float ? " floating-point" : " integer") + " register";
}

/// Loads the register arguments (scalars, aggregate pieces, the hidden
/// result pointer) and returns the arguments that need C's stack: scalars
/// in slots, aggregates copied there, copies passed by reference.
llvm::Expected<std::vector<const ArgMove *>> loadRegisterArgs(const BoundFunction &BF,
                                                             std::vector<TrampolineInstr> &Body) {
  std::vector<const ArgMove *> StackArgs;
  if (BF.Low.Result && BF.Low.Result->Mode == PassMode::Reference)
    Body.push_back({"LEAQ " + frameOperand(BF.Low.Result->To) + ", " +
                        BF.Low.Result->HiddenPointer,
                    "hidden result pointer: C writes the result into Go's result slot"});
  for (const ArgMove &M : BF.Low.Args) {
    if (M.Mode == PassMode::Registers) {
      Body.push_back(addressOf(M.From, "R11"));
      for (const Piece &P : M.Pieces) {
        if (P.Loc.Class == RegClass::Float)
          Body.push_back({(P.Size == 4 ? "MOVSS " : "MOVSD ") + memOperand(P.Offset, "R11") +
                              ", " + P.Loc.Register,
                          pieceNote(M.From.Name, P)});
        else
          loadBytes(P.Offset, P.Size, "R11", P.Loc.Register, pieceNote(M.From.Name, P), Body);
      }
      continue;
    }
    if (M.Mode != PassMode::Scalar || M.To.OnStack) {
      StackArgs.push_back(&M);
      continue;
    }
    auto I = loadArgAMD64(M);
    if (!I)
      return I.takeError();
    Body.push_back({*I, argNote(M)});
  }
  return StackArgs;
}

/// Fills the stack-argument area above C's SP in R13: scalar slots (float
/// bits travel through AX like integers: the slot holds the value's memory
/// image, the low 4 bytes for a float), aggregate copies, and the addresses
/// of copies passed by reference.
llvm::Error copyStackArgs(const std::vector<const ArgMove *> &StackArgs,
                          std::vector<TrampolineInstr> &Body) {
  for (const ArgMove *M : StackArgs) {
    const std::string At = "at " + std::to_string(M->To.StackOffset) + "(SP) at the CALL";
    if (M->Mode == PassMode::StackCopy || M->Mode == PassMode::Reference) {
      uint64_t Dst = M->Mode == PassMode::StackCopy ? M->To.StackOffset : M->CopyOffset;
      Body.push_back(addressOf(M->From, "R11"));
      copyBytes(0, "R11", Dst, "R13", M->From.Size,
                M->From.Name + (M->Mode == PassMode::StackCopy
                                    ? ": copied into the stack-argument area, " + At
                                    : ": the copy passed by reference"),
                Body);
      if (M->Mode == PassMode::Reference) {
        std::string Reg = M->To.OnStack ? "AX" : M->To.Register;
        Body.push_back({"LEAQ " + memOperand(M->CopyOffset, "R13") + ", " + Reg,
                        M->From.Name + ": the copy's address, " + argNote(*M)});
        if (M->To.OnStack)
          Body.push_back({"MOVQ AX, " + memOperand(M->To.StackOffset, "R13"), At});
      }
      continue;
    }
    auto I = loadInteger(M->From, M->To.Class == RegClass::Float ? Extension::None : M->Ext, "AX");
    if (!I)
      return I.takeError();
    Body.push_back({*I, argNote(*M)});
    Body.push_back({"MOVQ AX, " + memOperand(M->To.StackOffset, "R13"), At});
  }
  return llvm::Error::success();
}

/// Stores the result into Go's result slot (nothing for a result C wrote
/// through the hidden pointer).
llvm::Error storeResult(const BoundFunction &BF, std::vector<TrampolineInstr> &Body) {
  if (!BF.Low.Result)
    return llvm::Error::success();
  const ResultMove &R = *BF.Low.Result;
  if (R.Mode == PassMode::Reference)
    return llvm::Error::success();
  if (R.Mode == PassMode::Scalar) {
    auto I = storeResultAMD64(R);
    if (!I)
      return I.takeError();
    Body.push_back({*I, ""});
    return llvm::Error::success();
  }
  Body.push_back(addressOf(R.To, "R11"));
  for (const Piece &P : R.Pieces) {
    std::string Note = "result bytes " + std::to_string(P.Offset) + "-" +
                       std::to_string(P.Offset + P.Size - 1) + " from " + P.Loc.Register;
    if (P.Loc.Class == RegClass::Float)
      Body.push_back({(P.Size == 4 ? "MOVSS " : "MOVSD ") + P.Loc.Register + ", " +
                          memOperand(P.Offset, "R11"),
                      Note});
    else
      storeBytes(P.Loc.Register, P.Offset, P.Size, "R11", Note, Body);
  }
  return llvm::Error::success();
}

/// A variadic call tells the callee how many vector registers carry
/// arguments (System V: AL, an upper bound).
void setVectorCount(const BoundFunction &BF, std::vector<TrampolineInstr> &Body) {
  if (BF.Low.VectorCount)
    Body.push_back({"MOVL $" + std::to_string(*BF.Low.VectorCount) + ", AX",
                    "variadic: AL = vector registers used"});
}

/// The blocking and own-stack sequence (see the file comment).
llvm::Expected<TrampolineBody> syscallBodyAMD64(const BoundFunction &BF) {
  TrampolineBody Out;
  std::vector<TrampolineInstr> &Body = Out.Instrs;
  const bool OwnStack = BF.CallPath == CallPathOwnStack;
  const uint64_t StackArea = alignTo16(BF.Low.StackArgsBytes);
  Out.FrameBytes = OwnStack ? 8 : BF.Frame.Bytes + 8 + StackArea;

  if (OwnStack)
    Body.push_back({"CALL gotrampshim_stack_acquire(SB)",
                    "0(SP) = top of a guard-paged native stack from the shim's pool"});
  Body.push_back({"CALL gotrampshim_entersyscall(SB)",
                  "runtime·entersyscall: the GC scans from this frame until exitsyscall"});
  auto StackArgs = loadRegisterArgs(BF, Body);
  if (!StackArgs)
    return StackArgs.takeError();
  if (OwnStack) {
    Body.push_back({"MOVQ 0(SP), R13", "C's SP: the native stack's top, 16-byte aligned"});
    if (StackArea)
      Body.push_back({"SUBQ $" + std::to_string(StackArea) + ", R13",
                      "below the stack-argument area"});
  } else {
    Body.push_back({"LEAQ " + std::to_string(Out.FrameBytes - StackArea) + "(SP), R13",
                    "C's SP: the top of this frame, below the stack-argument area"});
    Body.push_back({"ANDQ $~15, R13", "C ABI: 16-byte aligned at the CALL"});
  }
  if (llvm::Error E = copyStackArgs(*StackArgs, Body))
    return E;
  if (BF.ThroughPointer)
    Body.push_back({"MOVQ " + frameOperand(BF.Low.Frame.Params.front()) + ", R11",
                    "the function pointer to call"});
  else
    Body.push_back({"LEAQ " + BF.callSymbol() + "(SB), R11", ""});
  setVectorCount(BF, Body);
  Body.push_back({"CALL gotrampshim_call_on_stack(SB)",
                  "CALL R11 with SP = R13; the SP write stays out of this frame"});
  if (llvm::Error E = storeResult(BF, Body))
    return E;
  Body.push_back({"CALL gotrampshim_exitsyscall(SB)",
                  "runtime·exitsyscall: same SP as entersyscall; may wait for a P"});
  if (OwnStack)
    Body.push_back({"CALL gotrampshim_stack_release(SB)", "the top, still at 0(SP), back to the pool"});
  Body.push_back({"RET", ""});
  return Out;
}

} // namespace

llvm::Expected<TrampolineBody> trampolineBodyAMD64(const BoundFunction &BF) {
  if (BF.CallPath != CallPathDirect)
    return syscallBodyAMD64(BF);
  TrampolineBody Out;
  std::vector<TrampolineInstr> &Body = Out.Instrs;
  const uint64_t StackArea = alignTo16(BF.Low.StackArgsBytes);
  // Go keeps SP only 8-byte aligned on amd64, so aligning C's SP down to 16
  // can cost 8 bytes: reserve them, so the native code gets its full budget.
  Out.FrameBytes = BF.Frame.Bytes + 8 + StackArea;

  auto StackArgs = loadRegisterArgs(BF, Body);
  if (!StackArgs)
    return StackArgs.takeError();

  // The pointer a function-pointer caller calls, loaded while Go's SP
  // still addresses the frame (R11 is free once the arguments are loaded).
  TrampolineInstr LoadTarget;
  if (BF.ThroughPointer)
    LoadTarget = {"MOVQ " + frameOperand(BF.Low.Frame.Params.front()) + ", R11",
                  "the function pointer to call"};
  if (StackArgs->empty()) {
    if (BF.ThroughPointer)
      Body.push_back(LoadTarget);
    Body.push_back({"MOVQ SP, R12", "Go's SP, callee-saved in C"});
    Body.push_back({"ADDQ $" + std::to_string(Out.FrameBytes) + ", SP",
                    "C runs on the top of this frame, growing down into it"});
    Body.push_back({"ANDQ $~15, SP", "C ABI: 16-byte aligned at the CALL"});
  } else {
    // SP cannot move before the copies: name+off(FP) operands are SP-relative.
    Body.push_back({"LEAQ " + std::to_string(Out.FrameBytes - StackArea) + "(SP), R13",
                    "C's SP: the stack-argument area ends below the saved BP"});
    Body.push_back({"ANDQ $~15, R13", "C ABI: 16-byte aligned at the CALL"});
    if (llvm::Error E = copyStackArgs(*StackArgs, Body))
      return E;
    if (BF.ThroughPointer)
      Body.push_back(LoadTarget);
    Body.push_back({"MOVQ SP, R12", "Go's SP, callee-saved in C"});
    Body.push_back({"MOVQ R13, SP", "C runs on the top of this frame, growing down into it"});
  }
  setVectorCount(BF, Body);
  Body.push_back({BF.ThroughPointer ? "CALL R11" : "CALL " + BF.callSymbol() + "(SB)", ""});
  Body.push_back({"MOVQ R12, SP", "back to Go's SP"});
  if (llvm::Error E = storeResult(BF, Body))
    return E;
  Body.push_back({"RET", ""});
  return Out;
}

} // namespace gotramp
