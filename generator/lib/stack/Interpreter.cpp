//===- Interpreter.cpp - stage 2: per-function abstract interpretation ----===//
//
// Stage 2 of the stack analysis (the stages are listed in CallGraph.cpp): per
// function, an abstract interpretation over the control-flow graph, decoding
// instructions on demand with LLVM MC from the function's entry (recursive
// descent, so data is never decoded as code). The state is an upper bound on
// the stack depth (bytes between the CFA and SP), whether that bound is
// exact, and for each general-purpose register a small symbolic value: a
// copy of SP at some depth (frame pointers, scratch copies), a constant
// address (lea rip / adrp+add / adr), a load from a constant table, or base +
// table entry (jump-table dispatch). Joins take the maximum depth. The own
// frame is the maximum depth over every reachable instruction, plus accesses
// below SP.
//
// This file is the core shared by both instruction sets: the LLVM MC objects
// and tables (Machine), the worklist over the control-flow graph, jump
// tables, calls and branches, and the parts of an instruction's
// interpretation that do not depend on the target. What does is asked of an
// InstructionSet: X86.cpp and AArch64.cpp.
//
//===----------------------------------------------------------------------===//

#include "Interpreter.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/MC/MCTargetOptions.h"
#include "llvm/MC/TargetRegistry.h"
#include "llvm/Support/MathExtras.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/TargetParser/Triple.h"

#include <mutex>

using namespace llvm;

namespace gotramp::stack {

namespace {

/// Jump tables are read at most this far.
constexpr unsigned MaxTableEntries = 4096;
/// Increases of the depth at one instruction before it is declared to grow
/// in a loop (without SP changes inside loops the depth settles at once).
constexpr unsigned MaxGrowth = 32;
/// Visits of one instruction before the analysis gives up on the function
/// (a guard: the lattice is finite once copies of SP are widened).
constexpr unsigned MaxVisits = 2000;
/// Joins at one instruction before moving copies of SP are widened.
constexpr unsigned WidenAfter = 8;
constexpr int64_t MaxDepth = int64_t(1) << 30;

} // namespace

InstructionSet::~InstructionSet() = default;

Expected<std::unique_ptr<Machine>> Machine::create(const gotramp::Target &T) {
  static std::once_flag Once;
  std::call_once(Once, [] {
    InitializeAllTargetInfos();
    InitializeAllTargetMCs();
    InitializeAllDisassemblers();
  });
  auto M = std::make_unique<Machine>();
  M->X86 = T.Architecture == Arch::AMD64;
  M->ISA = M->X86 ? createX86InstructionSet() : createAArch64InstructionSet();
  M->EntryDepth = M->X86 ? 8 : 0;
  std::string TripleName = T.triple();
  Triple TT(TripleName);
  std::string Err;
  const llvm::Target *LT = TargetRegistry::lookupTarget(TripleName, Err);
  if (!LT)
    return makeError("LLVM has no target for " + TripleName + ": " + Err);
  M->MRI.reset(LT->createMCRegInfo(TripleName));
  MCTargetOptions Opts;
  if (M->MRI)
    M->MAI.reset(LT->createMCAsmInfo(*M->MRI, TripleName, Opts));
  M->STI.reset(LT->createMCSubtargetInfo(TripleName, "",
                                         M->X86 ? "" : "+all"));
  M->MII.reset(LT->createMCInstrInfo());
  if (!M->MRI || !M->MAI || !M->STI || !M->MII)
    return makeError("cannot create the LLVM MC objects for " + TripleName);
  M->Ctx = std::make_unique<MCContext>(TT, M->MAI.get(), M->MRI.get(),
                                       M->STI.get());
  M->Dis.reset(LT->createMCDisassembler(*M->STI, *M->Ctx));
  M->MIA.reset(LT->createMCInstrAnalysis(M->MII.get()));
  M->IP.reset(LT->createMCInstPrinter(TT, M->X86 ? 1 : 0, *M->MAI, *M->MII,
                                      *M->MRI));
  if (!M->Dis || !M->MIA || !M->IP)
    return makeError("LLVM has no disassembler for " + TripleName +
                     " (was it initialised?)");
  M->buildTables();
  if (!M->SP || M->GPR.empty())
    return makeError("unexpected LLVM register names for " + TripleName);
  return M;
}

void Machine::buildTables() {
  StringMap<unsigned> RegByName;
  for (unsigned R = 1; R < MRI->getNumRegs(); ++R)
    RegByName[MRI->getName(R)] = R;
  auto reg = [&](StringRef N) { return RegByName.lookup(N); };

  RegisterNames Names = ISA->registerNames();
  SP = reg(Names.SP);
  FP = reg(Names.FP);
  if (!Names.PC.empty())
    PC = reg(Names.PC);
  if (!Names.ZR.empty())
    ZR = reg(Names.ZR);
  for (const std::string &N : Names.GPR) {
    unsigned R = reg(N);
    if (!R)
      continue;
    int Idx = GPR.size();
    GPR.push_back(R);
    for (MCSubRegIterator It(R, MRI.get(), /*IncludeSelf=*/true); It.isValid();
         ++It)
      GPRIndex[*It] = Idx;
  }
  CalleeSaved.assign(GPR.size(), false);
  for (const std::string &N : Names.CalleeSaved)
    if (int I = gpr(reg(N)); I >= 0)
      CalleeSaved[I] = true;
  for (const std::string &N : Names.Args)
    if (unsigned R = reg(N))
      ArgRegs.push_back(R);

  for (unsigned Opc = 0; Opc < MII->getNumOpcodes(); ++Opc) {
    OpInfo I = ISA->classify(MII->getName(Opc));
    if (I.Kind != Op::Other)
      Ops[Opc] = I;
  }
}

int64_t realignSlack(int64_t N, int64_t D, bool Exact) {
  if (N <= 1)
    return 0;
  if (!Exact)
    return N - 1;
  int64_t Res16 = ((-D) % 16 + 16) % 16; // SP mod 16
  if (N <= 16)
    return ((-D) % N + N) % N;
  return N - 16 + Res16;
}

const FunctionAnalyzer::Decoded &FunctionAnalyzer::decode(uint64_t VA) {
  auto [It, New] = Cache.try_emplace(VA);
  if (!New)
    return It->second;
  Decoded &D = It->second;
  ArrayRef<uint8_t> Bytes = Img.bytesFrom(VA, End);
  if (Bytes.empty())
    return D;
  uint64_t Size = 0;
  if (M.Dis->getInstruction(D.Inst, Size, Bytes, VA, nulls()) ==
          MCDisassembler::Success &&
      Size > 0) {
    D.Ok = true;
    D.Size = Size;
  }
  return D;
}

bool FunctionAnalyzer::isBoundary(uint64_t VA) {
  if (!inFunc(VA))
    return false;
  if (!M.X86)
    return (VA - Start) % 4 == 0 && decode(VA).Ok;
  if (!Boundaries) {
    Boundaries.emplace();
    BoundariesValid = true;
    uint64_t A = Start;
    while (A < End) {
      const Decoded &D = decode(A);
      if (!D.Ok) {
        BoundariesValid = false;
        break;
      }
      Boundaries->insert(A);
      A += D.Size;
    }
  }
  if (!BoundariesValid)
    return decode(VA).Ok;
  return Boundaries->count(VA);
}

void FunctionAnalyzer::propagate(uint64_t VA, const State &S) {
  auto [It, New] = In.try_emplace(VA, S);
  bool Changed = New;
  if (Looping.count(VA))
    return;
  if (!New) {
    int64_t OldD = It->second.D;
    // A pointer into the frame stepped down in a loop (`sub rax, 1` over a
    // buffer) would never converge: after a few rounds it is forgotten, and
    // because it may now point anywhere below, the escape amount is charged.
    bool Deeper = false;
    Changed = It->second.join(S, ++Joins[VA] > WidenAfter, Deeper);
    if (Deeper)
      charge(It->second.D + RedZone);
    if (It->second.D > OldD && ++Growth[VA] > MaxGrowth) {
      Looping.insert(VA);
      issue(StackProblem::StackLoop, VA,
            "stack pointer keeps moving inside a loop at " + where(VA), true);
      return;
    }
  }
  if (!Changed)
    return;
  if (Queued.insert(VA).second)
    Work.push_back(VA);
}

void FunctionAnalyzer::addSite(uint64_t VA, uint64_t Target, bool Tail,
                               int64_t Depth) {
  auto [It, New] = F.Sites.try_emplace(VA);
  Site &St = It->second;
  if (New) {
    St.Addr = VA;
    St.TargetVA = Target;
    St.Tail = Tail;
    St.Depth = Depth;
  } else {
    St.Depth = std::max(St.Depth, Depth);
  }
}

void FunctionAnalyzer::branchTo(uint64_t VA, uint64_t Target, const State &S,
                                bool Call, const MCInst &I) {
  if (!Call && inFunc(Target)) {
    propagate(Target, S);
    return;
  }
  std::string Kind = Call ? "call" : "tail jump";
  if (Img.isBad(Target, Target + 1)) {
    issue(StackProblem::BadRelocation, VA,
          Kind + " at " + where(VA) + " is patched by an unsupported relocation",
          false);
    return;
  }
  if (auto It = FuncByVA.find(Target); It != FuncByVA.end()) {
    addSite(VA, Target, !Call, S.D);
    return;
  }
  if (auto It = Img.ExternalNames.find(Target); It != Img.ExternalNames.end()) {
    addSite(VA, Target, !Call, S.D);
    issue(StackProblem::ExternalCall, VA,
          Kind + " at " + where(VA) + " to '" + It->second +
              "', which the object does not define",
          false, It->second);
    return;
  }
  if (Call && inFunc(Target)) {
    issue(StackProblem::BadTarget, VA,
          "call at " + where(VA) + " into its own function at " +
              hex(Target - SecVA),
          false);
    return;
  }
  issue(StackProblem::BadTarget, VA,
        Kind + " at " + where(VA) + " to " + hex(Target) +
            ", which is not the start of a function (" + M.text(I, VA) + ")",
        false);
}

bool FunctionAnalyzer::tryJumpTable(uint64_t VA, const Val &V, const State &S,
                                    const MCInst &I) {
  if (V.Kind != VSum)
    return false;
  std::vector<uint64_t> Targets;
  for (unsigned K = 0; K < MaxTableEntries; ++K) {
    uint64_t EntryVA = V.Addr + uint64_t(K) * V.Width;
    if (Img.isBad(EntryVA, EntryVA + V.Width))
      return false; // an entry we cannot read correctly: not provable
    std::optional<uint64_t> E = Img.read(EntryVA, V.Width);
    if (!E)
      break;
    uint64_t Entry = *E;
    if (V.Signed)
      Entry = uint64_t(SignExtend64(Entry, V.Width * 8));
    uint64_t Target = V.Base + (Entry << V.Shift);
    if (!isBoundary(Target))
      break;
    Targets.push_back(Target);
  }
  if (Targets.empty())
    return false;
  if (TablesSeen.insert(VA).second)
    ++F.JumpTables;
  for (uint64_t T : Targets)
    propagate(T, S);
  return true;
}

void FunctionAnalyzer::run() {
  State Entry;
  Entry.D = M.EntryDepth;
  Entry.Exact = true;
  F.Own = M.EntryDepth;
  propagate(Start, Entry);
  while (!Work.empty()) {
    uint64_t VA = Work.front();
    Work.pop_front();
    Queued.erase(VA);
    if (++Visits[VA] > MaxVisits) {
      issue(StackProblem::StackLoop, VA,
            "the analysis does not converge at " + where(VA), true);
      continue;
    }
    State S = In[VA];
    if (S.D > MaxDepth) {
      issue(StackProblem::StackLoop, VA,
            "stack depth grows without bound at " + where(VA), true);
      continue;
    }
    step(VA, S);
  }
  // x86-64 jump-table targets were validated against a linear sweep of the
  // function; the sweep must agree with every instruction the control flow
  // reached, or a real table entry may have been taken for the table's end.
  if (Boundaries && BoundariesValid && !TablesSeen.empty())
    for (auto &[VA, St] : In)
      if (inFunc(VA) && !Boundaries->count(VA)) {
        issue(StackProblem::IndirectJump, *TablesSeen.begin(),
              "jump table at " + where(*TablesSeen.begin()) +
                  " cannot be validated: the code at " + hex(VA - SecVA) +
                  " does not lie on a linear sweep of the function",
              false);
        break;
      }
}

void Step::stop(StackProblem K, const std::string &Why) {
  A.issue(K, VA, Why + " at " + A.where(VA) + ": " + M.text(I, VA), true);
}

void Step::escapeCheck(ArrayRef<unsigned> Regs) {
  for (unsigned R : Regs) {
    Val V = valOf(S, R);
    if (V.Kind == VSP && V.Depth > S.D)
      charge(std::max(V.Depth, S.D + RedZone));
  }
}

unsigned Step::opReg(unsigned K) const {
  return K < I.getNumOperands() && I.getOperand(K).isReg()
             ? unsigned(I.getOperand(K).getReg())
             : 0u;
}

int64_t Step::opImm(unsigned K) const {
  return K < I.getNumOperands() && I.getOperand(K).isImm()
             ? I.getOperand(K).getImm()
             : 0;
}

bool Step::setSPFrom(const Val &V) {
  SPHandled = true;
  if (V.Kind != VSP) {
    stop(StackProblem::DynamicStack,
         "stack pointer set from a value the analysis cannot bound "
         "(alloca or a variable-length array)");
    return false;
  }
  S.D = V.Depth;
  S.Exact = V.Exact;
  return true;
}

void Step::checkBelowSP(const State &S, int64_t BaseDepth, int64_t Disp,
                        bool Indexed) {
  int64_t Deepest = BaseDepth - Disp;
  if (Deepest <= S.D)
    return;
  charge(Indexed ? std::max(Deepest, S.D + RedZone) : Deepest);
}

void FunctionAnalyzer::step(uint64_t VA, State S) {
  const Decoded &Dec = decode(VA);
  if (!Dec.Ok) {
    if (!inFunc(VA))
      issue(StackProblem::FallsOffEnd, VA,
            "execution runs past the end of " + F.Sym.Name + " at " +
                hex(VA - SecVA),
            true);
    else
      issue(StackProblem::Disassembly, VA,
            "cannot disassemble the instruction at " + where(VA), true);
    return;
  }
  const MCInst &I = Dec.Inst;
  const MCInstrDesc &Desc = M.MII->get(I.getOpcode());
  uint64_t Next = VA + Dec.Size;
  OpInfo Info = M.info(I.getOpcode());
  charge(S.D);

  Step St(*this, I, Desc, Info, VA, Next, S);
  const State &Before = St.Before;

  // ---- Memory operands: accesses below SP (per instruction set) ---------
  M.ISA->checkMemory(St);
  const int MemIdx = St.MemIdx;

  // ---- Register uses that are not modelled: escape check ----------------
  {
    SmallVector<unsigned, 8> Uses;
    bool Modelled = false;
    switch (Info.Kind) {
    case Op::MovRR: case Op::Lea: case Op::SubRI: case Op::AddRI:
    case Op::IncDec:
    case Op::AndRI: case Op::AddXri: case Op::SubXri: case Op::AndXri:
    case Op::OrrXrs: case Op::PrePost: case Op::PairOff: case Op::Unscaled:
    case Op::UnsignedOff:
      Modelled = true;
      break;
    default:
      break;
    }
    if (!Modelled) {
      for (unsigned K = Desc.getNumDefs(); K < I.getNumOperands(); ++K) {
        if (MemIdx >= 0 && K == unsigned(MemIdx))
          continue; // the base of a memory operand: checked exactly in X86.cpp
        if (I.getOperand(K).isReg())
          Uses.push_back(I.getOperand(K).getReg());
      }
      for (MCPhysReg R : Desc.implicit_uses())
        Uses.push_back(R);
      if (Desc.isCall())
        append_range(Uses, M.ArgRegs);
      St.escapeCheck(Uses);
    }
  }

  // Kill every GPR the instruction defines; SP is handled separately.
  bool DefinesSP = false;
  auto killDef = [&](unsigned R) {
    if (!R)
      return;
    if (M.isSP(R)) {
      DefinesSP = true;
      return;
    }
    for (unsigned G = 0; G < M.GPR.size(); ++G)
      if (M.MRI->regsOverlap(R, M.GPR[G]))
        S.R[G] = Val();
  };
  for (unsigned K = 0; K < Desc.getNumDefs() && K < I.getNumOperands(); ++K)
    if (I.getOperand(K).isReg())
      killDef(I.getOperand(K).getReg());
  for (MCPhysReg R : Desc.implicit_defs())
    killDef(R);

  // ---- Semantics (per instruction set) ----------------------------------
  if (!M.ISA->apply(St))
    return;

  // ---- Control flow -----------------------------------------------------
  auto killCallerSaved = [&] {
    for (unsigned G = 0; G < M.GPR.size(); ++G)
      if (!M.CalleeSaved[G])
        S.R[G] = Val();
  };

  if (Desc.isCall()) {
    // Calls write SP only transiently (the return address, popped by ret).
    uint64_t Target = 0;
    bool Direct = M.MIA->evaluateBranch(I, VA, Dec.Size, Target);
    if (!Direct) {
      // call reg holding a constant; call [rip + GOT slot].
      Val V = St.valOf(Before, St.opReg(0));
      if (I.getNumOperands() == 1 && V.Kind == VConst) {
        Target = V.Addr;
        Direct = true;
      } else if (M.X86 && MemIdx == 0 && I.getOperand(0).getReg() == M.PC &&
                 !I.getOperand(2).getReg() && I.getOperand(3).isImm()) {
        uint64_t Slot = Next + I.getOperand(3).getImm();
        if (auto It = Img.Got.find(Slot); It != Img.Got.end()) {
          Target = It->second;
          Direct = true;
        }
      }
    }
    if (Direct) {
      branchTo(VA, Target, Before, /*Call=*/true, I);
    } else {
      issue(StackProblem::IndirectCall, VA,
            "indirect call at " + where(VA) + ": " + M.text(I, VA), false);
    }
    killCallerSaved();
    if (Next >= End)
      return; // a call to a function that does not return ends the code
    propagate(Next, S);
    return;
  }

  charge(S.D);
  if (DefinesSP && !St.SPHandled && !Desc.isReturn() && !Desc.isBranch()) {
    St.stop(StackProblem::UnsupportedStackOp,
            "unsupported write to the stack pointer");
    return;
  }

  if (Desc.isReturn()) {
    if (S.Exact && S.D != M.EntryDepth)
      issue(StackProblem::UnsupportedStackOp, VA,
            "return at " + where(VA) + " with " +
                std::to_string(S.D - M.EntryDepth) +
                " bytes still on the stack (a call before it never returns, "
                "or the frame was not tracked)",
            true);
    return;
  }
  if (Desc.isTrap() || Info.Kind == Op::Int3)
    return;

  if (Desc.isBranch()) {
    uint64_t Target = 0;
    if (M.MIA->evaluateBranch(I, VA, Dec.Size, Target)) {
      branchTo(VA, Target, Before, /*Call=*/false, I);
    } else if (Desc.isIndirectBranch()) {
      bool Done = false;
      if (I.getNumOperands() >= 1 && I.getOperand(0).isReg() &&
          I.getNumOperands() == 1) {
        Val V = St.valOf(Before, I.getOperand(0).getReg());
        if (V.Kind == VConst) {
          branchTo(VA, V.Addr, Before, false, I);
          Done = true;
        } else {
          Done = tryJumpTable(VA, V, Before, I);
        }
      } else if (M.X86 && MemIdx == 0 && I.getOperand(0).getReg() == M.PC &&
                 !I.getOperand(2).getReg() && I.getOperand(3).isImm()) {
        uint64_t Slot = Next + I.getOperand(3).getImm();
        if (auto It = Img.Got.find(Slot); It != Img.Got.end()) {
          branchTo(VA, It->second, Before, false, I);
          Done = true;
        }
      }
      if (!Done)
        issue(StackProblem::IndirectJump, VA,
              "indirect jump at " + where(VA) +
                  " that is not a recognised jump table: " + M.text(I, VA),
              false);
    } else {
      issue(StackProblem::BadTarget, VA,
            "branch at " + where(VA) + " whose target cannot be computed: " +
                M.text(I, VA),
            false);
    }
    if (!Desc.isConditionalBranch())
      return;
  }
  if (Desc.isBarrier())
    return;

  // Fall through.
  if (Next >= End) {
    if (auto It = FuncByVA.find(Next); It != FuncByVA.end() && Next == End) {
      addSite(VA, Next, /*Tail=*/true, S.D);
      return;
    }
    issue(StackProblem::FallsOffEnd, VA,
          "execution runs past the end of " + F.Sym.Name + " after " +
              where(VA),
          true);
    return;
  }
  propagate(Next, S);
}

} // namespace gotramp::stack
