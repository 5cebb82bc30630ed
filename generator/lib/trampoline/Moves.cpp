//===- Moves.cpp - argument and result moves, both targets ------------------===//
//
// Both targets move values the same way and differ only in spelling
// (MoveISA): scalars straight from `name+off(FP)`; an aggregate from an
// address register aimed at it in Go's frame, one register-sized piece at a
// time, an odd-sized piece assembled from power-of-two chunks so no byte
// past the value is read; aggregates bound for C's stack copied chunk by
// chunk to their offset from C's SP; results stored back the same way.
//
//===----------------------------------------------------------------------===//
#include "gotramp/trampoline/Trampolines.h"

namespace gotramp {
namespace {

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

std::string floatMove(const MoveISA &ISA, uint64_t Size) {
  return Size == 4 ? ISA.FloatMove32 : ISA.FloatMove64;
}

std::string argNote(const MoveISA &ISA, const ArgMove &M) {
  return argumentNote(M, ISA.RegisterExtensionWhy);
}

/// Loads Size (1..8) bytes at Off(Base) into Dst, zero-extended.
void loadBytes(const MoveISA &ISA, uint64_t Off, uint64_t Size, const std::string &Base,
               const std::string &Dst, const std::string &Note,
               std::vector<TrampolineInstr> &Body) {
  uint64_t Pos = 0;
  for (uint64_t C : chunks(Size)) {
    if (Pos == 0) {
      Body.push_back({ISA.Load(C) + memOperand(Off, Base) + ", " + Dst, Note});
    } else {
      Body.push_back({ISA.Load(C) + memOperand(Off + Pos, Base) + ", " + ISA.ComposeReg, ""});
      Body.push_back({ISA.ShiftLeft + " $" + std::to_string(Pos * 8) + ", " + ISA.ComposeReg, ""});
      Body.push_back({ISA.Or + " " + ISA.ComposeReg + ", " + Dst, ""});
    }
    Pos += C;
  }
}

/// Stores the low Size (1..8) bytes of Src at Off(Base); an odd size is
/// stored in chunks, shifting Src down (it is dead afterwards).
void storeBytes(const MoveISA &ISA, const std::string &Src, uint64_t Off, uint64_t Size,
                const std::string &Base, const std::string &Note,
                std::vector<TrampolineInstr> &Body) {
  uint64_t Pos = 0, Prev = 0;
  for (uint64_t C : chunks(Size)) {
    if (Pos)
      Body.push_back({ISA.ShiftRight + " $" + std::to_string(Prev * 8) + ", " + Src, ""});
    Body.push_back({ISA.Store(C) + Src + ", " + memOperand(Off + Pos, Base), Pos ? "" : Note});
    Pos += C;
    Prev = C;
  }
}

/// Copies Size bytes from 0(SrcBase) to Dst(DstBase) through the copy
/// register.
void copyBytes(const MoveISA &ISA, const std::string &SrcBase, uint64_t Dst,
               const std::string &DstBase, uint64_t Size, const std::string &Note,
               std::vector<TrampolineInstr> &Body) {
  uint64_t Pos = 0;
  for (uint64_t C : chunks(Size)) {
    Body.push_back(
        {ISA.Load(C) + memOperand(Pos, SrcBase) + ", " + ISA.CopyReg, Pos ? "" : Note});
    Body.push_back({ISA.Store(C) + ISA.CopyReg + ", " + memOperand(Dst + Pos, DstBase), ""});
    Pos += C;
  }
}

std::string pieceNote(const std::string &Name, const Piece &P) {
  return Name + " bytes " + std::to_string(P.Offset) + "-" +
         std::to_string(P.Offset + P.Size - 1) + ": " + ordinal(P.Loc.Index + 1) +
         (P.Loc.Class == RegClass::Float ? " floating-point" : " integer") + " register";
}

} // namespace

TrampolineInstr addressOf(const MoveISA &ISA, const FrameSlot &S, const std::string &Dst) {
  return {ISA.AddressOf + frameOperand(S) + ", " + Dst, ""};
}

llvm::Expected<std::vector<const ArgMove *>>
loadRegisterArgs(const MoveISA &ISA, const BoundFunction &BF, std::vector<TrampolineInstr> &Body) {
  std::vector<const ArgMove *> StackArgs;
  if (BF.Low.Result && BF.Low.Result->Mode == PassMode::Reference) {
    TrampolineInstr I = addressOf(ISA, BF.Low.Result->To, BF.Low.Result->HiddenPointer);
    I.Comment = "hidden result pointer: C writes the result into Go's result slot";
    Body.push_back(I);
  }
  for (const ArgMove &M : BF.Low.Args) {
    if (M.Mode == PassMode::Registers) {
      Body.push_back(addressOf(ISA, M.From, ISA.AddressReg));
      for (const Piece &P : M.Pieces) {
        if (P.Loc.Class == RegClass::Float)
          Body.push_back({floatMove(ISA, P.Size) + memOperand(P.Offset, ISA.AddressReg) + ", " +
                              P.Loc.Register,
                          pieceNote(M.From.Name, P)});
        else
          loadBytes(ISA, P.Offset, P.Size, ISA.AddressReg, P.Loc.Register,
                    pieceNote(M.From.Name, P), Body);
      }
      continue;
    }
    if (M.Mode != PassMode::Scalar || M.To.OnStack) {
      StackArgs.push_back(&M);
      continue;
    }
    if (M.To.Class == RegClass::Float) {
      Body.push_back({floatMove(ISA, M.IsFloat32 ? 4 : 8) + frameOperand(M.From) + ", " +
                          M.To.Register,
                      argNote(ISA, M)});
      continue;
    }
    auto I = ISA.LoadInteger(M.From, M.Ext, M.To.Register);
    if (!I)
      return I.takeError();
    Body.push_back({*I, argNote(ISA, M)});
  }
  return StackArgs;
}

llvm::Error copyStackArgs(const MoveISA &ISA, const std::vector<const ArgMove *> &StackArgs,
                          std::vector<TrampolineInstr> &Body) {
  for (const ArgMove *M : StackArgs) {
    const std::string At =
        "at " + std::to_string(M->To.StackOffset) + "(SP) at the " + ISA.CallWord;
    if (M->Mode == PassMode::StackCopy || M->Mode == PassMode::Reference) {
      uint64_t Dst = M->Mode == PassMode::StackCopy ? M->To.StackOffset : M->CopyOffset;
      Body.push_back(addressOf(ISA, M->From, ISA.AddressReg));
      copyBytes(ISA, ISA.AddressReg, Dst, ISA.CSPReg, M->From.Size,
                M->From.Name + (M->Mode == PassMode::StackCopy
                                    ? ": copied into the stack-argument area, " + At
                                    : ": the copy passed by reference"),
                Body);
      if (M->Mode == PassMode::Reference) {
        std::string Reg = M->To.OnStack ? ISA.CopyReg : M->To.Register;
        Body.push_back({ISA.OffsetAddress(M->CopyOffset, ISA.CSPReg, Reg),
                        M->From.Name + ": the copy's address, " + argNote(ISA, *M)});
        if (M->To.OnStack)
          Body.push_back({ISA.Store(8) + ISA.CopyReg + ", " +
                              memOperand(M->To.StackOffset, ISA.CSPReg),
                          At});
      }
      continue;
    }
    // Float bits travel like integers: the slot holds the value's memory
    // image, the low 4 bytes for a float.
    auto I = ISA.LoadInteger(M->From, M->To.Class == RegClass::Float ? Extension::None : M->Ext,
                             ISA.CopyReg);
    if (!I)
      return I.takeError();
    Body.push_back({*I, argNote(ISA, *M)});
    Body.push_back(
        {ISA.Store(8) + ISA.CopyReg + ", " + memOperand(M->To.StackOffset, ISA.CSPReg), At});
  }
  return llvm::Error::success();
}

llvm::Error storeResult(const MoveISA &ISA, const BoundFunction &BF,
                        std::vector<TrampolineInstr> &Body) {
  if (!BF.Low.Result)
    return llvm::Error::success();
  const ResultMove &R = *BF.Low.Result;
  if (R.Mode == PassMode::Reference)
    return llvm::Error::success();
  if (R.Mode == PassMode::Scalar) {
    const std::string Dst = frameOperand(R.To), Src = R.From.Register;
    if (R.From.Class == RegClass::Float) {
      Body.push_back({floatMove(ISA, R.IsFloat32 ? 4 : 8) + Src + ", " + Dst, ""});
      return llvm::Error::success();
    }
    // The low bytes of the register: a store of the result's width ignores
    // the bits above a narrow result, which both conventions leave
    // unspecified.
    if (R.To.Size > 8 || R.To.Size == 0 || (R.To.Size & (R.To.Size - 1)))
      return noInstruction(ISA.Arch, "store", R.To.Size);
    Body.push_back({ISA.Store(R.To.Size) + Src + ", " + Dst, ""});
    return llvm::Error::success();
  }
  Body.push_back(addressOf(ISA, R.To, ISA.AddressReg));
  for (const Piece &P : R.Pieces) {
    std::string Note = "result bytes " + std::to_string(P.Offset) + "-" +
                       std::to_string(P.Offset + P.Size - 1) + " from " + P.Loc.Register;
    if (P.Loc.Class == RegClass::Float)
      Body.push_back({floatMove(ISA, P.Size) + P.Loc.Register + ", " +
                          memOperand(P.Offset, ISA.AddressReg),
                      Note});
    else
      storeBytes(ISA, P.Loc.Register, P.Offset, P.Size, ISA.AddressReg, Note, Body);
  }
  return llvm::Error::success();
}

} // namespace gotramp
