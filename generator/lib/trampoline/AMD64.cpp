//===- AMD64.cpp - Go ABI0 -> System V x86-64 -------------------------------===//
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
// The own_stack path stays out of syscall state (shim/ownstack.go): the
// trampoline is NOSPLIT with no frame, so from taking a native stack to
// giving it back the goroutine reaches no preemption point:
//
//   TEXT ·F(SB), NOSPLIT, $0-args
//     CALL gotrampshim_own_acquire(SB)   R13 = a free native stack's top, BX = its
//                                    slot (one XCHGL); nothing else clobbered
//                                    but AX, CX
//     load register arguments; R13 -= the stack-argument area; copy those there
//     LEAQ symbol(SB), R11
//     CALL gotrampshim_own_call(SB)  MOVQ SP, R12; MOVQ R13, SP; CALL R11;
//                                    MOVQ R12, SP; MOVL $0, (BX); RET
//     store the result; RET
//
// Without stack arguments nothing needs the stack's address before the
// call, so one helper does both: load register arguments, LEAQ symbol(SB),
// R11, CALL gotrampshim_own_acquire_call(SB) (it takes the slot with BX,
// R10, R12, R13 only, then does what gotrampshim_own_call does).
//
// (blocking_own_stack is the syscall sequence above with the pool's stack.)
//
// The callback path is the blocking_own_stack sequence with the callback
// helpers and no syscall state: gotrampshim_cb_acquire stores the top of a
// callback stack at 0(SP) and locks the thread, gotrampshim_cb_call does
// CALL R11 with SP = R13 (Go callbacks run on the goroutine stack below
// this frame meanwhile, so the frame is an ordinary splittable one) and
// preserves AX/DX/X0/X1, gotrampshim_cb_release gives the top back.
//
// Only the shim's helper writes SP, and it is never on the stack when the
// GC looks (the scan of a goroutine in syscall state starts at the saved
// frame). A blocking frame is sized as a direct one: the native code runs
// in its top part, above the helper's return address at -8(SP). An
// own-stack frame is 8 bytes: the stack top.
//
//===----------------------------------------------------------------------===//
#include "gotramp/trampoline/Trampolines.h"

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

const char *loadOp(uint64_t Size) {
  return Size == 1 ? "MOVBQZX " : Size == 2 ? "MOVWQZX " : Size == 4 ? "MOVL " : "MOVQ ";
}

const char *storeOp(uint64_t Size) {
  return Size == 1 ? "MOVB " : Size == 2 ? "MOVW " : Size == 4 ? "MOVL " : "MOVQ ";
}

std::string offsetAddress(uint64_t Off, const std::string &Base, const std::string &Dst) {
  return "LEAQ " + std::to_string(Off) + "(" + Base + "), " + Dst;
}

/// R11 points at aggregates, R10 assembles odd-sized pieces, AX carries
/// stack copies (a variadic call sets AL after them), R13 is C's SP.
const MoveISA AMD64{"amd64", loadInteger, loadOp, storeOp, offsetAddress,
                    "MOVSS ", "MOVSD ", "SHLQ", "SHRQ", "ORQ", "LEAQ ",
                    "R11", "R10", "AX", "R13", "as clang callees assume", "CALL"};

/// A variadic call tells the callee how many vector registers carry
/// arguments (System V: AL, an upper bound).
void setVectorCount(const BoundFunction &BF, std::vector<TrampolineInstr> &Body) {
  if (BF.Low.VectorCount)
    Body.push_back({"MOVL $" + std::to_string(*BF.Low.VectorCount) + ", AX",
                    "variadic: AL = vector registers used"});
}

/// R11 = the native function the on-stack helpers call: the symbol, or
/// the pointer a function-pointer caller was given.
void loadCallTarget(const BoundFunction &BF, std::vector<TrampolineInstr> &Body) {
  if (BF.ThroughPointer)
    Body.push_back({"MOVQ " + frameOperand(BF.Low.Frame.Params.front()) + ", R11",
                    "the function pointer to call"});
  else
    Body.push_back({"LEAQ " + BF.callSymbol() + "(SB), R11", ""});
}

/// The blocking, blocking-own-stack and callback sequence (see the file
/// comment).
llvm::Expected<TrampolineBody> syscallBodyAMD64(const BoundFunction &BF) {
  TrampolineBody Out;
  std::vector<TrampolineInstr> &Body = Out.Instrs;
  const bool Callback = BF.CallPath == CallPathCallback;
  const bool OwnStack = BF.CallPath == CallPathBlockingOwnStack || Callback;
  const uint64_t StackArea = alignTo16(BF.Low.StackArgsBytes);
  Out.FrameBytes = OwnStack ? 8 : BF.Frame.Bytes + 8 + StackArea;

  if (Callback)
    Body.push_back({"CALL gotrampshim_cb_acquire(SB)",
                    "0(SP) = top of a callback stack; thread locked"});
  else if (OwnStack)
    Body.push_back({"CALL gotrampshim_stack_acquire(SB)",
                    "0(SP) = top of a guard-paged native stack from the shim's pool"});
  if (!Callback)
    Body.push_back({"CALL gotrampshim_entersyscall(SB)",
                    "runtime·entersyscall: the GC scans from this frame until exitsyscall"});
  auto StackArgs = loadRegisterArgs(AMD64, BF, Body);
  if (!StackArgs)
    return StackArgs.takeError();
  if (OwnStack) {
    Body.push_back({"MOVQ 0(SP), R13", Callback
                                            ? "C's SP: the callback stack's top, 16-byte aligned"
                                            : "C's SP: the native stack's top, 16-byte aligned"});
    if (StackArea)
      Body.push_back({"SUBQ $" + std::to_string(StackArea) + ", R13",
                      "below the stack-argument area"});
  } else {
    Body.push_back({"LEAQ " + std::to_string(Out.FrameBytes - StackArea) + "(SP), R13",
                    "C's SP: the top of this frame, below the stack-argument area"});
    Body.push_back({"ANDQ $~15, R13", "C ABI: 16-byte aligned at the CALL"});
  }
  if (llvm::Error E = copyStackArgs(AMD64, *StackArgs, Body))
    return E;
  loadCallTarget(BF, Body);
  setVectorCount(BF, Body);
  if (Callback)
    Body.push_back({"CALL gotrampshim_cb_call(SB)",
                    "CALL R11 with SP = R13; Go callbacks run below this frame"});
  else
    Body.push_back({"CALL gotrampshim_call_on_stack(SB)",
                    "CALL R11 with SP = R13; the SP write stays out of this frame"});
  if (llvm::Error E = storeResult(AMD64, BF, Body))
    return E;
  if (Callback)
    Body.push_back({"CALL gotrampshim_cb_release(SB)",
                    "the top, still at 0(SP), back; thread unlocked"});
  else
    Body.push_back({"CALL gotrampshim_exitsyscall(SB)",
                    "runtime·exitsyscall: same SP as entersyscall; may wait for a P"});
  if (OwnStack && !Callback)
    Body.push_back({"CALL gotrampshim_stack_release(SB)", "the top, still at 0(SP), back to the pool"});
  Body.push_back({"RET", ""});
  return Out;
}

/// The own_stack sequence (see the file comment): no frame, no syscall state.
llvm::Expected<TrampolineBody> ownStackBodyAMD64(const BoundFunction &BF) {
  TrampolineBody Out;
  std::vector<TrampolineInstr> &Body = Out.Instrs;
  const uint64_t StackArea = alignTo16(BF.Low.StackArgsBytes);
  const bool OneCall = StackArea == 0;
  if (!OneCall)
    Body.push_back({"CALL gotrampshim_own_acquire(SB)",
                    "R13 = top of a free guard-paged native stack, BX = its slot"});
  auto StackArgs = loadRegisterArgs(AMD64, BF, Body);
  if (!StackArgs)
    return StackArgs.takeError();
  if (StackArea)
    Body.push_back({"SUBQ $" + std::to_string(StackArea) + ", R13",
                    "C's SP: below the stack-argument area"});
  if (llvm::Error E = copyStackArgs(AMD64, *StackArgs, Body))
    return E;
  loadCallTarget(BF, Body);
  setVectorCount(BF, Body);
  if (OneCall)
    Body.push_back({"CALL gotrampshim_own_acquire_call(SB)",
                    "take a guard-paged native stack, CALL R11 on it, give it back"});
  else
    Body.push_back({"CALL gotrampshim_own_call(SB)",
                    "CALL R11 with SP = R13, back to Go's SP, the stack back to the shim"});
  if (llvm::Error E = storeResult(AMD64, BF, Body))
    return E;
  Body.push_back({"RET", ""});
  return Out;
}

} // namespace

llvm::Expected<TrampolineBody> trampolineBodyAMD64(const BoundFunction &BF) {
  if (BF.CallPath == CallPathOwnStack)
    return ownStackBodyAMD64(BF);
  if (BF.CallPath != CallPathDirect)
    return syscallBodyAMD64(BF);
  TrampolineBody Out;
  std::vector<TrampolineInstr> &Body = Out.Instrs;
  const uint64_t StackArea = alignTo16(BF.Low.StackArgsBytes);
  // Go keeps SP only 8-byte aligned on amd64, so aligning C's SP down to 16
  // can cost 8 bytes: reserve them, so the native code gets its full budget.
  Out.FrameBytes = BF.Frame.Bytes + 8 + StackArea;

  auto StackArgs = loadRegisterArgs(AMD64, BF, Body);
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
    if (llvm::Error E = copyStackArgs(AMD64, *StackArgs, Body))
      return E;
    if (BF.ThroughPointer)
      Body.push_back(LoadTarget);
    Body.push_back({"MOVQ SP, R12", "Go's SP, callee-saved in C"});
    Body.push_back({"MOVQ R13, SP", "C runs on the top of this frame, growing down into it"});
  }
  setVectorCount(BF, Body);
  Body.push_back({BF.ThroughPointer ? "CALL R11" : "CALL " + BF.callSymbol() + "(SB)", ""});
  Body.push_back({"MOVQ R12, SP", "back to Go's SP"});
  if (llvm::Error E = storeResult(AMD64, BF, Body))
    return E;
  Body.push_back({"RET", ""});
  return Out;
}

} // namespace gotramp
