//===- X86.cpp - the interpreter's x86-64 rules ---------------------------===//
//
// The x86-64 half of InstructionSet (Interpreter.h): the registers
// (System V: callee-saved RBX, RBP, R12-R15; arguments RDI, RSI, RDX, RCX,
// R8, R9 and AL for variadic calls), the opcodes the analysis models
// (push/pop, sub/add/and with an immediate, mov, lea, leave, enter, the
// jump-table loads and adds), the memory operands (accesses below RSP, the
// red zone) and their semantics. The AArch64 rules are in AArch64.cpp.
//
//===----------------------------------------------------------------------===//

#include "Interpreter.h"

#include "llvm/MC/MCInst.h"
#include "llvm/MC/MCInstrDesc.h"
#include "llvm/Support/MathExtras.h"

using namespace llvm;

namespace gotramp::stack {

namespace {

class X86InstructionSet final : public InstructionSet {
public:
  RegisterNames registerNames() const override;
  OpInfo classify(StringRef N) const override;
  void checkMemory(Step &St) const override;
  bool apply(Step &St) const override;
};

RegisterNames X86InstructionSet::registerNames() const {
  RegisterNames R;
  R.GPR = {"RAX", "RBX", "RCX", "RDX", "RSI", "RDI", "RBP", "R8",
           "R9",  "R10", "R11", "R12", "R13", "R14", "R15"};
  R.CalleeSaved = {"RBX", "RBP", "R12", "R13", "R14", "R15"};
  R.Args = {"RDI", "RSI", "RDX", "RCX", "R8", "R9", "RAX"};
  R.SP = "RSP";
  R.FP = "RBP";
  R.PC = "RIP";
  return R;
}

OpInfo X86InstructionSet::classify(StringRef N) const {
  OpInfo I;
  if (N == "PUSH64r" || N == "PUSH64i8" || N == "PUSH64i32" ||
      N == "PUSH64rmm" || N == "PUSHF64" || N == "PUSH64i16")
    I = {Op::Push, 8};
  else if (N == "PUSH16r" || N == "PUSH16rmm" || N == "PUSH16i8" ||
           N == "PUSH16i" || N == "PUSHF16")
    I = {Op::Push, 2};
  else if (N == "POP64r" || N == "POP64rmm" || N == "POPF64")
    I = {Op::Pop, 8};
  else if (N == "POP16r" || N == "POP16rmm" || N == "POPF16")
    I = {Op::Pop, 2};
  else if (N == "SUB64ri8" || N == "SUB64ri32")
    I.Kind = Op::SubRI;
  else if (N == "ADD64ri8" || N == "ADD64ri32")
    I.Kind = Op::AddRI;
  else if (N == "AND64ri8" || N == "AND64ri32")
    I.Kind = Op::AndRI;
  else if (N == "MOV64rr" || N == "MOV64rr_REV")
    I.Kind = Op::MovRR;
  else if (N == "LEA64r")
    I.Kind = Op::Lea;
  else if (N == "LEAVE64" || N == "LEAVE")
    I.Kind = Op::Leave;
  else if (N == "ENTER")
    I.Kind = Op::Enter;
  else if (N == "ADD64rr" || N == "ADD64rr_REV")
    I.Kind = Op::AddRR;
  else if (N == "SUB64rr" || N == "SUB64rr_REV")
    I.Kind = Op::SubRR;
  else if (N == "DEC64r")
    I = {Op::IncDec, 1};
  else if (N == "INC64r")
    I = {Op::IncDec, 0};
  else if (N == "MOVSX64rm32")
    I = {Op::TableLoad, 4, true};
  else if (N == "MOV32rm")
    I = {Op::TableLoad, 4, false};
  else if (N == "MOVZX32rm8")
    I = {Op::TableLoad, 1, false};
  else if (N == "MOVZX32rm16")
    I = {Op::TableLoad, 2, false};
  else if (N == "MOVSX64rm8")
    I = {Op::TableLoad, 1, true};
  else if (N == "MOVSX64rm16")
    I = {Op::TableLoad, 2, true};
  else if (N == "INT3" || N == "HLT" || N == "UD1Wm" || N == "UD1Wr" ||
           N == "UD1Lm" || N == "UD1Lr" || N == "UD1Qm" || N == "UD1Qr")
    I.Kind = Op::Int3;
  return I;
}

void X86InstructionSet::checkMemory(Step &St) const {
  const MCInst &I = St.I;
  const MCInstrDesc &Desc = St.Desc;
  const OpInfo &Info = St.Info;
  const State &S = St.S;
  int &MemIdx = St.MemIdx;
  if (Info.Kind != Op::Lea) {
    for (unsigned K = 0; K + 4 < I.getNumOperands() && K < Desc.getNumOperands();
         ++K)
      if (Desc.operands()[K].OperandType == MCOI::OPERAND_MEMORY &&
          I.getOperand(K).isReg()) {
        MemIdx = K;
        break;
      }
    if (MemIdx >= 0) {
      unsigned Base = I.getOperand(MemIdx).getReg();
      unsigned Index = I.getOperand(MemIdx + 2).getReg();
      const MCOperand &DispOp = I.getOperand(MemIdx + 3);
      unsigned Seg = I.getOperand(MemIdx + 4).getReg();
      Val B = St.valOf(S, Base);
      if (!Seg && B.Kind == VSP)
        St.checkBelowSP(S, B.Depth, DispOp.isImm() ? DispOp.getImm() : 0,
                        Index != 0);
      if (Index)
        St.escapeCheck({Index});
    }
  }
}

bool X86InstructionSet::apply(Step &St) const {
  const Machine &M = St.M;
  const MCInst &I = St.I;
  const MCInstrDesc &Desc = St.Desc;
  const OpInfo &Info = St.Info;
  const uint64_t Next = St.Next;
  const int MemIdx = St.MemIdx;
  const State &Before = St.Before;
  State &S = St.S;
  switch (Info.Kind) {
  case Op::Push:
    S.D += Info.Size;
    St.SPHandled = true;
    break;
  case Op::Pop: {
    unsigned Dst = St.opReg(0);
    if (Info.Size && Dst && M.isSP(Dst) && Desc.getNumDefs()) {
      St.stop(StackProblem::UnsupportedStackOp, "pop into the stack pointer");
      return false;
    }
    S.D -= Info.Size;
    St.SPHandled = true;
    break;
  }
  case Op::SubRI:
  case Op::AddRI: {
    unsigned Dst = St.opReg(0);
    int64_t Imm = St.opImm(2);
    int64_t Delta = Info.Kind == Op::SubRI ? Imm : -Imm;
    Val Src = St.valOf(Before, St.opReg(1));
    if (M.isSP(Dst)) {
      St.SPHandled = true;
      S.D += Delta;
    } else if (Src.Kind == VSP) {
      Src.Depth += Delta;
      St.setVal(S, Dst, Src);
    } else if (Src.Kind == VConst) {
      St.setVal(S, Dst, Val::constant(Src.Addr - Delta));
    }
    break;
  }
  case Op::AndRI: {
    unsigned Dst = St.opReg(0);
    if (M.isSP(Dst)) {
      int64_t Mask = St.opImm(2);
      if (Mask >= 0 || !isPowerOf2_64(uint64_t(-Mask))) {
        St.stop(StackProblem::UnsupportedStackOp,
                "stack pointer masked with an unexpected constant");
        return false;
      }
      St.SPHandled = true;
      S.D += realignSlack(-Mask, S.D, S.Exact);
      S.Exact = false;
    }
    break;
  }
  case Op::MovRR: {
    unsigned Dst = St.opReg(0), Src = St.opReg(1);
    if (M.isSP(Dst)) {
      if (!St.setSPFrom(St.valOf(Before, Src)))
        return false;
    } else {
      St.setVal(S, Dst, St.valOf(Before, Src));
    }
    break;
  }
  case Op::Lea: { // [dst, base, scale, index, disp, seg]
    unsigned Dst = St.opReg(0), Base = St.opReg(1), Index = St.opReg(3),
             Seg = St.opReg(5);
    const MCOperand &DispOp = I.getOperand(4);
    Val R;
    if (!Seg && !Index && DispOp.isImm()) {
      int64_t Disp = DispOp.getImm();
      if (Base && Base == M.PC) {
        R = Val::constant(Next + Disp);
      } else {
        Val B = St.valOf(Before, Base);
        if (B.Kind == VSP)
          R = Val::sp(B.Depth - Disp, B.Exact);
        else if (B.Kind == VConst)
          R = Val::constant(B.Addr + Disp);
      }
    } else if (Index) {
      St.escapeCheck({Base, Index});
    }
    if (M.isSP(Dst)) {
      if (!St.setSPFrom(R))
        return false;
    } else {
      St.setVal(S, Dst, R);
    }
    break;
  }
  case Op::Leave: {
    Val FPV = St.valOf(Before, M.FP);
    if (!St.setSPFrom(FPV))
      return false;
    S.D -= 8;
    break;
  }
  case Op::Enter: {
    if (St.opImm(1) != 0) {
      St.stop(StackProblem::UnsupportedStackOp, "enter with a nesting level");
      return false;
    }
    S.D += 8;
    St.setVal(S, M.FP, Val::sp(S.D, S.Exact));
    S.D += St.opImm(0);
    St.SPHandled = true;
    break;
  }
  case Op::AddRR: {
    Val A = St.valOf(Before, St.opReg(1)), B = St.valOf(Before, St.opReg(2));
    if (A.Kind == VLoad && B.Kind == VConst)
      std::swap(A, B);
    if (A.Kind == VConst && B.Kind == VLoad) {
      Val R = B;
      R.Kind = VSum;
      R.Base = A.Addr;
      R.Shift = 0;
      St.setVal(S, St.opReg(0), R);
    }
    if (M.isSP(St.opReg(0))) {
      St.stop(StackProblem::DynamicStack,
              "stack pointer moved by a run-time amount (alloca or a "
              "variable-length array)");
      return false;
    }
    break;
  }
  case Op::IncDec: {
    unsigned Dst = St.opReg(0);
    Val Src = St.valOf(Before, St.opReg(1));
    if (M.isSP(Dst)) {
      St.SPHandled = true;
      S.D += Info.Size ? 1 : -1;
    } else if (Src.Kind == VSP) {
      Src.Depth += Info.Size ? 1 : -1;
      St.setVal(S, Dst, Src);
    }
    break;
  }
  case Op::SubRR:
    if (M.isSP(St.opReg(0))) {
      St.stop(StackProblem::DynamicStack,
              "stack pointer moved by a run-time amount (alloca or a "
              "variable-length array)");
      return false;
    }
    break;
  case Op::TableLoad: {
    if (MemIdx >= 0) {
      Val B = St.valOf(Before, I.getOperand(MemIdx).getReg());
      int64_t Scale = I.getOperand(MemIdx + 1).getImm();
      unsigned Index = I.getOperand(MemIdx + 2).getReg();
      const MCOperand &DispOp = I.getOperand(MemIdx + 3);
      if (B.Kind == VConst && Index && Scale == Info.Size && DispOp.isImm() &&
          !I.getOperand(MemIdx + 4).getReg()) {
        Val R;
        R.Kind = VLoad;
        R.Addr = B.Addr + DispOp.getImm();
        R.Width = Info.Size;
        R.Signed = Info.Signed;
        St.setVal(S, St.opReg(0), R);
      }
    }
    break;
  }
  default:
    break;
  }
  return true;
}

} // namespace

std::unique_ptr<InstructionSet> createX86InstructionSet() {
  return std::make_unique<X86InstructionSet>();
}

} // namespace gotramp::stack
