//===- Interpreter.h - stage 2: the per-function interpreter ----*- C++ -*-===//
//
// Private to generator/lib/stack/. What the interpreter core
// (Interpreter.cpp) shares with the per-instruction-set rules (X86.cpp,
// AArch64.cpp, behind InstructionSet) and with the call graph
// (CallGraph.cpp): the opcode classes, the abstract state (a bound on the
// stack depth and a symbolic value per general-purpose register), the LLVM
// MC objects of a target (Machine), the per-function results (FuncInfo), the
// analyzer that walks a function's control-flow graph, and the instruction
// being interpreted (Step).
//
//===----------------------------------------------------------------------===//
#pragma once

#include "Image.h"

#include "gotramp/stack/StackAnalysis.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/MC/MCAsmInfo.h"
#include "llvm/MC/MCContext.h"
#include "llvm/MC/MCDisassembler/MCDisassembler.h"
#include "llvm/MC/MCInst.h"
#include "llvm/MC/MCInstPrinter.h"
#include "llvm/MC/MCInstrAnalysis.h"
#include "llvm/MC/MCInstrDesc.h"
#include "llvm/MC/MCInstrInfo.h"
#include "llvm/MC/MCRegisterInfo.h"
#include "llvm/MC/MCSubtargetInfo.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace gotramp::stack {

/// Charge for an address below SP whose use cannot be followed: the System V
/// red zone (the most a correct x86-64 function may use below RSP).
constexpr int64_t RedZone = 128;

/// What the analysis needs to know about an opcode.
enum class Op : uint8_t {
  Other,
  // x86-64
  Push,     // Size bytes
  Pop,      // Size bytes
  SubRI,    // sub r64, imm
  AddRI,    // add r64, imm
  AndRI,    // and r64, imm
  MovRR,    // mov r64, r64
  Lea,      // lea r64, m
  Leave,
  Enter,
  AddRR,    // add r64, r64 (jump-table base + entry)
  SubRR,    // sub r64, r64
  IncDec,   // inc/dec r64 (Size 1: dec)
  TableLoad, // movsxd / mov r32 / movzx from [base + index*scale + disp]
  Int3,
  // AArch64
  PrePost,   // load/store with writeback
  PairOff,   // ldp/stp/ldnp/stnp signed scaled offset
  Unscaled,  // ldur/stur
  UnsignedOff, // ldr/str unsigned scaled offset
  AddXri,
  SubXri,
  AndXri,
  Adrp,
  Adr,
  OrrXrs,    // mov xd, xm
  AddXrs,
  SubXrr,    // sub sp, sp, xN (any register form)
  RegOffLoad, // ldrb/ldrh/ldr w/ldrsw [xn, xm{, lsl}]
};

struct OpInfo {
  Op Kind = Op::Other;
  uint8_t Size = 0;   // Push/Pop bytes; table-load width; ldst scale
  bool Signed = false; // table loads
  bool Pre = false;    // PrePost: pre-index
  bool Pair = false;   // PrePost: pair
};

enum ValKind : uint8_t { VUnknown, VSP, VConst, VLoad, VSum };

/// Symbolic value of a general-purpose register.
struct Val {
  ValKind Kind = VUnknown;
  bool Exact = true;   // VSP: Depth is exact (else an upper bound)
  uint8_t Width = 0;   // VLoad/VSum: table entry bytes
  bool Signed = false; // VLoad/VSum
  uint8_t Shift = 0;   // VSum: entry << Shift
  int64_t Depth = 0;   // VSP: register = CFA - Depth
  uint64_t Addr = 0;   // VConst: value; VLoad/VSum: table address
  uint64_t Base = 0;   // VSum: base address

  bool operator==(const Val &O) const {
    return Kind == O.Kind && Exact == O.Exact && Width == O.Width &&
           Signed == O.Signed && Shift == O.Shift && Depth == O.Depth &&
           Addr == O.Addr && Base == O.Base;
  }
  static Val sp(int64_t D, bool Exact) {
    Val V;
    V.Kind = VSP;
    V.Depth = D;
    V.Exact = Exact;
    return V;
  }
  static Val constant(uint64_t A) {
    Val V;
    V.Kind = VConst;
    V.Addr = A;
    return V;
  }
};

constexpr unsigned NumGPR = 32;

struct State {
  int64_t D = 0;    // upper bound on CFA - SP
  bool Exact = true;
  std::array<Val, NumGPR> R;

  bool operator==(const State &O) const {
    return D == O.D && Exact == O.Exact && R == O.R;
  }
  /// Joins O into this; true if this changed. With Widen, a register whose
  /// copy of SP still moves is forgotten instead of followed; Deeper is set
  /// when such a register was moving down the stack (the caller charges the
  /// escape amount: the pointer can no longer be followed below SP).
  bool join(const State &O, bool Widen, bool &Deeper) {
    State Old = *this;
    if (D != O.D || !O.Exact)
      Exact = false;
    D = std::max(D, O.D);
    for (unsigned I = 0; I < NumGPR; ++I) {
      Val &A = R[I];
      const Val &B = O.R[I];
      if (A == B)
        continue;
      if (A.Kind == VSP && B.Kind == VSP) {
        if (Widen && A.Depth != B.Depth) {
          Deeper |= B.Depth > A.Depth;
          A = Val();
        } else {
          A = Val::sp(std::max(A.Depth, B.Depth), false);
        }
      } else {
        A = Val();
      }
    }
    return !(*this == Old);
  }
};

/// LLVM's names of the registers the analysis tracks (see InstructionSet).
struct RegisterNames {
  std::vector<std::string> GPR;         // 64-bit general-purpose, by index
  std::vector<std::string> CalleeSaved; // of those, the callee-saved ones
  std::vector<std::string> Args;        // read by a call (argument registers)
  std::string SP, FP;
  std::string PC, ZR; // empty when the target has none
};

struct Step;

/// The rules that differ between instruction sets, one implementation per
/// file: X86.cpp (x86-64) and AArch64.cpp. Machine::create picks one; the
/// core (Interpreter.cpp) asks it at four points.
class InstructionSet {
public:
  virtual ~InstructionSet();

  /// The registers, for Machine's tables.
  virtual RegisterNames registerNames() const = 0;
  /// What the analysis needs to know about the opcode LLVM names N;
  /// Op::Other when nothing.
  virtual OpInfo classify(llvm::StringRef N) const = 0;
  /// Memory operands, before the instruction's definitions kill values:
  /// charges accesses below SP; on x86-64, sets St.MemIdx.
  virtual void checkMemory(Step &St) const = 0;
  /// Semantics: the instruction's effect on SP and on the tracked registers,
  /// once its definitions are killed. False when the path stops at the
  /// instruction (the problem is reported).
  virtual bool apply(Step &St) const = 0;
};

/// Defined in X86.cpp and AArch64.cpp.
std::unique_ptr<InstructionSet> createX86InstructionSet();
std::unique_ptr<InstructionSet> createAArch64InstructionSet();

/// LLVM MC objects for one target, plus register and opcode tables.
class Machine {
public:
  static llvm::Expected<std::unique_ptr<Machine>>
  create(const gotramp::Target &T);

  bool X86 = true;
  int64_t EntryDepth = 8;
  std::unique_ptr<InstructionSet> ISA; // X86.cpp or AArch64.cpp
  std::unique_ptr<llvm::MCRegisterInfo> MRI;
  std::unique_ptr<llvm::MCAsmInfo> MAI;
  std::unique_ptr<llvm::MCSubtargetInfo> STI;
  std::unique_ptr<llvm::MCInstrInfo> MII;
  std::unique_ptr<llvm::MCContext> Ctx;
  std::unique_ptr<llvm::MCDisassembler> Dis;
  std::unique_ptr<llvm::MCInstrAnalysis> MIA;
  std::unique_ptr<llvm::MCInstPrinter> IP;

  unsigned SP = 0, FP = 0, PC = 0, ZR = 0;
  std::vector<unsigned> GPR;       // index -> 64-bit register
  llvm::DenseMap<unsigned, int> GPRIndex; // any sub/super register -> index
  std::vector<bool> CalleeSaved;   // by index
  std::vector<unsigned> ArgRegs;   // by index
  llvm::DenseMap<unsigned, OpInfo> Ops;

  int gpr(unsigned Reg) const {
    auto It = GPRIndex.find(Reg);
    return It == GPRIndex.end() ? -1 : It->second;
  }
  bool isSP(unsigned Reg) const { return Reg && MRI->regsOverlap(Reg, SP); }
  OpInfo info(unsigned Opcode) const {
    auto It = Ops.find(Opcode);
    return It == Ops.end() ? OpInfo() : It->second;
  }
  std::string text(const llvm::MCInst &I, uint64_t Addr) const {
    std::string S;
    llvm::raw_string_ostream OS(S);
    IP->printInst(&I, Addr, "", *STI, OS);
    llvm::StringRef R = llvm::StringRef(S).trim();
    std::string Out;
    for (char C : R)
      Out += C == '\t' ? ' ' : C;
    return Out;
  }

private:
  void buildTables();
};

/// Largest amount `and sp, -N` can subtract when the depth before it is D
/// (exact or an upper bound); the CFA is 16-byte aligned by the psABI.
int64_t realignSlack(int64_t N, int64_t D, bool Exact);

struct Site {
  uint64_t Addr = 0;
  uint64_t TargetVA = 0;
  bool Tail = false;
  int64_t Depth = 0;
};

struct FuncInfo {
  FuncSym Sym;
  uint64_t SecVA = 0;
  std::vector<std::string> Aliases;
  int64_t Own = 0;
  std::map<uint64_t, Site> Sites;
  std::map<uint64_t, StackFunction::Issue> Issues;
  bool Complete = true; // no path was cut short
  unsigned JumpTables = 0;
};

class FunctionAnalyzer {
public:
  FunctionAnalyzer(const Machine &M, const Image &Img,
                   const std::map<uint64_t, unsigned> &FuncByVA, FuncInfo &F)
      : M(M), Img(Img), FuncByVA(FuncByVA), F(F),
        Start(F.Sym.VA), End(F.Sym.VA + F.Sym.Size),
        SecVA(Img.Secs[F.Sym.Sec].VA), SecName(Img.Secs[F.Sym.Sec].Name) {}

  void run();

private:
  friend struct Step; // the helpers the instruction-set rules use

  struct Decoded {
    bool Ok = false;
    llvm::MCInst Inst;
    uint64_t Size = 0;
  };

  const Machine &M;
  const Image &Img;
  const std::map<uint64_t, unsigned> &FuncByVA;
  FuncInfo &F;
  uint64_t Start, End, SecVA;
  std::string SecName;

  std::map<uint64_t, Decoded> Cache;
  std::map<uint64_t, State> In;
  std::map<uint64_t, unsigned> Visits, Joins, Growth;
  std::set<uint64_t> Looping;
  std::deque<uint64_t> Work;
  std::set<uint64_t> Queued;
  std::optional<std::set<uint64_t>> Boundaries; // x86 linear sweep
  bool BoundariesValid = false;
  std::set<uint64_t> TablesSeen;

  const Decoded &decode(uint64_t VA);
  std::string where(uint64_t VA) const {
    return hex(VA - SecVA) + " (" + F.Sym.Name + "+" + hex(VA - Start) + ")";
  }
  void issue(StackProblem K, uint64_t VA, const std::string &Detail,
             bool CutsPath, const std::string &External = "") {
    if (CutsPath)
      F.Complete = false;
    if (F.Issues.count(VA))
      return;
    StackFunction::Issue I;
    I.Kind = K;
    I.Address = VA - SecVA;
    I.Detail = Detail;
    I.External = External;
    F.Issues[VA] = std::move(I);
  }
  void charge(int64_t Depth) { F.Own = std::max(F.Own, Depth); }
  void propagate(uint64_t VA, const State &S);
  void step(uint64_t VA, State S);
  void addSite(uint64_t VA, uint64_t Target, bool Tail, int64_t Depth);
  /// Handles a transfer to Target outside the function (tail call) or inside.
  void branchTo(uint64_t VA, uint64_t Target, const State &S, bool Call,
                const llvm::MCInst &I);
  bool inFunc(uint64_t VA) const { return VA >= Start && VA < End; }
  bool isBoundary(uint64_t VA);
  bool tryJumpTable(uint64_t VA, const Val &V, const State &S,
                    const llvm::MCInst &I);
};

/// The instruction FunctionAnalyzer::step is interpreting, as it hands it to
/// the InstructionSet: the instruction, the state it transforms, and the
/// helpers of step that the per-target rules share.
struct Step {
  Step(FunctionAnalyzer &A, const llvm::MCInst &I,
       const llvm::MCInstrDesc &Desc, OpInfo Info, uint64_t VA, uint64_t Next,
       State &S)
      : A(A), M(A.M), I(I), Desc(Desc), Info(Info), VA(VA), Next(Next), S(S),
        Before(S) {}

  FunctionAnalyzer &A;
  const Machine &M;
  const llvm::MCInst &I;
  const llvm::MCInstrDesc &Desc;
  const OpInfo Info;
  const uint64_t VA;
  const uint64_t Next; // address of the next instruction
  State &S;            // the state, transformed in place
  /// Snapshot of the state before definitions kill values.
  const State Before;
  int MemIdx = -1;        // x86: first operand of the memory reference
  bool SPHandled = false; // the semantics accounted for a write to SP

  void charge(int64_t Depth) { A.charge(Depth); }
  void stop(StackProblem K, const std::string &Why);
  // Uses of addresses below SP that escape tracking: registers read other
  // than as a tracked base.
  void escapeCheck(llvm::ArrayRef<unsigned> Regs);
  // Values read before the instruction's definitions.
  unsigned opReg(unsigned K) const;
  int64_t opImm(unsigned K) const;
  bool setSPFrom(const Val &V);
  void checkBelowSP(const State &S, int64_t BaseDepth, int64_t Disp,
                    bool Indexed);
  Val valOf(const State &S, unsigned Reg) const {
    if (!Reg)
      return Val();
    if (M.isSP(Reg))
      return Reg == M.SP ? Val::sp(S.D, S.Exact) : Val();
    int I = M.gpr(Reg);
    if (I < 0 || M.GPR[I] != Reg)
      return Val(); // only full 64-bit reads carry a value
    return S.R[I];
  }
  void setVal(State &S, unsigned Reg, const Val &V) const {
    int I = M.gpr(Reg);
    if (I < 0)
      return;
    // A 32-bit write zero-extends on both targets: only values that are
    // table loads (zero-extended by construction) survive it.
    if (M.GPR[I] != Reg && !(V.Kind == VLoad && !V.Signed))
      S.R[I] = Val();
    else
      S.R[I] = V;
  }
};

} // namespace gotramp::stack
