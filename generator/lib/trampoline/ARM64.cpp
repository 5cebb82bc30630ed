//===- ARM64.cpp - Go ABI0 -> AAPCS64 ---------------------------------------===//
//
// Instruction selection for linux/arm64 trampolines. The header comment of
// templates/trampolines_arm64.s.tmpl has the frame diagram. The facts it
// rests on, read in Go 1.26's cmd/internal/obj/arm64/obj7.go (preprocess,
// case obj.ATEXT and obj.ARET) and checked on the machine code it emits;
// runtime/stack.go (adjustframe) describes the same layout:
//
//  - A TEXT with frame F (a multiple of 16) gets autosize A = F + 16: 8 bytes
//    for the saved LR and 8 "on the frame top" for a frame pointer. The
//    prologue allocates A bytes and stores LR at 0(RSP) and the caller's FP
//    (R29) at -8(RSP), below the new RSP, then sets R29 = RSP - 8. Go keeps
//    RSP 16-byte aligned (cmd/compile/abi-internal.md, arm64).
//  - So with S = RSP after the prologue: -8(S) is this frame's saved FP,
//    0(S) its saved LR, 8(S)..F+8(S) the locals, and F+8(S) the slot where
//    *our caller* saved its caller's FP (one word below the caller's RSP,
//    S + A). The epilogue reloads R29 and LR from -8(S) and 0(S), and the
//    caller's epilogue reloads R29 from F+8(S): all three must survive the
//    call. Moving RSP to S + A (the naive "top of the frame") would let the
//    callee's `stp x29, x30, [sp, #-16]!` overwrite F+8(S).
//
// The sequence: load register arguments; R20 = S + 16 + budget (16-byte
// aligned, leaving budget + 8 bytes above 0(S)'s LR); copy stack arguments
// to 0(R20), 8(R20), ...; keep Go's RSP in R19 (callee-saved in AAPCS64);
// RSP = R20; BL; restore RSP. The TEXT frame is budget + 16 + the
// 16-rounded stack-argument area, so that area sits between C's SP and
// F(S), below the caller's saved-FP slot.
//
// RSP is written with MOVD, not ADD $c, RSP: the assembler would record an
// ADD to RSP as a frame-size change (Spadj) and misplace every later
// name+off(FP). A MOVD to RSP marks the function SPWRITE, which makes
// tracebacks stop here when it is the innermost frame (profiling signals)
// and is allowed for assembly; the stack-growth check runs before it.
//
// The blocking and own-stack paths (runtime-shims/go/shim/shim.go has the
// runtime side) split the work in two, because a function that writes RSP
// is SPWRITE and the runtime's unwinder throws ("traceback: unexpected
// SPWRITE function") when the GC meets one that is not the innermost frame,
// which these trampolines are while they call Go code (the stack pool, or
// exitsyscall parking the goroutine until a P is free):
//
//   TEXT ·F(SB), $frame-args        no RSP write, an ordinary Go frame
//     CALL gotrampshim_stack_acquire(SB) own stack: 8(RSP) = a native stack's top
//     CALL gotrampshim_entersyscall(SB)  records this frame's PC, SP and FP: the
//                                    GC scans the stack from here meanwhile
//     load register arguments        (after entersyscall, which clobbers them)
//     R20 = C's SP                   S+16+budget (blocking, as direct) or the
//                                    native stack's top (own stack), minus the
//                                    stack-argument area; copy those there
//     MOVD $symbol(SB), R10
//     CALL gotrampshim_call_on_stack(SB) shim, frameless: R19 = RSP, R21 = LR,
//                                    RSP = R20, BL (R10), RSP = R19, JMP (R21)
//     store the result to its slot   (before exitsyscall, which clobbers it)
//     CALL gotrampshim_exitsyscall(SB)   same RSP as entersyscall
//     CALL gotrampshim_stack_release(SB) own stack: the top, still at 8(RSP)
//     RET
//
// The own_stack path stays out of syscall state (shim/ownstack.go): the
// trampoline is NOSPLIT with frame $0 (autosize 16: the saved LR and FP),
// so from taking a native stack to giving it back the goroutine reaches no
// preemption point:
//
//   TEXT ·F(SB), NOSPLIT, $0-args
//     CALL gotrampshim_own_acquire(SB)   R20 = a free native stack's top, R22 =
//                                    its slot (LDAXRW/STXRW); clobbers R3-R6
//     load register arguments; R20 -= the stack-argument area; copy those there
//     MOVD $symbol(SB), R10
//     CALL gotrampshim_own_call(SB)  R19 = RSP, R21 = LR, RSP = R20, BL (R10),
//                                    RSP = R19, STLRW ZR, (R22), JMP (R21)
//     store the result; RET
//
// Without stack arguments one helper does both: load register arguments,
// MOVD $symbol(SB), R10, CALL gotrampshim_own_acquire_call(SB) (it takes
// the slot with R11-R14 and R22 only, then does what gotrampshim_own_call
// does).
//
// (blocking_own_stack is the syscall sequence above with the pool's stack.)
//
// The callback path is the blocking_own_stack sequence with the callback
// helpers and no syscall state: gotrampshim_cb_acquire stores the top of a
// callback stack at 8(RSP) and locks the thread, gotrampshim_cb_call does
// BL (R10) with RSP = R20 (Go callbacks run on the goroutine stack below
// this frame meanwhile) and preserves R0/R1/F0/F1, gotrampshim_cb_release
// gives the top back.
//
// The gotramp_* entry points are frameless tail jumps, so LR and RSP are
// this frame's when entersyscall records them. An own-stack frame is 16
// bytes (8(RSP) is the first ABI0 argument/result slot of the calls it
// makes). R28 (g) is never touched: the signal handler of a build without
// cgo trusts it, whatever stack the signal interrupts.
//
// Registers: R0-R7 / F0-F7 arguments, R9 scratch for stack copies, R19/R20
// as above, R10 the address of an aggregate in Go's frame (its pieces are
// loaded from it; an odd-sized piece is assembled through R11), R8 the
// hidden result pointer (X8) aimed at Go's result slot. An aggregate over
// 16 bytes that is not an HFA is copied above C's SP, after the stack
// arguments, and its address passed (AAPCS64 B.4). Untouched: R18 (platform register), R26 (closure context), R27
// (REGTMP: the assembler's own, e.g. for an ADD constant it cannot encode),
// R28 (g) and R29 (FP; C saves and restores it).
//
//===----------------------------------------------------------------------===//
#include "gotramp/trampoline/Trampolines.h"

namespace gotramp {
namespace {

/// Load of an integer-class value into a 64-bit register, extended to 64
/// bits as Ext says.
llvm::Expected<std::string> loadInteger(const FrameSlot &From, Extension Ext,
                                        const std::string &Dst) {
  const bool Signed = Ext == Extension::Sign;
  const char *Op = nullptr;
  switch (From.Size) {
  case 1:
    Op = Signed ? "MOVB " : "MOVBU ";
    break;
  case 2:
    Op = Signed ? "MOVH " : "MOVHU ";
    break;
  case 4:
    Op = Signed ? "MOVW " : "MOVWU ";
    break;
  case 8:
    Op = "MOVD ";
    break;
  default:
    return noInstruction("arm64", "load", From.Size);
  }
  return Op + frameOperand(From) + ", " + Dst;
}

const char *loadOp(uint64_t Size) {
  return Size == 1 ? "MOVBU " : Size == 2 ? "MOVHU " : Size == 4 ? "MOVWU " : "MOVD ";
}

const char *storeOp(uint64_t Size) {
  return Size == 1 ? "MOVB " : Size == 2 ? "MOVH " : Size == 4 ? "MOVW " : "MOVD ";
}

std::string offsetAddress(uint64_t Off, const std::string &Base, const std::string &Dst) {
  return Off ? "ADD $" + std::to_string(Off) + ", " + Base + ", " + Dst : "MOVD " + Base + ", " + Dst;
}

/// R10 points at aggregates, R11 assembles odd-sized pieces, R9 carries
/// stack copies, R20 is C's SP.
const MoveISA ARM64{"arm64", loadInteger, loadOp, storeOp, offsetAddress,
                    "FMOVS ", "FMOVD ", "LSL", "LSR", "ORR", "MOVD $",
                    "R10", "R11", "R9", "R20", "(defensive)", "BL"};

/// R10 = the native function the on-stack helpers call: the symbol, or
/// the pointer a function-pointer caller was given.
/// R10 = what to call. For a .syso symbol that is a Go stub that branches
/// to it: `MOVD $sym(SB), R10` would be an ADRP/ADD pair (R_ADDRARM64), which
/// external linking cannot express against a symbol of a .syso, which only
/// the external linker sees (cmd/link: "missing section"; a data word's
/// R_ADDR fails as "not defined"). A branch (R_CALLARM64) links in every
/// mode, and B keeps LR, so the native code returns to the caller of R10.
void loadCallTarget(const BoundFunction &BF, TrampolineBody &Out) {
  if (BF.ThroughPointer) {
    Out.Instrs.push_back({"MOVD " + frameOperand(BF.Low.Frame.Params.front()) + ", R10",
                          "the function pointer to call"});
    return;
  }
  const std::string Stub = "gotramp_branch_" + BF.Low.GoName + "<>";
  Out.Prelude.push_back("// Branches to " + BF.callSymbol() + ": its address, for BL (R10).");
  Out.Prelude.push_back("TEXT " + Stub + "(SB), NOSPLIT|NOFRAME, $0-0");
  Out.Prelude.push_back("\tJMP " + BF.callSymbol() + "(SB)");
  Out.Instrs.push_back({"MOVD $" + Stub + "(SB), R10", "BL (R10) reaches the native function"});
}

/// The blocking, blocking-own-stack and callback sequence (see the file
/// comment).
llvm::Expected<TrampolineBody> syscallBodyARM64(const BoundFunction &BF) {
  TrampolineBody Out;
  std::vector<TrampolineInstr> &Body = Out.Instrs;
  const bool Callback = BF.CallPath == CallPathCallback;
  const bool OwnStack = BF.CallPath == CallPathBlockingOwnStack || Callback;
  const uint64_t Budget = alignTo16(BF.Frame.Bytes);
  const uint64_t StackArea = alignTo16(BF.Low.StackArgsBytes);
  const uint64_t CSPOffset = 16 + Budget;
  Out.FrameBytes = OwnStack ? 16 : CSPOffset + StackArea;

  if (Callback)
    Body.push_back({"CALL gotrampshim_cb_acquire(SB)",
                    "8(RSP) = top of a callback stack; thread locked"});
  else if (OwnStack)
    Body.push_back({"CALL gotrampshim_stack_acquire(SB)",
                    "8(RSP) = top of a guard-paged native stack from the shim's pool"});
  if (!Callback)
    Body.push_back({"CALL gotrampshim_entersyscall(SB)",
                    "runtime·entersyscall: the GC scans from this frame until exitsyscall"});
  auto StackArgs = loadRegisterArgs(ARM64, BF, Body);
  if (!StackArgs)
    return StackArgs.takeError();
  if (OwnStack) {
    Body.push_back({"MOVD 8(RSP), R20", Callback
                                            ? "C's SP: the callback stack's top, 16-byte aligned"
                                            : "C's SP: the native stack's top, 16-byte aligned"});
    if (StackArea)
      Body.push_back({"SUB $" + std::to_string(StackArea) + ", R20",
                      "below the stack-argument area"});
  } else {
    Body.push_back({"ADD $" + std::to_string(CSPOffset) + ", RSP, R20",
                    "C's SP: 16-byte aligned, the " + std::to_string(Budget) +
                        "-byte budget between it and our saved LR at 0(RSP)"});
  }
  if (llvm::Error E = copyStackArgs(ARM64, *StackArgs, Body))
    return E;
  loadCallTarget(BF, Out);
  if (Callback)
    Body.push_back({"CALL gotrampshim_cb_call(SB)",
                    "BL (R10) with RSP = R20; Go callbacks run below this frame"});
  else
    Body.push_back({"CALL gotrampshim_call_on_stack(SB)",
                    "BL (R10) with RSP = R20; the RSP write stays out of this frame"});
  if (llvm::Error E = storeResult(ARM64, BF, Body))
    return E;
  if (Callback)
    Body.push_back({"CALL gotrampshim_cb_release(SB)",
                    "the top, still at 8(RSP), back; thread unlocked"});
  else
    Body.push_back({"CALL gotrampshim_exitsyscall(SB)",
                    "runtime·exitsyscall: same RSP as entersyscall; may wait for a P"});
  if (OwnStack && !Callback)
    Body.push_back({"CALL gotrampshim_stack_release(SB)", "the top, still at 8(RSP), back to the pool"});
  Body.push_back({"RET", ""});
  return Out;
}

/// The own_stack sequence (see the file comment): no syscall state.
llvm::Expected<TrampolineBody> ownStackBodyARM64(const BoundFunction &BF) {
  TrampolineBody Out;
  std::vector<TrampolineInstr> &Body = Out.Instrs;
  const uint64_t StackArea = alignTo16(BF.Low.StackArgsBytes);
  const bool OneCall = StackArea == 0;
  if (!OneCall)
    Body.push_back({"CALL gotrampshim_own_acquire(SB)",
                    "R20 = top of a free guard-paged native stack, R22 = its slot"});
  auto StackArgs = loadRegisterArgs(ARM64, BF, Body);
  if (!StackArgs)
    return StackArgs.takeError();
  if (StackArea)
    Body.push_back({"SUB $" + std::to_string(StackArea) + ", R20",
                    "C's SP: below the stack-argument area"});
  if (llvm::Error E = copyStackArgs(ARM64, *StackArgs, Body))
    return E;
  loadCallTarget(BF, Out);
  if (OneCall)
    Body.push_back({"CALL gotrampshim_own_acquire_call(SB)",
                    "take a guard-paged native stack, BL (R10) on it, give it back"});
  else
    Body.push_back({"CALL gotrampshim_own_call(SB)",
                    "BL (R10) with RSP = R20, back to Go's RSP, the stack back to the shim"});
  if (llvm::Error E = storeResult(ARM64, BF, Body))
    return E;
  Body.push_back({"RET", ""});
  return Out;
}

} // namespace

llvm::Expected<TrampolineBody> trampolineBodyARM64(const BoundFunction &BF) {
  if (BF.CallPath == CallPathOwnStack)
    return ownStackBodyARM64(BF);
  if (BF.CallPath != CallPathDirect)
    return syscallBodyARM64(BF);
  TrampolineBody Out;
  std::vector<TrampolineInstr> &Body = Out.Instrs;
  const uint64_t Budget = alignTo16(BF.Frame.Bytes);
  const uint64_t StackArea = alignTo16(BF.Low.StackArgsBytes);
  // 16 = the saved LR at 0(RSP) plus 8 bytes that keep C's SP 16-aligned:
  // Go's RSP is 16-aligned and the locals start at 8(RSP).
  const uint64_t CSPOffset = 16 + Budget;
  Out.FrameBytes = CSPOffset + StackArea;

  auto StackArgs = loadRegisterArgs(ARM64, BF, Body);
  if (!StackArgs)
    return StackArgs.takeError();

  Body.push_back({"ADD $" + std::to_string(CSPOffset) + ", RSP, R20",
                  "C's SP: 16-byte aligned, the " + std::to_string(Budget) +
                      "-byte budget between it and our saved LR at 0(RSP)"});
  if (llvm::Error E = copyStackArgs(ARM64, *StackArgs, Body))
    return E;
  // The pointer a function-pointer caller calls, loaded while RSP still
  // addresses the frame.
  if (BF.ThroughPointer)
    Body.push_back({"MOVD " + frameOperand(BF.Low.Frame.Params.front()) + ", R10",
                    "the function pointer to call"});
  Body.push_back({"MOVD RSP, R19", "Go's RSP, callee-saved in AAPCS64"});
  Body.push_back({"MOVD R20, RSP", "not ADD to RSP, which would shift every later name+off(FP)"});
  Body.push_back({BF.ThroughPointer ? "BL (R10)" : "BL " + BF.callSymbol() + "(SB)", ""});
  Body.push_back({"MOVD R19, RSP", "back to Go's RSP"});
  if (llvm::Error E = storeResult(ARM64, BF, Body))
    return E;
  Body.push_back({"RET", "the epilogue reloads R29 and LR from -8(RSP) and 0(RSP)"});
  return Out;
}

} // namespace gotramp
