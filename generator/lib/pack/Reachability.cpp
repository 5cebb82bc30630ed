//===- Reachability.cpp - what each root's code reaches in the inputs ------===//
//
// A graph of the inputs' allocated sections: an edge for every relocation,
// to the section defining its symbol (a local symbol's own section, a global
// one's first strong definition, as ld.lld resolves them) or to a symbol no
// input defines. A breadth-first walk from each root's section gives the
// shortest chain to every problem. Sections are the unit, as for
// --gc-sections: code compiled without -ffunction-sections keeps every
// function of its .text together, and the problem then says so.
//
//===----------------------------------------------------------------------===//
#include "gotramp/pack/Reachability.h"

#include "PackCommon.h"
#include "Symbols.h"

#include "llvm/ADT/StringMap.h"
#include "llvm/Object/ELFObjectFile.h"

#include <deque>
#include <optional>

using namespace llvm;

namespace gotramp {
namespace {

/// A named symbol defined in a section, for naming the code at an offset.
struct SymbolSpan {
  std::string Name;
  uint64_t Offset = 0, Size = 0;
};

/// A relocation of a section: to a global symbol by name, or to a section of
/// the same object (local symbols and section symbols).
struct Edge {
  uint64_t Offset = 0;
  std::string Global;       // by name, resolved across the inputs
  uint64_t LocalSection = 0; // when Global is empty
  std::string LocalName;    // the local symbol's name, when it has one
  int64_t Addend = 0;       // for a section symbol: where in it
  bool WeakUndefinedHere = false;
};

struct SectionNode {
  unsigned Object = 0;
  std::string Name;
  uint64_t Flags = 0;
  uint32_t Type = 0;
  uint64_t Size = 0;
  std::vector<Edge> Edges;
  std::vector<SymbolSpan> Symbols;

  /// The symbol whose bytes hold Offset, or "".
  std::string symbolAt(uint64_t Offset) const {
    for (const SymbolSpan &S : Symbols)
      if (Offset >= S.Offset && (Offset < S.Offset + S.Size || (S.Size == 0 && Offset == S.Offset)))
        return S.Name;
    return "";
  }
};

using NodeKey = std::pair<unsigned, uint64_t>; // object, section index

/// Where a global symbol is defined; NoSection for common and absolute ones.
struct Definition {
  NodeKey Node;
  bool HasSection = true;
  bool Weak = false;
};

struct InputGraph {
  std::vector<std::string> Objects; // display names
  std::map<NodeKey, SectionNode> Sections;
  StringMap<Definition> Globals;
};

bool isLinkerDefined(StringRef Name) {
  return Name.starts_with("__start_") || Name.starts_with("__stop_") ||
         Name == "_GLOBAL_OFFSET_TABLE_";
}

Error addObject(const object::ELFObjectFileBase &Obj, const std::string &Display,
                InputGraph &G) {
  unsigned Index = G.Objects.size();
  G.Objects.push_back(Display);
  for (const object::SectionRef &S : Obj.sections()) {
    object::ELFSectionRef ES(S);
    if (!(ES.getFlags() & ELF::SHF_ALLOC))
      continue;
    Expected<StringRef> Name = S.getName();
    if (!Name)
      return createFileError(Display, Name.takeError());
    G.Sections[{Index, S.getIndex()}] =
        SectionNode{Index, Name->str(), ES.getFlags(), ES.getType(), S.getSize(), {}, {}};
  }
  for (const object::ELFSymbolRef &Sym : Obj.symbols()) {
    Expected<StringRef> Name = Sym.getName();
    Expected<uint32_t> Flags = Sym.getFlags();
    Expected<object::section_iterator> Sec = Sym.getSection();
    if (!Name || !Flags || !Sec) {
      Error E = !Name ? Name.takeError() : !Flags ? Flags.takeError() : Sec.takeError();
      return createFileError(Display, std::move(E));
    }
    if (Name->empty() || (*Flags & object::SymbolRef::SF_Undefined))
      continue;
    bool InSection = *Sec != Obj.section_end();
    if (InSection) {
      auto It = G.Sections.find({Index, (*Sec)->getIndex()});
      Expected<uint64_t> Value = Sym.getValue(); // the offset in its section
      if (!Value)
        return createFileError(Display, Value.takeError());
      // "$x", "$d": AArch64 mapping symbols mark code and data, not names.
      if (It != G.Sections.end() && Sym.getELFType() != ELF::STT_SECTION &&
          !Name->starts_with("$"))
        It->second.Symbols.push_back({Name->str(), *Value, Sym.getSize()});
    }
    if (!(*Flags & object::SymbolRef::SF_Global))
      continue;
    bool Weak = *Flags & object::SymbolRef::SF_Weak;
    Definition D{{Index, InSection ? (*Sec)->getIndex() : 0}, InSection, Weak};
    auto [It, Inserted] = G.Globals.try_emplace(*Name, D);
    if (!Inserted && It->second.Weak && !Weak)
      It->second = D; // a strong definition wins over a weak one
  }
  for (const object::SectionRef &RelSec : Obj.sections()) {
    Expected<object::section_iterator> Target = RelSec.getRelocatedSection();
    if (!Target)
      return createFileError(Display, Target.takeError());
    if (*Target == Obj.section_end())
      continue;
    auto Node = G.Sections.find({Index, (*Target)->getIndex()});
    if (Node == G.Sections.end())
      continue; // debug info and other unallocated sections
    for (const object::RelocationRef &R : RelSec.relocations()) {
      object::symbol_iterator SymIt = R.getSymbol();
      if (SymIt == Obj.symbol_end())
        continue;
      object::ELFSymbolRef Sym(*SymIt);
      Expected<StringRef> Name = Sym.getName();
      Expected<uint32_t> Flags = Sym.getFlags();
      if (!Name || !Flags) {
        Error E = !Name ? Name.takeError() : Flags.takeError();
        return createFileError(Display, std::move(E));
      }
      Edge E;
      E.Offset = R.getOffset();
      if (*Flags & object::SymbolRef::SF_Undefined) {
        E.Global = Name->str();
        E.WeakUndefinedHere = *Flags & object::SymbolRef::SF_Weak;
      } else if (*Flags & object::SymbolRef::SF_Global) {
        E.Global = Name->str();
      } else {
        Expected<object::section_iterator> Sec = Sym.getSection();
        if (!Sec)
          return createFileError(Display, Sec.takeError());
        if (*Sec == Obj.section_end())
          continue; // an absolute local: nothing to keep
        E.LocalSection = (*Sec)->getIndex();
        if (Sym.getELFType() == ELF::STT_SECTION) {
          Expected<int64_t> Addend = object::ELFRelocationRef(R).getAddend();
          E.Addend = Addend ? *Addend : (consumeError(Addend.takeError()), 0);
        } else {
          E.LocalName = Name->str();
        }
      }
      Node->second.Edges.push_back(std::move(E));
    }
  }
  return Error::success();
}

/// The name a chain shows for section Node entered through Edge E.
std::string entryName(const InputGraph &G, const SectionNode &Target, const Edge &E) {
  if (!E.Global.empty())
    return E.Global;
  if (!E.LocalName.empty())
    return E.LocalName;
  // A section symbol plus an addend; PC-relative calls on x86-64 add -4.
  for (int64_t Bias : {0, 4})
    if (E.Addend + Bias >= 0)
      if (std::string S = Target.symbolAt(E.Addend + Bias); !S.empty())
        return S;
  return Target.Name + " of " + G.Objects[Target.Object];
}

struct Visit {
  NodeKey Parent;
  std::string Entry; // how the chain names this section
  bool IsRoot = false;
};

std::vector<RootProblem> problemsOf(const InputGraph &G, const std::string &Root,
                                    const std::set<std::string> &Provided) {
  std::vector<RootProblem> Out;
  const Definition &Def = G.Globals.find(Root)->second;
  if (!Def.HasSection)
    return Out;
  std::map<NodeKey, Visit> Seen;
  std::set<std::string> Reported;
  std::deque<NodeKey> Queue;
  Seen[Def.Node] = {Def.Node, Root, true};
  Queue.push_back(Def.Node);
  auto chainTo = [&](NodeKey N) {
    std::vector<std::string> Chain;
    for (;;) {
      const Visit &V = Seen.at(N);
      Chain.push_back(V.Entry);
      if (V.IsRoot)
        break;
      N = V.Parent;
    }
    std::reverse(Chain.begin(), Chain.end());
    return Chain;
  };
  while (!Queue.empty()) {
    NodeKey N = Queue.front();
    Queue.pop_front();
    auto NodeIt = G.Sections.find(N);
    if (NodeIt == G.Sections.end())
      continue;
    const SectionNode &Node = NodeIt->second;
    for (const Edge &E : Node.Edges) {
      NodeKey Next;
      if (E.Global.empty()) {
        Next = {N.first, E.LocalSection};
      } else {
        auto D = G.Globals.find(E.Global);
        if (D == G.Globals.end()) {
          if (Provided.count(E.Global) || isLinkerDefined(E.Global) ||
              !Reported.insert(E.Global).second)
            continue;
          RootProblem P;
          P.What = E.WeakUndefinedHere ? RootProblem::WeakUndefined : RootProblem::Undefined;
          P.Symbol = E.Global;
          P.Chain = chainTo(N);
          P.Object = G.Objects[N.first];
          P.Section = Node.Name;
          std::string Holder = Node.symbolAt(E.Offset);
          if (!Holder.empty() && Holder != P.Chain.back())
            P.SharedWith = Holder;
          Out.push_back(std::move(P));
          continue;
        }
        if (!D->second.HasSection)
          continue;
        Next = D->second.Node;
      }
      if (Seen.count(Next))
        continue;
      auto Target = G.Sections.find(Next);
      if (Target == G.Sections.end())
        continue;
      Seen[Next] = {N, entryName(G, Target->second, E), false};
      Queue.push_back(Next);
    }
  }
  llvm::sort(Out, [](const RootProblem &A, const RootProblem &B) { return A.Symbol < B.Symbol; });
  return Out;
}

/// The section an edge of section N leads to, if any input defines it.
std::optional<NodeKey> edgeTarget(const InputGraph &G, NodeKey N, const Edge &E) {
  if (E.Global.empty())
    return NodeKey{N.first, E.LocalSection};
  auto D = G.Globals.find(E.Global);
  if (D == G.Globals.end() || !D->second.HasSection)
    return std::nullopt;
  return D->second.Node;
}

/// Every section the roots reach, as --gc-sections keeps them.
std::set<NodeKey> reachedFrom(const InputGraph &G, const std::vector<std::string> &Roots) {
  std::set<NodeKey> Seen;
  std::deque<NodeKey> Queue;
  for (const std::string &Root : Roots) {
    auto D = G.Globals.find(Root);
    if (D != G.Globals.end() && D->second.HasSection && Seen.insert(D->second.Node).second)
      Queue.push_back(D->second.Node);
  }
  while (!Queue.empty()) {
    NodeKey N = Queue.front();
    Queue.pop_front();
    auto It = G.Sections.find(N);
    if (It == G.Sections.end())
      continue;
    for (const Edge &E : It->second.Edges)
      if (auto Next = edgeTarget(G, N, E); Next && G.Sections.count(*Next) &&
                                            Seen.insert(*Next).second)
        Queue.push_back(*Next);
  }
  return Seen;
}

/// Whether the input Display (a path of ObjectPaths, or "ARCHIVE(MEMBER)")
/// is an archive member, which ld.lld loads only when something needs it.
bool isArchiveMember(StringRef Display, const std::vector<std::string> &ObjectPaths) {
  if (!Display.ends_with(")") || llvm::is_contained(ObjectPaths, Display.str()))
    return false;
  size_t Open = Display.rfind('(');
  return Open != StringRef::npos &&
         llvm::is_contained(ObjectPaths, Display.take_front(Open).str());
}

} // namespace

std::string RootProblem::describe() const {
  std::string Path;
  for (const std::string &F : Chain)
    Path += F + " -> ";
  return "'" + Symbol + "' (" + Path + Symbol + ")";
}

std::string RootProblem::sharingNote() const {
  if (SharedWith.empty())
    return "";
  return "'" + Symbol + "' is referenced by '" + SharedWith + "', kept only because it shares " +
         "section " + Section + " of " + Object + " with '" + Chain.back() +
         "': compile with -ffunction-sections -fdata-sections so it is left out";
}

Expected<std::vector<SectionProblem>>
findSectionProblems(const std::vector<std::string> &ObjectPaths, const Target &Tgt,
                    const std::vector<std::string> &Roots) {
  InputGraph G;
  if (Error E = pack::forEachInputObject(
          ObjectPaths, Tgt,
          [&](const object::ELFObjectFileBase &Obj, const std::string &Display) {
            return addObject(Obj, Display, G);
          }))
    return E;
  std::set<NodeKey> Reached = reachedFrom(G, Roots);
  // ld.lld keeps the constructors of every object it loads: each object
  // given by itself, and each archive member something reached.
  std::set<unsigned> Loaded;
  for (unsigned I = 0; I < G.Objects.size(); ++I)
    if (!isArchiveMember(G.Objects[I], ObjectPaths))
      Loaded.insert(I);
  for (const NodeKey &N : Reached)
    Loaded.insert(N.first);

  std::vector<SectionProblem> Out;
  for (const auto &[Key, Node] : G.Sections) {
    SectionProblem P;
    if ((Node.Flags & ELF::SHF_TLS) && Reached.count(Key))
      P.What = SectionProblem::ThreadLocal;
    else if (pack::isConstructorSection(Node.Name, Node.Type, Node.Size) &&
             Loaded.count(Key.first))
      P.What = SectionProblem::Constructor;
    else if (pack::isLargeModelSection(Node.Name, Node.Flags, Tgt) && Reached.count(Key))
      P.What = SectionProblem::LargeModel;
    else
      continue;
    P.Object = G.Objects[Key.first];
    P.Section = Node.Name;
    std::set<std::string> Symbols, Users;
    if (P.What == SectionProblem::Constructor) {
      // Its entries are the constructors' addresses.
      for (const Edge &E : Node.Edges)
        if (auto T = edgeTarget(G, Key, E); T && G.Sections.count(*T))
          Symbols.insert(entryName(G, G.Sections.at(*T), E));
    } else {
      for (const SymbolSpan &S : Node.Symbols)
        Symbols.insert(S.Name);
    }
    if (P.What == SectionProblem::ThreadLocal)
      // The reached code that refers to the variables.
      for (const NodeKey &UserKey : Reached) {
        const SectionNode &User = G.Sections.at(UserKey);
        for (const Edge &E : User.Edges)
          if (auto T = edgeTarget(G, UserKey, E); T && *T == Key && !(User.Flags & ELF::SHF_TLS)) {
            std::string Holder = User.symbolAt(E.Offset);
            Users.insert(Holder.empty() ? User.Name + " of " + G.Objects[UserKey.first] : Holder);
          }
      }
    P.Symbols.assign(Symbols.begin(), Symbols.end());
    P.Users.assign(Users.begin(), Users.end());
    Out.push_back(std::move(P));
  }
  return Out;
}

Expected<std::map<std::string, std::vector<RootProblem>>>
findRootProblems(const std::vector<std::string> &ObjectPaths, const Target &Tgt,
                 const std::vector<std::string> &Roots, const std::set<std::string> &Provided) {
  InputGraph G;
  if (Error E = pack::forEachInputObject(
          ObjectPaths, Tgt,
          [&](const object::ELFObjectFileBase &Obj, const std::string &Display) {
            return addObject(Obj, Display, G);
          }))
    return E;
  std::map<std::string, std::vector<RootProblem>> Out;
  for (const std::string &Root : Roots) {
    if (!G.Globals.count(Root))
      return pack::makeError("root symbol '" + Root + "' is not defined by any input");
    if (std::vector<RootProblem> P = problemsOf(G, Root, Provided); !P.empty())
      Out[Root] = std::move(P);
  }
  return Out;
}

} // namespace gotramp
