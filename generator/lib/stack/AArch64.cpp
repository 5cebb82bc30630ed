//===- AArch64.cpp - the interpreter's AArch64 rules ----------------------===//
//
// The AArch64 half of InstructionSet (Interpreter.h): the registers
// (AAPCS64: callee-saved X19-X28 and FP; arguments X0-X8), the opcodes the
// analysis models (loads/stores with writeback or an offset from SP,
// add/sub/and with an immediate, adrp/adr, mov, the jump-table loads and
// adds), the memory operands (accesses below SP) and their semantics. The
// x86-64 rules are in X86.cpp.
//
//===----------------------------------------------------------------------===//

#include "Interpreter.h"

#include "llvm/ADT/bit.h"
#include "llvm/MC/MCInst.h"
#include "llvm/MC/MCInstrDesc.h"
#include "llvm/Support/MathExtras.h"

using namespace llvm;

namespace gotramp::stack {

namespace {

class AArch64InstructionSet final : public InstructionSet {
public:
  RegisterNames registerNames() const override;
  OpInfo classify(StringRef N) const override;
  void checkMemory(Step &St) const override;
  bool apply(Step &St) const override;
};

RegisterNames AArch64InstructionSet::registerNames() const {
  RegisterNames R;
  // std::string("X"): GCC 12 reports a false -Wrestrict for "X" + ... here.
  for (int I = 0; I <= 28; ++I)
    R.GPR.push_back(std::string("X") + std::to_string(I));
  R.GPR.push_back("FP");
  R.GPR.push_back("LR");
  for (int I = 19; I <= 28; ++I)
    R.CalleeSaved.push_back(std::string("X") + std::to_string(I));
  R.CalleeSaved.push_back("FP");
  for (int I = 0; I <= 8; ++I)
    R.Args.push_back(std::string("X") + std::to_string(I));
  R.SP = "SP";
  R.FP = "FP";
  R.ZR = "XZR";
  return R;
}

OpInfo AArch64InstructionSet::classify(StringRef N) const {
  OpInfo I;
  auto scaleOf = [](StringRef Cls) -> uint8_t {
    if (Cls == "X" || Cls == "D")
      return 8;
    if (Cls == "Q")
      return 16;
    if (Cls == "W" || Cls == "S" || Cls == "SW")
      return 4;
    return 0;
  };
  bool Load = N.starts_with("LD"), Store = N.starts_with("ST");
  if ((Load || Store) && (N.ends_with("pre") || N.ends_with("post"))) {
    bool Pre = N.ends_with("pre");
    StringRef Body = N.drop_back(Pre ? 3 : 4);
    bool Pair = Body.starts_with("LDP") || Body.starts_with("STP");
    I.Kind = Op::PrePost;
    I.Pre = Pre;
    I.Pair = Pair;
    I.Size = Pair ? scaleOf(Body.drop_front(3)) : 1;
    if (Pair && I.Size == 0)
      I.Kind = Op::Other; // unknown class: the generic SP check applies
  } else if ((N.starts_with("STP") || N.starts_with("LDP") ||
              N.starts_with("STNP") || N.starts_with("LDNP")) &&
             N.ends_with("i")) {
    StringRef Cls = N.drop_back(1).drop_front(N.starts_with("STNP") ||
                                                      N.starts_with("LDNP")
                                                  ? 4
                                                  : 3);
    if (uint8_t S = scaleOf(Cls))
      I = {Op::PairOff, S};
  } else if ((N.starts_with("STUR") || N.starts_with("LDUR")) &&
             N.ends_with("i")) {
    I = {Op::Unscaled, 1};
  } else if ((Load || Store) && N.ends_with("ui") &&
             (N.starts_with("LDR") || N.starts_with("STR"))) {
    I = {Op::UnsignedOff, 1};
  } else if (N == "ADDXri") {
    I.Kind = Op::AddXri;
  } else if (N == "SUBXri") {
    I.Kind = Op::SubXri;
  } else if (N == "ANDXri") {
    I.Kind = Op::AndXri;
  } else if (N == "ADRP") {
    I.Kind = Op::Adrp;
  } else if (N == "ADR") {
    I.Kind = Op::Adr;
  } else if (N == "ORRXrs") {
    I.Kind = Op::OrrXrs;
  } else if (N == "ADDXrs") {
    I.Kind = Op::AddXrs;
  } else if (N == "SUBXrs" || N == "SUBXrx" || N == "SUBXrx64" ||
             N == "ADDXrx" || N == "ADDXrx64") {
    I.Kind = Op::SubXrr;
  } else if (N == "LDRBBroX" || N == "LDRBBroW") {
    I = {Op::RegOffLoad, 1, false};
  } else if (N == "LDRHHroX" || N == "LDRHHroW") {
    I = {Op::RegOffLoad, 2, false};
  } else if (N == "LDRWroX" || N == "LDRWroW") {
    I = {Op::RegOffLoad, 4, false};
  } else if (N == "LDRSWroX" || N == "LDRSWroW") {
    I = {Op::RegOffLoad, 4, true};
  }
  return I;
}

/// Decodes an AArch64 logical immediate (N:immr:imms) of a 64-bit AND.
std::optional<uint64_t> decodeLogicalImm(uint64_t Enc) {
  unsigned N = (Enc >> 12) & 1, Immr = (Enc >> 6) & 0x3f, Imms = Enc & 0x3f;
  unsigned Len = 31 - countl_zero<uint32_t>((N << 6) | (~Imms & 0x3f));
  if (Len < 1 || Len > 6)
    return std::nullopt;
  unsigned Size = 1u << Len;
  unsigned R = Immr & (Size - 1), S = Imms & (Size - 1);
  if (S == Size - 1)
    return std::nullopt;
  uint64_t Pattern = (uint64_t(1) << (S + 1)) - 1;
  // Rotate right by R within Size bits.
  uint64_t Mask = Size == 64 ? ~uint64_t(0) : (uint64_t(1) << Size) - 1;
  Pattern = ((Pattern >> R) | (Pattern << (Size - R))) & Mask;
  while (Size < 64) {
    Pattern |= Pattern << Size;
    Size *= 2;
  }
  return Pattern;
}

void AArch64InstructionSet::checkMemory(Step &St) const {
  const MCInst &I = St.I;
  const MCInstrDesc &Desc = St.Desc;
  const OpInfo &Info = St.Info;
  const State &S = St.S;
  auto baseDisp = [&](unsigned BaseOp, int64_t Disp) {
    Val B = St.valOf(S, I.getOperand(BaseOp).getReg());
    if (B.Kind == VSP)
      St.checkBelowSP(S, B.Depth, Disp, false);
  };
  unsigned N = I.getNumOperands();
  switch (Info.Kind) {
  case Op::PairOff: // [Rt, Rt2, Rn, imm]
    if (N >= 4)
      baseDisp(N - 2, I.getOperand(N - 1).getImm() * Info.Size);
    break;
  case Op::Unscaled: // [Rt, Rn, imm]
    if (N >= 3)
      baseDisp(N - 2, I.getOperand(N - 1).getImm());
    break;
  case Op::UnsignedOff: // [Rt, Rn, uimm]: never below the base
    if (N >= 3)
      baseDisp(N - 2, 0);
    break;
  case Op::PrePost: { // [Rn_wb, Rt(, Rt2), Rn, imm]
    if (N >= 4) {
      int64_t Off = I.getOperand(N - 1).getImm() * Info.Size;
      baseDisp(N - 2, Info.Pre ? Off : 0);
    }
    break;
  }
  default:
    if (Desc.mayLoad() || Desc.mayStore()) {
      // A memory form not modelled whose base holds an address below SP:
      // charge the escape amount.
      for (const MCOperand &O : I)
        if (O.isReg()) {
          Val V = St.valOf(S, O.getReg());
          if (V.Kind == VSP && V.Depth > S.D)
            St.charge(std::max(V.Depth, S.D + RedZone));
        }
    }
    break;
  }
}

bool AArch64InstructionSet::apply(Step &St) const {
  const Machine &M = St.M;
  const MCInst &I = St.I;
  const OpInfo &Info = St.Info;
  const uint64_t VA = St.VA;
  const State &Before = St.Before;
  State &S = St.S;
  unsigned N = I.getNumOperands();
  switch (Info.Kind) {
  case Op::PrePost: {
    if (N < 4)
      break;
    unsigned Base = St.opReg(N - 2);
    int64_t Off = St.opImm(N - 1) * Info.Size;
    Val B = St.valOf(Before, Base);
    if (M.isSP(Base)) {
      St.SPHandled = true;
      S.D -= Off;
    } else if (B.Kind == VSP) {
      B.Depth -= Off;
      St.setVal(S, Base, B);
    } else if (B.Kind == VConst) {
      St.setVal(S, Base, Val::constant(B.Addr + Off));
    }
    break;
  }
  case Op::AddXri:
  case Op::SubXri: { // [Rd, Rn, imm, shift]
    unsigned Dst = St.opReg(0), Src = St.opReg(1);
    int64_t Imm = St.opImm(2) << St.opImm(3);
    if (Info.Kind == Op::SubXri)
      Imm = -Imm;
    Val B = St.valOf(Before, Src);
    Val R;
    if (B.Kind == VSP)
      R = Val::sp(B.Depth - Imm, B.Exact);
    else if (B.Kind == VConst)
      R = Val::constant(B.Addr + Imm);
    if (M.isSP(Dst)) {
      if (!St.setSPFrom(R))
        return false;
    } else {
      St.setVal(S, Dst, R);
    }
    break;
  }
  case Op::AndXri: { // [Rd, Rn, enc]
    unsigned Dst = St.opReg(0);
    if (!M.isSP(Dst))
      break;
    Val B = St.valOf(Before, St.opReg(1));
    std::optional<uint64_t> Mask = decodeLogicalImm(uint64_t(St.opImm(2)));
    if (B.Kind != VSP || !Mask || !isPowerOf2_64(-*Mask)) {
      St.stop(StackProblem::UnsupportedStackOp,
              "stack pointer realigned from an untracked value or with an "
              "unexpected mask");
      return false;
    }
    St.SPHandled = true;
    S.D = B.Depth + realignSlack(int64_t(-*Mask), B.Depth, B.Exact);
    S.Exact = false;
    break;
  }
  case Op::Adrp:
    St.setVal(S, St.opReg(0),
              Val::constant((VA & ~uint64_t(0xfff)) +
                            uint64_t(St.opImm(1)) * 4096));
    break;
  case Op::Adr:
    St.setVal(S, St.opReg(0), Val::constant(VA + St.opImm(1)));
    break;
  case Op::OrrXrs: // mov xd, xm == orr xd, xzr, xm, lsl #0
    if (St.opReg(1) == M.ZR && St.opImm(3) == 0)
      St.setVal(S, St.opReg(0), St.valOf(Before, St.opReg(2)));
    break;
  case Op::AddXrs: { // [Rd, Rn, Rm, shifter]
    Val A = St.valOf(Before, St.opReg(1)), B = St.valOf(Before, St.opReg(2));
    int64_t Sh = St.opImm(3);
    unsigned Type = (Sh >> 6) & 7, Amount = Sh & 0x3f;
    if (Type == 0 && A.Kind == VConst && B.Kind == VLoad) {
      Val R = B;
      R.Kind = VSum;
      R.Base = A.Addr;
      R.Shift = Amount;
      St.setVal(S, St.opReg(0), R);
    } else if (Type == 0 && Amount == 0 && A.Kind == VLoad &&
               B.Kind == VConst) {
      Val R = A;
      R.Kind = VSum;
      R.Base = B.Addr;
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
  case Op::SubXrr:
    if (M.isSP(St.opReg(0))) {
      St.stop(StackProblem::DynamicStack,
              "stack pointer moved by a run-time amount (alloca or a "
              "variable-length array)");
      return false;
    }
    break;
  case Op::RegOffLoad: { // [Rt, Rn, Rm, extend, doshift]
    Val B = St.valOf(Before, St.opReg(1));
    bool Shifted = St.opImm(4) != 0;
    bool ScaleOk = Info.Size == 1 ? true : Shifted;
    if (B.Kind == VConst && ScaleOk) {
      Val R;
      R.Kind = VLoad;
      R.Addr = B.Addr;
      R.Width = Info.Size;
      R.Signed = Info.Signed;
      St.setVal(S, St.opReg(0), R);
    }
    break;
  }
  default:
    break;
  }
  return true;
}

} // namespace

std::unique_ptr<InstructionSet> createAArch64InstructionSet() {
  return std::make_unique<AArch64InstructionSet>();
}

} // namespace gotramp::stack
