//===- TrampolineARM64.cpp - Go ABI0 -> AAPCS64 -----------------------------===//
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
#include "gotramp/Trampolines.h"

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

llvm::Expected<std::string> loadArgARM64(const ArgMove &M) {
  if (M.To.Class == RegClass::Float)
    return (M.IsFloat32 ? "FMOVS " : "FMOVD ") + frameOperand(M.From) + ", " + M.To.Register;
  return loadInteger(M.From, M.Ext, M.To.Register);
}

llvm::Expected<std::string> storeResultARM64(const ResultMove &M) {
  const std::string Dst = frameOperand(M.To), Src = M.From.Register;
  if (M.From.Class == RegClass::Float)
    return (M.IsFloat32 ? "FMOVS " : "FMOVD ") + Src + ", " + Dst;
  // The low bytes of R0: AAPCS64 leaves the bits above a narrow result
  // unspecified, and a store of the result's width ignores them.
  static const char *Mov[] = {nullptr, "MOVB ", "MOVH ", nullptr, "MOVW ",
                              nullptr, nullptr,  nullptr, "MOVD "};
  if (M.To.Size > 8 || !Mov[M.To.Size])
    return noInstruction("arm64", "store", M.To.Size);
  return Mov[M.To.Size] + Src + ", " + Dst;
}

std::string argNote(const ArgMove &M) { return argumentNote(M, "(defensive)"); }

const char *loadOp(uint64_t Size) {
  switch (Size) {
  case 1: return "MOVBU ";
  case 2: return "MOVHU ";
  case 4: return "MOVWU ";
  case 8: return "MOVD ";
  }
  return nullptr;
}

const char *storeOp(uint64_t Size) {
  switch (Size) {
  case 1: return "MOVB ";
  case 2: return "MOVH ";
  case 4: return "MOVW ";
  case 8: return "MOVD ";
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
/// size is assembled from chunks through R11, so no byte beyond the value
/// is read.
void loadBytes(uint64_t Off, uint64_t Size, const std::string &Base, const std::string &Dst,
               const std::string &Note, std::vector<TrampolineInstr> &Body) {
  uint64_t Pos = 0;
  for (uint64_t C : chunks(Size)) {
    if (Pos == 0) {
      Body.push_back({loadOp(C) + memOperand(Off, Base) + ", " + Dst, Note});
    } else {
      Body.push_back({loadOp(C) + memOperand(Off + Pos, Base) + ", R11", ""});
      Body.push_back({"LSL $" + std::to_string(Pos * 8) + ", R11", ""});
      Body.push_back({"ORR R11, " + Dst, ""});
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
      Body.push_back({"LSR $" + std::to_string(Prev * 8) + ", " + Src, ""});
    Body.push_back({storeOp(C) + Src + ", " + memOperand(Off + Pos, Base), Pos ? "" : Note});
    Pos += C;
    Prev = C;
  }
}

/// Copies Size bytes from Src(SrcBase) to Dst(DstBase) through R9.
void copyBytes(uint64_t Src, const std::string &SrcBase, uint64_t Dst, const std::string &DstBase,
               uint64_t Size, const std::string &Note, std::vector<TrampolineInstr> &Body) {
  uint64_t Pos = 0;
  for (uint64_t C : chunks(Size)) {
    Body.push_back({loadOp(C) + memOperand(Src + Pos, SrcBase) + ", R9", Pos ? "" : Note});
    Body.push_back({storeOp(C) + std::string("R9, ") + memOperand(Dst + Pos, DstBase), ""});
    Pos += C;
  }
}

/// "MOVD $s+8(FP), R10": the address of a value in Go's frame (asmdecl
/// checks no size for an address).
TrampolineInstr addressOf(const FrameSlot &S, const std::string &Dst) {
  return {"MOVD $" + frameOperand(S) + ", " + Dst, ""};
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
  if (BF.Low.Result && BF.Low.Result->Mode == PassMode::Reference) {
    TrampolineInstr I = addressOf(BF.Low.Result->To, BF.Low.Result->HiddenPointer);
    I.Comment = "hidden result pointer (X8): C writes the result into Go's result slot";
    Body.push_back(I);
  }
  for (const ArgMove &M : BF.Low.Args) {
    if (M.Mode == PassMode::Registers) {
      Body.push_back(addressOf(M.From, "R10"));
      for (const Piece &P : M.Pieces) {
        if (P.Loc.Class == RegClass::Float)
          Body.push_back({(P.Size == 4 ? "FMOVS " : "FMOVD ") + memOperand(P.Offset, "R10") +
                              ", " + P.Loc.Register,
                          pieceNote(M.From.Name, P)});
        else
          loadBytes(P.Offset, P.Size, "R10", P.Loc.Register, pieceNote(M.From.Name, P), Body);
      }
      continue;
    }
    if (M.Mode != PassMode::Scalar || M.To.OnStack) {
      StackArgs.push_back(&M);
      continue;
    }
    auto I = loadArgARM64(M);
    if (!I)
      return I.takeError();
    Body.push_back({*I, argNote(M)});
  }
  return StackArgs;
}

/// Fills the stack-argument area above C's SP in R20: scalar slots (float
/// bits travel through R9 like integers: the slot holds the value's memory
/// image, the low 4 bytes for a float), aggregate copies, and the
/// addresses of copies passed by reference.
llvm::Error copyStackArgs(const std::vector<const ArgMove *> &StackArgs,
                          std::vector<TrampolineInstr> &Body) {
  for (const ArgMove *M : StackArgs) {
    const std::string At = "at " + std::to_string(M->To.StackOffset) + "(SP) at the BL";
    if (M->Mode == PassMode::StackCopy || M->Mode == PassMode::Reference) {
      uint64_t Dst = M->Mode == PassMode::StackCopy ? M->To.StackOffset : M->CopyOffset;
      Body.push_back(addressOf(M->From, "R10"));
      copyBytes(0, "R10", Dst, "R20", M->From.Size,
                M->From.Name + (M->Mode == PassMode::StackCopy
                                    ? ": copied into the stack-argument area, " + At
                                    : ": the copy passed by reference"),
                Body);
      if (M->Mode == PassMode::Reference) {
        std::string Reg = M->To.OnStack ? "R9" : M->To.Register;
        Body.push_back({M->CopyOffset ? "ADD $" + std::to_string(M->CopyOffset) + ", R20, " + Reg
                                      : "MOVD R20, " + Reg,
                        M->From.Name + ": the copy's address, " + argNote(*M)});
        if (M->To.OnStack)
          Body.push_back({"MOVD R9, " + memOperand(M->To.StackOffset, "R20"), At});
      }
      continue;
    }
    auto I = loadInteger(M->From, M->To.Class == RegClass::Float ? Extension::Zero : M->Ext,
                         "R9");
    if (!I)
      return I.takeError();
    Body.push_back({*I, argNote(*M)});
    Body.push_back({"MOVD R9, " + memOperand(M->To.StackOffset, "R20"), At});
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
    auto I = storeResultARM64(R);
    if (!I)
      return I.takeError();
    Body.push_back({*I, ""});
    return llvm::Error::success();
  }
  Body.push_back(addressOf(R.To, "R10"));
  for (const Piece &P : R.Pieces) {
    std::string Note = "result bytes " + std::to_string(P.Offset) + "-" +
                       std::to_string(P.Offset + P.Size - 1) + " from " + P.Loc.Register;
    if (P.Loc.Class == RegClass::Float)
      Body.push_back({(P.Size == 4 ? "FMOVS " : "FMOVD ") + P.Loc.Register + ", " +
                          memOperand(P.Offset, "R10"),
                      Note});
    else
      storeBytes(P.Loc.Register, P.Offset, P.Size, "R10", Note, Body);
  }
  return llvm::Error::success();
}

/// The blocking and own-stack sequence (see the file comment).
llvm::Expected<TrampolineBody> syscallBodyARM64(const BoundFunction &BF) {
  TrampolineBody Out;
  std::vector<TrampolineInstr> &Body = Out.Instrs;
  const bool OwnStack = BF.CallPath == CallPathOwnStack;
  const uint64_t Budget = alignTo16(BF.Frame.Bytes);
  const uint64_t StackArea = alignTo16(BF.Low.StackArgsBytes);
  const uint64_t CSPOffset = 16 + Budget;
  Out.FrameBytes = OwnStack ? 16 : CSPOffset + StackArea;

  if (OwnStack)
    Body.push_back({"CALL gotrampshim_stack_acquire(SB)",
                    "8(RSP) = top of a guard-paged native stack from the shim's pool"});
  Body.push_back({"CALL gotrampshim_entersyscall(SB)",
                  "runtime·entersyscall: the GC scans from this frame until exitsyscall"});
  auto StackArgs = loadRegisterArgs(BF, Body);
  if (!StackArgs)
    return StackArgs.takeError();
  if (OwnStack) {
    Body.push_back({"MOVD 8(RSP), R20", "C's SP: the native stack's top, 16-byte aligned"});
    if (StackArea)
      Body.push_back({"SUB $" + std::to_string(StackArea) + ", R20",
                      "below the stack-argument area"});
  } else {
    Body.push_back({"ADD $" + std::to_string(CSPOffset) + ", RSP, R20",
                    "C's SP: 16-byte aligned, the " + std::to_string(Budget) +
                        "-byte budget between it and our saved LR at 0(RSP)"});
  }
  if (llvm::Error E = copyStackArgs(*StackArgs, Body))
    return E;
  if (BF.ThroughPointer)
    Body.push_back({"MOVD " + frameOperand(BF.Low.Frame.Params.front()) + ", R10",
                    "the function pointer to call"});
  else
    Body.push_back({"MOVD $" + BF.callSymbol() + "(SB), R10", ""});
  Body.push_back({"CALL gotrampshim_call_on_stack(SB)",
                  "BL (R10) with RSP = R20; the RSP write stays out of this frame"});
  if (llvm::Error E = storeResult(BF, Body))
    return E;
  Body.push_back({"CALL gotrampshim_exitsyscall(SB)",
                  "runtime·exitsyscall: same RSP as entersyscall; may wait for a P"});
  if (OwnStack)
    Body.push_back({"CALL gotrampshim_stack_release(SB)", "the top, still at 8(RSP), back to the pool"});
  Body.push_back({"RET", ""});
  return Out;
}

} // namespace

llvm::Expected<TrampolineBody> trampolineBodyARM64(const BoundFunction &BF) {
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

  auto StackArgs = loadRegisterArgs(BF, Body);
  if (!StackArgs)
    return StackArgs.takeError();

  Body.push_back({"ADD $" + std::to_string(CSPOffset) + ", RSP, R20",
                  "C's SP: 16-byte aligned, the " + std::to_string(Budget) +
                      "-byte budget between it and our saved LR at 0(RSP)"});
  if (llvm::Error E = copyStackArgs(*StackArgs, Body))
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
  if (llvm::Error E = storeResult(BF, Body))
    return E;
  Body.push_back({"RET", "the epilogue reloads R29 and LR from -8(RSP) and 0(RSP)"});
  return Out;
}

} // namespace gotramp
