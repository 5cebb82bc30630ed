//===- CallGraph.cpp - stage 3: call graph and the public entry points ----===//
//
// Stack bounds from the machine code, in three stages (the model and its
// guarantees are documented in gotramp/stack/StackAnalysis.h):
//
//  1. Image (Image.cpp): the ELF object's sections are laid out at virtual
//     addresses and its relocations applied, so that a compiler object and
//     the packer's pre-linked blob look the same to the rest.
//  2. Per function, an abstract interpretation over the control-flow graph
//     (Interpreter.cpp; the per-instruction-set rules in X86.cpp and
//     AArch64.cpp). The own frame is the maximum depth over every reachable
//     instruction, plus accesses below SP.
//  3. Call graph (this file): Tarjan's SCCs (cycles are recursion), then
//     bounds in reverse topological order.
//
// Also here: the public entry points of StackAnalysis.h (analyzeStack runs
// the stages and cross-checks `.stack_sizes`; boundFor, describeStackBound
// and the trampoline sizing helpers).
//
//===----------------------------------------------------------------------===//

#include "Interpreter.h"

#include "gotramp/stack/StackAnalysis.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/LEB128.h"
#include "llvm/Support/MathExtras.h"

#include <deque>
#include <map>
#include <set>
#include <tuple>

using namespace llvm;
using namespace gotramp::stack;

namespace gotramp {

StringRef stackProblemName(StackProblem P) {
  switch (P) {
  case StackProblem::None: return "none";
  case StackProblem::Recursion: return "recursion";
  case StackProblem::IndirectCall: return "indirect-call";
  case StackProblem::IndirectJump: return "indirect-jump";
  case StackProblem::DynamicStack: return "dynamic-stack";
  case StackProblem::StackLoop: return "stack-loop";
  case StackProblem::UnsupportedStackOp: return "unsupported-stack-op";
  case StackProblem::ExternalCall: return "external-call";
  case StackProblem::BadTarget: return "bad-target";
  case StackProblem::Disassembly: return "disassembly";
  case StackProblem::FallsOffEnd: return "falls-off-end";
  case StackProblem::BadRelocation: return "bad-relocation";
  }
  return "unknown";
}

uint64_t trampolineFrameBytes(uint64_t Bound) {
  return alignTo(Bound + StackMarginBytes, 16);
}

bool fitsNosplit(uint64_t Bound) {
  return trampolineFrameBytes(Bound) <= NosplitMaxFrameBytes;
}

std::string describeStackBound(const StackBound &B) {
  if (B.Known)
    return "stack bound " + std::to_string(B.Bytes) + " bytes (" +
           join(B.Path, " -> ") + ")";
  return "stack bound unknown: " + B.Reason;
}

namespace {

class Graph {
public:
  Graph(std::vector<FuncInfo> &Funcs, const std::map<uint64_t, unsigned> &ByVA,
        const Machine &M)
      : Funcs(Funcs), ByVA(ByVA), M(M) {}

  void solve(std::vector<StackFunction> &Out);

private:
  std::vector<FuncInfo> &Funcs;
  const std::map<uint64_t, unsigned> &ByVA;
  const Machine &M;

  std::vector<std::vector<unsigned>> Succ; // distinct callees
  std::vector<int> Index, Low, Comp;
  std::vector<bool> OnStack;
  std::vector<unsigned> Stack;
  std::vector<std::vector<unsigned>> Comps; // reverse topological order
  int Counter = 0;

  void strongConnect(unsigned V);
  std::vector<std::string> cycleThrough(unsigned V);
};

void Graph::strongConnect(unsigned Root) {
  // Iterative Tarjan: (node, next successor position).
  std::vector<std::pair<unsigned, unsigned>> Call{{Root, 0}};
  Index[Root] = Low[Root] = Counter++;
  Stack.push_back(Root);
  OnStack[Root] = true;
  while (!Call.empty()) {
    auto &[V, Pos] = Call.back();
    if (Pos < Succ[V].size()) {
      unsigned W = Succ[V][Pos++];
      if (Index[W] < 0) {
        Index[W] = Low[W] = Counter++;
        Stack.push_back(W);
        OnStack[W] = true;
        Call.push_back({W, 0});
      } else if (OnStack[W]) {
        Low[V] = std::min(Low[V], Index[W]);
      }
      continue;
    }
    if (Low[V] == Index[V]) {
      std::vector<unsigned> C;
      unsigned W;
      do {
        W = Stack.back();
        Stack.pop_back();
        OnStack[W] = false;
        Comp[W] = Comps.size();
        C.push_back(W);
      } while (W != V);
      Comps.push_back(std::move(C));
    }
    unsigned Done = V;
    Call.pop_back();
    if (!Call.empty())
      Low[Call.back().first] = std::min(Low[Call.back().first], Low[Done]);
  }
}

std::vector<std::string> Graph::cycleThrough(unsigned V) {
  // BFS inside V's component from V back to V.
  std::map<unsigned, unsigned> Parent;
  std::deque<unsigned> Q;
  for (unsigned W : Succ[V]) {
    if (Comp[W] != Comp[V])
      continue;
    if (W == V)
      return {Funcs[V].Sym.Name, Funcs[V].Sym.Name};
    if (!Parent.count(W)) {
      Parent[W] = V;
      Q.push_back(W);
    }
  }
  while (!Q.empty()) {
    unsigned X = Q.front();
    Q.pop_front();
    for (unsigned W : Succ[X]) {
      if (Comp[W] != Comp[V])
        continue;
      if (W == V) {
        std::vector<std::string> Path{Funcs[V].Sym.Name};
        std::vector<unsigned> Rev;
        for (unsigned Y = X; Y != V; Y = Parent[Y])
          Rev.push_back(Y);
        for (auto It = Rev.rbegin(); It != Rev.rend(); ++It)
          Path.push_back(Funcs[*It].Sym.Name);
        Path.push_back(Funcs[V].Sym.Name);
        return Path;
      }
      if (!Parent.count(W)) {
        Parent[W] = X;
        Q.push_back(W);
      }
    }
  }
  return {Funcs[V].Sym.Name};
}

void Graph::solve(std::vector<StackFunction> &Out) {
  unsigned N = Funcs.size();
  Succ.assign(N, {});
  for (unsigned V = 0; V < N; ++V) {
    std::set<unsigned> Seen;
    for (auto &[Addr, S] : Funcs[V].Sites)
      if (auto It = ByVA.find(S.TargetVA); It != ByVA.end())
        if (Seen.insert(It->second).second)
          Succ[V].push_back(It->second);
  }
  Index.assign(N, -1);
  Low.assign(N, 0);
  Comp.assign(N, -1);
  OnStack.assign(N, false);
  for (unsigned V = 0; V < N; ++V)
    if (Index[V] < 0)
      strongConnect(V);

  Out.assign(N, StackFunction());
  for (unsigned V = 0; V < N; ++V) {
    const FuncInfo &F = Funcs[V];
    StackFunction &SF = Out[V];
    SF.OwnFrame = uint64_t(std::max<int64_t>(F.Own, 0));
    SF.JumpTables = F.JumpTables;
    for (auto &[VA, Iss] : F.Issues)
      SF.Issues.push_back(Iss);
  }

  // Components come out of Tarjan in reverse topological order: every
  // callee's component is solved before its callers'.
  for (const std::vector<unsigned> &C : Comps) {
    bool Cyclic = C.size() > 1;
    if (!Cyclic)
      for (unsigned W : Succ[C[0]])
        Cyclic |= W == C[0];
    if (Cyclic) {
      for (unsigned V : C) {
        StackFunction &SF = Out[V];
        SF.Bounded = false;
        SF.Problem = StackProblem::Recursion;
        SF.Cycle = cycleThrough(V);
        SF.ProblemFunction = Funcs[V].Sym.Name;
        // The address of the call that closes the cycle.
        std::string NextName = SF.Cycle.size() > 1 ? SF.Cycle[1] : "";
        for (auto &[Addr, S] : Funcs[V].Sites) {
          auto It = ByVA.find(S.TargetVA);
          if (It != ByVA.end() && Funcs[It->second].Sym.Name == NextName) {
            SF.ProblemAddress = Addr - Funcs[V].SecVA;
            break;
          }
        }
        SF.ProblemPath = {Funcs[V].Sym.Name};
        SF.Reason = "recursion: " + join(SF.Cycle, " -> ");
      }
      continue;
    }
    unsigned V = C[0];
    const FuncInfo &F = Funcs[V];
    StackFunction &SF = Out[V];
    if (!F.Issues.empty()) {
      const StackFunction::Issue &First = F.Issues.begin()->second;
      SF.Problem = First.Kind;
      SF.Reason = First.Detail;
      SF.ProblemFunction = F.Sym.Name;
      SF.ProblemAddress = First.Address;
      SF.ExternalSymbol = First.External;
      SF.ProblemPath = {F.Sym.Name};
      continue;
    }
    int64_t Best = F.Own;
    int BestCallee = -1;
    bool Unknown = false;
    for (auto &[Addr, S] : F.Sites) {
      auto It = ByVA.find(S.TargetVA);
      if (It == ByVA.end())
        continue; // external: already an issue
      unsigned W = It->second;
      const StackFunction &Callee = Out[W];
      if (!Callee.Bounded) {
        SF.Problem = Callee.Problem;
        SF.ProblemFunction = Callee.ProblemFunction;
        SF.ProblemAddress = Callee.ProblemAddress;
        SF.ExternalSymbol = Callee.ExternalSymbol;
        SF.ProblemPath = {F.Sym.Name};
        append_range(SF.ProblemPath, Callee.ProblemPath);
        SF.Cycle = Callee.Cycle;
        StringRef Base = Callee.Reason;
        size_t Via = Base.find(" (reached through ");
        if (Via != StringRef::npos)
          Base = Base.take_front(Via);
        SF.Reason = Base.str() + " (reached through " +
                    join(SF.ProblemPath, " -> ") + ")";
        Unknown = true;
        break;
      }
      int64_t Cost = S.Depth - (S.Tail ? M.EntryDepth : 0) +
                     int64_t(Callee.Bound);
      if (Cost > Best) {
        Best = Cost;
        BestCallee = W;
      }
    }
    if (Unknown)
      continue;
    SF.Bounded = true;
    SF.Bound = uint64_t(std::max<int64_t>(Best, 0));
    SF.DeepestPath = {F.Sym.Name};
    if (BestCallee >= 0)
      append_range(SF.DeepestPath, Out[BestCallee].DeepestPath);
  }
}

} // namespace

Expected<StackReport> analyzeStack(ArrayRef<uint8_t> ElfObject,
                                   const Target &T) {
  auto ImgOrErr = buildImage(ElfObject, T);
  if (!ImgOrErr)
    return ImgOrErr.takeError();
  Image &Img = *ImgOrErr;
  auto MOrErr = Machine::create(T);
  if (!MOrErr)
    return MOrErr.takeError();
  const Machine &M = **MOrErr;

  // Functions: one per address; other symbols there become aliases. Sizes
  // missing (assembly without .size) extend to the next symbol.
  std::vector<FuncSym> Syms = Img.Syms;
  llvm::sort(Syms, [](const FuncSym &A, const FuncSym &B) {
    return std::make_tuple(A.VA, !A.Global, A.Name) <
           std::make_tuple(B.VA, !B.Global, B.Name);
  });
  std::vector<FuncInfo> Funcs;
  std::map<uint64_t, unsigned> ByVA;
  for (const FuncSym &S : Syms) {
    auto It = ByVA.find(S.VA);
    if (It != ByVA.end()) {
      FuncInfo &F = Funcs[It->second];
      F.Aliases.push_back(S.Name);
      if (S.Size > F.Sym.Size) {
        F.Sym.Size = S.Size;
        F.Sym.SizeKnown = true;
      }
      continue;
    }
    ByVA[S.VA] = Funcs.size();
    FuncInfo F;
    F.Sym = S;
    Funcs.push_back(std::move(F));
  }
  for (unsigned I = 0; I < Funcs.size(); ++I) {
    FuncSym &S = Funcs[I].Sym;
    if (S.SizeKnown)
      continue;
    const ImgSection &Sec = Img.Secs[S.Sec];
    uint64_t Limit = Sec.VA + Sec.Size;
    if (I + 1 < Funcs.size() && Funcs[I + 1].Sym.Sec == S.Sec)
      Limit = std::min(Limit, Funcs[I + 1].Sym.VA);
    S.Size = Limit > S.VA ? Limit - S.VA : 0;
  }

  for (FuncInfo &F : Funcs) {
    F.SecVA = Img.Secs[F.Sym.Sec].VA;
    FunctionAnalyzer A(M, Img, ByVA, F);
    A.run();
  }

  std::vector<StackFunction> Out;
  Graph G(Funcs, ByVA, M);
  G.solve(Out);

  StackReport R;
  R.Tgt = T;
  R.ReturnAddressBytes = uint64_t(M.EntryDepth);
  for (unsigned V = 0; V < Funcs.size(); ++V) {
    const FuncInfo &F = Funcs[V];
    StackFunction &SF = Out[V];
    const ImgSection &Sec = Img.Secs[F.Sym.Sec];
    SF.Name = F.Sym.Name;
    SF.Aliases = F.Aliases;
    SF.Section = Sec.Name;
    SF.Offset = F.Sym.VA - Sec.VA;
    SF.Size = F.Sym.Size;
    SF.Global = F.Sym.Global;
    for (auto &[VA, S] : F.Sites) {
      StackCallSite C;
      C.Address = VA - Sec.VA;
      C.Tail = S.Tail;
      C.DepthAtSite = uint64_t(std::max<int64_t>(S.Depth, 0));
      if (auto It = ByVA.find(S.TargetVA); It != ByVA.end()) {
        C.Callee = Funcs[It->second].Sym.Name;
      } else if (auto It = Img.ExternalNames.find(S.TargetVA);
                 It != Img.ExternalNames.end()) {
        C.Callee = It->second;
        C.External = true;
      }
      if (!is_contained(SF.Callees, C.Callee))
        SF.Callees.push_back(C.Callee);
      SF.Calls.push_back(std::move(C));
    }
  }

  // .stack_sizes cross-check.
  std::map<uint64_t, uint64_t> Sizes;
  for (auto &[EntryVA, SecIdx] : Img.StackSizes) {
    R.HasStackSizes = true;
    const ImgSection &IS = Img.Secs[SecIdx];
    std::optional<uint64_t> Addr = Img.read(EntryVA, 8);
    uint64_t Off = EntryVA - IS.VA + 8;
    unsigned N = 0;
    const char *Err = nullptr;
    uint64_t Size = decodeULEB128(IS.Bytes.data() + Off, &N,
                                  IS.Bytes.data() + IS.Size, &Err);
    if (!Addr || Err || Img.isBad(EntryVA, EntryVA + 8))
      continue;
    Sizes[*Addr] = Size;
  }
  for (auto &[Addr, Size] : Sizes) {
    auto It = ByVA.find(Addr);
    if (It == ByVA.end()) {
      R.Mismatches.push_back(".stack_sizes has an entry for address " +
                             hex(Addr) + ", which is no function");
      continue;
    }
    StackFunction &SF = Out[It->second];
    SF.CompilerStackSize = Size;
    if (!Funcs[It->second].Complete)
      continue;
    if (SF.OwnFrame < Size + R.ReturnAddressBytes) {
      SF.CompilerMismatch = true;
      R.Mismatches.push_back(
          SF.Name + ": own frame " + std::to_string(SF.OwnFrame) +
          " bytes from the machine code < .stack_sizes " +
          std::to_string(Size) + " + " + std::to_string(R.ReturnAddressBytes) +
          " (return address)");
    }
  }

  std::vector<unsigned> Order(Out.size());
  for (unsigned I = 0; I < Order.size(); ++I)
    Order[I] = I;
  llvm::sort(Order, [&](unsigned A, unsigned B) {
    return std::make_tuple(Funcs[A].Sym.Sec, Out[A].Offset, Out[A].Name) <
           std::make_tuple(Funcs[B].Sym.Sec, Out[B].Offset, Out[B].Name);
  });
  for (unsigned I : Order)
    R.Functions.push_back(std::move(Out[I]));
  return R;
}

Expected<StackBound> boundFor(const StackReport &Report, StringRef Name) {
  const StackFunction *Found = nullptr;
  unsigned Matches = 0;
  bool FoundGlobal = false;
  for (const StackFunction &F : Report.Functions) {
    bool Match = F.Name == Name || is_contained(F.Aliases, Name);
    if (!Match)
      continue;
    if (F.Global && !FoundGlobal) {
      Found = &F;
      FoundGlobal = true;
      Matches = 1;
    } else if (F.Global == FoundGlobal) {
      Found = Found ? Found : &F;
      ++Matches;
    }
  }
  if (!Found)
    return makeError("no function '" + Name + "' in the analysed object");
  if (Matches > 1)
    return makeError("function name '" + Name +
                     "' is ambiguous in the analysed object (" +
                     Twine(Matches) + " local definitions)");
  StackBound B;
  B.Known = Found->Bounded;
  if (B.Known) {
    B.Bytes = Found->Bound;
    B.Path = Found->DeepestPath;
  } else {
    B.Path = Found->ProblemPath;
    B.Problem = Found->Problem;
    B.Reason = Found->Reason;
    B.ProblemFunction = Found->ProblemFunction;
    B.ProblemAddress = Found->ProblemAddress;
    B.ExternalSymbol = Found->ExternalSymbol;
  }
  return B;
}

} // namespace gotramp
