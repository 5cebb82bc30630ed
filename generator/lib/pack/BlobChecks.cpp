//===- BlobChecks.cpp - what Go cannot run, and which strategy ------------===//
//
// The checks on the linked native code (Packer.cpp's opening comment): link
// 1's merge must hold no TLS, no static constructors, no weak undefined
// references, and roots that are functions; on arm64 its code is
// disassembled and must never write x28, on amd64 it must never use the FS
// or GS segment (Go's TLS) nor their bases. Link 2's blob decides the
// strategy: its code, read-only data, data and GOT become one image whose
// relative relocations the generated package applies at init
// (BlobRelocation); relocations of any other kind, relocations in code, and
// sections the image has no place for make it DynamicGlue, and say why.
//
//===----------------------------------------------------------------------===//

#include "BlobChecks.h"

#include "gotramp/pack/Reachability.h"
#include "gotramp/pack/Verify.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/MC/MCAsmInfo.h"
#include "llvm/MC/MCContext.h"
#include "llvm/MC/MCDisassembler/MCDisassembler.h"
#include "llvm/MC/MCInst.h"
#include "llvm/MC/MCInstPrinter.h"
#include "llvm/MC/MCInstrInfo.h"
#include "llvm/MC/MCRegisterInfo.h"
#include "llvm/MC/MCSubtargetInfo.h"
#include "llvm/MC/MCTargetOptions.h"
#include "llvm/MC/TargetRegistry.h"
#include "llvm/Support/Endian.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/TargetParser/Triple.h"

#include <algorithm>
#include <mutex>

using namespace llvm;

namespace gotramp::pack {
namespace {

StringRef tlsWhy(const Target &Tgt) {
  return Tgt.Architecture == Arch::AMD64
             ? "thread-local storage is not supported: Go owns the FS base"
             : "thread-local storage is not supported: Go owns the thread "
               "pointer (TPIDR_EL0) and sets up no C TLS block";
}

/// Relocations whose value depends on the 4 KiB page of the place: the code
/// only stays correct if Go places it at the same offset within a page.
bool isPageRelative(uint32_t Type) {
  switch (Type) {
  case ELF::R_AARCH64_ADR_PREL_PG_HI21:
  case ELF::R_AARCH64_ADR_PREL_PG_HI21_NC:
  case ELF::R_AARCH64_ADR_GOT_PAGE:
    return true;
  default:
    return false;
  }
}

/// What the merged object showed: its sections of each kind (for when the
/// inputs cannot say more) and the thread-local symbols without a section.
struct Forbidden {
  std::vector<std::string> ThreadLocal, Constructors, LargeModel;
  bool any() const { return !ThreadLocal.empty() || !Constructors.empty() || !LargeModel.empty(); }
};

std::string quoted(const std::vector<std::string> &Names) {
  std::vector<std::string> Q;
  for (const std::string &N : Names)
    Q.push_back("'" + N + "'");
  return join(Q, ", ");
}

/// One error for every kind of section Go cannot load, each naming the
/// objects (archive members), sections and symbols it comes from.
Error forbiddenSections(const Forbidden &Seen, const PackRequest &Req) {
  auto Found = findSectionProblems(Req.ObjectPaths, Req.Tgt, Req.Roots);
  if (!Found)
    return Found.takeError();
  std::vector<std::string> TLS, Ctors, Large, Parts;
  for (const SectionProblem &P : *Found) {
    std::string Where = "section " + P.Section + " of " + P.Object;
    switch (P.What) {
    case SectionProblem::ThreadLocal:
      TLS.push_back((P.Symbols.empty() ? Where : quoted(P.Symbols) + " in " + Where) +
                    (P.Users.empty() ? "" : ", used by " + join(P.Users, ", ")));
      break;
    case SectionProblem::Constructor:
      Ctors.push_back(Where + (P.Symbols.empty() ? "" : " calls " + quoted(P.Symbols)));
      break;
    case SectionProblem::LargeModel:
      Large.push_back(P.Symbols.empty() ? Where : quoted(P.Symbols) + " in " + Where);
      break;
    }
  }
  // Reported as the merge shows them when the inputs do not explain them.
  if (!Seen.ThreadLocal.empty())
    Parts.push_back((tlsWhy(Req.Tgt) + ": " + join(TLS.empty() ? Seen.ThreadLocal : TLS, "; ") +
                     ". Use no thread-local variables (__thread, _Thread_local, thread_local): "
                     "make them ordinary globals, or keep the state in memory the Go side "
                     "passes in")
                        .str());
  if (!Seen.Constructors.empty())
    Parts.push_back("static constructors are not supported: Go never runs them: " +
                    join(Ctors.empty() ? Seen.Constructors : Ctors, "; ") +
                    ". Do the initialisation in a function the Go side calls first, instead "
                    "of __attribute__((constructor)) or C++ dynamic initialisation of globals");
  if (!Seen.LargeModel.empty())
    Parts.push_back("code compiled with -mcmodel=large (or large data of -mcmodel=medium) "
                    "is not supported: " +
                    join(Large.empty() ? Seen.LargeModel : Large, "; ") +
                    ". gotramp packs code of the default small code model (.text, .rodata, "
                    ".data, .bss): compile without -mcmodel=large");
  return makeError(join(Parts, "; also "));
}

} // namespace

Expected<MergeInfo> inspectMerged(const ELFFile &File, const PackRequest &Req) {
  MergeInfo Info;
  auto Sections = File.sections();
  if (!Sections)
    return Sections.takeError();

  Forbidden Seen;
  for (const ELFT::Shdr &S : *Sections) {
    Expected<StringRef> Name = File.getSectionName(S);
    if (!Name)
      return Name.takeError();
    if (S.sh_flags & ELF::SHF_TLS)
      Seen.ThreadLocal.push_back(("section " + *Name).str());
    // The code would see the state the constructors never set up.
    if (isConstructorSection(*Name, S.sh_type, S.sh_size))
      Seen.Constructors.push_back((*Name + " has " + Twine(S.sh_size) + " bytes").str());
    // Link 1 only gathers the small model's sections: these would be left
    // out of the blob's `.text`.
    if ((S.sh_flags & ELF::SHF_ALLOC) && isLargeModelSection(*Name, S.sh_flags, Req.Tgt))
      Seen.LargeModel.push_back(("section " + *Name).str());
    if (S.sh_flags & ELF::SHF_ALLOC) {
      if (S.sh_flags & ELF::SHF_WRITE)
        Info.WritableBytes += S.sh_size;
      else
        Info.ReadOnlyBytes += S.sh_size;
    }
    if (S.sh_type == ELF::SHT_RELA && Req.Tgt.Architecture == Arch::ARM64) {
      auto Relas = File.relas(S);
      if (!Relas)
        return Relas.takeError();
      for (const ELFT::Rela &R : *Relas)
        Info.PageRelative |= isPageRelative(R.getType(false));
    }
  }

  Expected<SymbolTable> Symtab = readSymbolTable(File);
  if (!Symtab)
    return Symtab.takeError();
  ArrayRef<ELFT::Sym> Syms = Symtab->Syms;
  StringRef StrTab = Symtab->Strings;

  StringSet<> RootSet;
  for (const std::string &R : Req.Roots)
    RootSet.insert(R);
  std::map<std::string, const ELFT::Sym *> RootSyms;
  for (const ELFT::Sym &Sym : Syms) {
    Expected<StringRef> Name = Sym.getName(StrTab);
    if (!Name)
      return Name.takeError();
    if (Sym.getType() == ELF::STT_TLS && Sym.isUndefined())
      Seen.ThreadLocal.push_back(("'" + *Name + "' is thread-local").str());
    if (Sym.isUndefined() && Sym.getBinding() == ELF::STB_WEAK &&
        !Name->empty())
      return makeError("weak reference to undefined symbol '" + *Name +
                       "' is not supported: the packed code must define "
                       "everything it references");
    if (Sym.isUndefined() && Sym.getBinding() == ELF::STB_GLOBAL &&
        !Name->empty())
      Info.Undefined.insert(Name->str());
    if (!Sym.isUndefined() && Sym.getBinding() != ELF::STB_LOCAL &&
        RootSet.contains(*Name))
      RootSyms[Name->str()] = &Sym;
  }

  if (Seen.any())
    return forbiddenSections(Seen, Req);

  for (const std::string &Root : Req.Roots) {
    auto It = RootSyms.find(Root);
    if (It == RootSyms.end())
      return makeError("root symbol '" + Root +
                       "' is not defined by the input objects");
    const ELFT::Sym &Sym = *It->second;
    bool IsFunc = Sym.getType() == ELF::STT_FUNC;
    // Hand-written assembly often omits `.type sym,@function`: accept an
    // untyped symbol in an executable section.
    if (!IsFunc && Sym.getType() == ELF::STT_NOTYPE &&
        Sym.st_shndx != ELF::SHN_UNDEF && Sym.st_shndx < ELF::SHN_LORESERVE) {
      auto Sec = File.getSection(Sym.st_shndx);
      if (!Sec)
        return Sec.takeError();
      IsFunc = (*Sec)->sh_flags & ELF::SHF_EXECINSTR;
    }
    if (Sym.getType() == ELF::STT_GNU_IFUNC)
      return makeError("root symbol '" + Root +
                       "' is an IFUNC; Go cannot call its resolver");
    if (!IsFunc)
      return makeError("root symbol '" + Root +
                       "' is not a function (ELF symbol type " +
                       Twine(unsigned(Sym.getType())) + ")");
    Info.Roots[Root] = {Sym.st_value, Sym.st_size, Sym.st_shndx};
  }
  return Info;
}

namespace {

/// The sections link 2's script lays out after `.text` (Link.cpp), by
/// group: relocated read-only data, then writable data.
bool isRelroSection(StringRef Name) {
  return Name == ".data.rel.ro" || Name == ".got" || Name == ".got.plt";
}
bool isDataSection(StringRef Name) { return Name == ".data" || Name == ".bss"; }

uint32_t relativeRelocation(const Target &Tgt) {
  return Tgt.Architecture == Arch::AMD64 ? ELF::R_X86_64_RELATIVE : ELF::R_AARCH64_RELATIVE;
}

} // namespace

Expected<BlobInfo> inspectBlob(const ELFFile &File, const PackRequest &Req) {
  BlobInfo Info;
  auto Sections = File.sections();
  if (!Sections)
    return Sections.takeError();
  uint16_t Machine = elfMachine(Req.Tgt);

  const ELFT::Shdr *Text = nullptr;
  unsigned TextIndex = 0;
  std::vector<const ELFT::Shdr *> DataSections; // relro and data, in address order
  std::vector<std::string> Writable, Outside, OtherRelocs;
  std::vector<std::pair<uint64_t, uint64_t>> Relative; // address, addend
  for (unsigned Index = 0; Index < Sections->size(); ++Index) {
    const ELFT::Shdr &S = (*Sections)[Index];
    if (!(S.sh_flags & ELF::SHF_ALLOC))
      continue;
    Expected<StringRef> Name = File.getSectionName(S);
    if (!Name)
      return Name.takeError();
    if (S.sh_flags & ELF::SHF_TLS)
      return makeError(tlsWhy(Req.Tgt) + " (section " + *Name + ")");
    switch (S.sh_type) {
    // lld's own bookkeeping for a shared object: never copied.
    case ELF::SHT_DYNSYM:
    case ELF::SHT_HASH:
    case ELF::SHT_GNU_HASH:
    case ELF::SHT_DYNAMIC:
    case ELF::SHT_STRTAB:
    case ELF::SHT_GNU_versym:
    case ELF::SHT_GNU_verdef:
    case ELF::SHT_GNU_verneed:
      continue;
    case ELF::SHT_RELA: {
      auto Relas = File.relas(S);
      if (!Relas)
        return Relas.takeError();
      for (const ELFT::Rela &R : *Relas) {
        uint32_t Type = R.getType(/*isMips64EL=*/false);
        if (Type == relativeRelocation(Req.Tgt) && R.getSymbol(false) == 0)
          Relative.emplace_back(R.r_offset, R.r_addend);
        else
          OtherRelocs.push_back(relocationName(Machine, Type) + " at " +
                                utohexstr(R.r_offset, /*LowerCase=*/true));
      }
      continue;
    }
    case ELF::SHT_REL:
    case ELF::SHT_RELR:
      if (S.sh_size != 0)
        OtherRelocs.push_back((*Name + " (" + Twine(S.sh_size) + " bytes)").str());
      continue;
    default:
      break;
    }
    if (*Name == ".text" && !(S.sh_flags & ELF::SHF_WRITE)) {
      Text = &S;
      TextIndex = Index;
      continue;
    }
    if (S.sh_size == 0)
      continue;
    if (isRelroSection(*Name) || isDataSection(*Name)) {
      DataSections.push_back(&S);
      continue;
    }
    std::string Entry = (*Name + " " + Twine(S.sh_size) + " bytes").str();
    if (S.sh_flags & ELF::SHF_WRITE)
      Writable.push_back(std::move(Entry));
    else
      Outside.push_back(std::move(Entry));
  }
  if (!Text)
    return makeError("the pre-linked native code has no .text section");

  // The image: `.text`, then each data section at its distance from it.
  uint64_t Base = Text->sh_addr, Page = dataPageSize(Req.Tgt);
  BlobRelocation &Reloc = Info.Relocation;
  auto Contents = File.getSectionContents(*Text);
  if (!Contents)
    return Contents.takeError();
  Info.Image.assign(Contents->begin(), Contents->end());
  Info.TextBytes = Info.Image.size();
  Info.TextAlign = std::max<uint64_t>(Text->sh_addralign, 1);
  llvm::sort(DataSections, [](const ELFT::Shdr *A, const ELFT::Shdr *B) {
    return A->sh_addr < B->sh_addr;
  });
  if (!DataSections.empty()) {
    Reloc.PageAlign = Page;
    Reloc.RelroOffset = Reloc.DataOffset = alignTo(Info.TextBytes, Page);
    bool SeenData = false;
    for (const ELFT::Shdr *S : DataSections) {
      StringRef Name = cantFail(File.getSectionName(*S));
      uint64_t Offset = S->sh_addr - Base;
      if (S->sh_addr < Base || Offset < Info.TextBytes || Offset % std::max<uint64_t>(S->sh_addralign, 1))
        return makeError("the pre-linked native code places " + Name + " before its code");
      if (isDataSection(Name) && !SeenData) {
        SeenData = true;
        Reloc.DataOffset = Offset;
      }
      Info.Image.resize(Offset + S->sh_size, 0);
      if (S->sh_type == ELF::SHT_NOBITS) {
        Reloc.ZeroBytes += S->sh_size;
      } else {
        auto Bytes = File.getSectionContents(*S);
        if (!Bytes)
          return Bytes.takeError();
        llvm::copy(*Bytes, Info.Image.begin() + Offset);
      }
      Reloc.Sections.emplace_back(Name.str(), S->sh_size);
    }
    if (!SeenData)
      Reloc.DataOffset = alignTo(Info.Image.size(), Page);
    if (Reloc.RelroOffset % Page || Reloc.DataOffset % Page)
      return makeError("the pre-linked native code does not keep its data on pages of its own");
    Reloc.DataEnd = alignTo(Info.Image.size(), Page);
    Info.Image.resize(Reloc.DataEnd, 0);
  }
  // Each relative relocation becomes a slot holding its target's offset in
  // the image; init adds the image's address. One into code would need
  // writable code, and no link mode of cmd/link applies it correctly in all
  // cases (with -buildmode=pie the code runs unrelocated): an error.
  std::vector<uint64_t> InCode;
  for (auto [Address, Addend] : Relative) {
    uint64_t Offset = Address - Base;
    if (Address < Base || Reloc.empty() || Offset < Reloc.RelroOffset ||
        Offset + 8 > Reloc.DataEnd) {
      InCode.push_back(Offset);
      continue;
    }
    support::endian::write64le(Info.Image.data() + Offset, uint64_t(Addend) - Base);
    Reloc.Slots.push_back(Offset);
  }
  llvm::sort(Reloc.Slots);

  if (!Writable.empty())
    Info.Reasons.push_back("writable data outside .data and .bss (" + join(Writable, ", ") + ")");
  if (!OtherRelocs.empty())
    Info.Reasons.push_back("relocations only the dynamic loader can apply (" +
                           join(OtherRelocs, ", ") + ")");
  if (!Outside.empty())
    Info.Reasons.push_back("read-only sections outside the code blob (" +
                           join(Outside, ", ") + ")");

  if (Error E = findBlobSymbols(File, Req, *Text, TextIndex, Info))
    return E;
  if (!InCode.empty()) {
    std::vector<std::string> Where;
    for (uint64_t Offset : InCode) {
      std::string Name;
      for (const std::vector<BlobSymbol> *List : {&Info.Roots, &Info.Locals})
        for (const BlobSymbol &B : *List)
          if (Name.empty() && Offset >= B.Offset && Offset < B.Offset + B.Size)
            Name = B.Name + "+0x" + utohexstr(Offset - B.Offset, /*LowerCase=*/true);
      Where.push_back(Name.empty() ? ".text+0x" + utohexstr(Offset, /*LowerCase=*/true) : Name);
    }
    return makeError("the native code holds absolute addresses in code or read-only data, at " +
                     join(Where, ", ") +
                     ": its pages cannot be relocated at run time and cmd/link does not relocate "
                     "them correctly in every link mode; compile with -fPIC, and in assembly "
                     "address data PC-relative (lea sym(%rip), adrp/add)");
  }
  return Info;
}

//===-- Disassembling the merged code --------------------------------------===//

namespace {

/// The LLVM MC objects that decode and print one target's instructions.
struct CodeReader {
  std::unique_ptr<MCRegisterInfo> MRI;
  std::unique_ptr<MCAsmInfo> MAI;
  std::unique_ptr<MCSubtargetInfo> STI;
  std::unique_ptr<MCInstrInfo> MII;
  std::unique_ptr<MCContext> Ctx;
  std::unique_ptr<MCDisassembler> Dis;
  std::unique_ptr<MCInstPrinter> Printer;

  MCRegister reg(StringRef Name) const {
    for (unsigned R = 1; R < MRI->getNumRegs(); ++R)
      if (StringRef(MRI->getName(R)) == Name)
        return R;
    return MCRegister();
  }
  std::string print(const MCInst &Inst, uint64_t Address) const {
    std::string Text;
    raw_string_ostream OS(Text);
    Printer->printInst(&Inst, Address, "", *STI, OS);
    std::replace(Text.begin(), Text.end(), '\t', ' ');
    return StringRef(Text).trim().str();
  }
};

/// Why: what the check is for, in messages about a broken LLVM setup.
Expected<std::unique_ptr<CodeReader>> createCodeReader(const Target &Tgt, StringRef Why) {
  static std::once_flag Once;
  std::call_once(Once, [] {
    LLVMInitializeAArch64TargetInfo();
    LLVMInitializeAArch64TargetMC();
    LLVMInitializeAArch64Disassembler();
    LLVMInitializeX86TargetInfo();
    LLVMInitializeX86TargetMC();
    LLVMInitializeX86Disassembler();
  });
  bool X86 = Tgt.Architecture == Arch::AMD64;
  Triple TT(X86 ? "x86_64-unknown-linux-gnu" : "aarch64-unknown-linux-gnu");
  std::string Err;
  const llvm::Target *T = TargetRegistry::lookupTarget(TT.str(), Err);
  if (!T)
    return makeError("cannot disassemble " + Tgt.goName() + " code to check " + Why + ": " + Err);
  auto R = std::make_unique<CodeReader>();
  R->MRI.reset(T->createMCRegInfo(TT.str()));
  MCTargetOptions MCOpts;
  if (R->MRI)
    R->MAI.reset(T->createMCAsmInfo(*R->MRI, TT.str(), MCOpts));
  R->STI.reset(T->createMCSubtargetInfo(TT.str(), "", X86 ? "" : "+all"));
  R->MII.reset(T->createMCInstrInfo());
  if (!R->MRI || !R->MAI || !R->STI || !R->MII)
    return makeError("cannot set up the " + Tgt.goName() + " disassembler to check " + Why);
  R->Ctx = std::make_unique<MCContext>(TT, R->MAI.get(), R->MRI.get(), R->STI.get());
  R->Dis.reset(T->createMCDisassembler(*R->STI, *R->Ctx));
  // AT&T syntax on x86 (variant 0), as objdump and the compilers print it.
  R->Printer.reset(T->createMCInstPrinter(TT, 0, *R->MAI, *R->MII, *R->MRI));
  if (!R->Dis || !R->Printer)
    return makeError("cannot set up the " + Tgt.goName() + " disassembler to check " + Why);
  if (X86)
    R->Printer->setPrintImmHex(true); // %fs:0x28, as objdump prints it
  return R;
}

/// One executable section of the merged object, with its named symbols.
struct CodeSection {
  ArrayRef<uint8_t> Bytes;
  std::map<uint64_t, std::string> Names; // function starts
  std::map<uint64_t, bool> IsData;       // arm64 mapping symbols: offset -> $d

  /// "f+0x1c", or "offset 1c" outside every named symbol. Adds the
  /// function's name to Functions.
  std::string where(uint64_t Off, std::set<std::string> &Functions) const {
    auto It = Names.upper_bound(Off);
    if (It == Names.begin())
      return "offset 0x" + utohexstr(Off, /*LowerCase=*/true);
    --It;
    Functions.insert(It->second);
    return It->second + "+0x" + utohexstr(Off - It->first, /*LowerCase=*/true);
  }
};

/// Every executable PROGBITS section of File.
Expected<std::vector<CodeSection>> codeSections(const ELFFile &File) {
  auto Sections = File.sections();
  if (!Sections)
    return Sections.takeError();
  Expected<SymbolTable> Symtab = readSymbolTable(File);
  if (!Symtab)
    return Symtab.takeError();
  std::vector<CodeSection> Out;
  for (unsigned Index = 0; Index < Sections->size(); ++Index) {
    const ELFT::Shdr &S = (*Sections)[Index];
    if (!(S.sh_flags & ELF::SHF_EXECINSTR) || S.sh_type != ELF::SHT_PROGBITS)
      continue;
    auto Bytes = File.getSectionContents(S);
    if (!Bytes)
      return Bytes.takeError();
    CodeSection C;
    C.Bytes = *Bytes;
    for (const ELFT::Sym &Sym : Symtab->Syms) {
      if (Sym.st_shndx != Index)
        continue;
      Expected<StringRef> Name = Sym.getName(Symtab->Strings);
      if (!Name)
        return Name.takeError();
      if (Name->starts_with("$d") || Name->starts_with("$x"))
        C.IsData[Sym.st_value] = Name->starts_with("$d");
      else if (!Name->empty() && (Sym.getType() == ELF::STT_FUNC ||
                                  Sym.getType() == ELF::STT_NOTYPE))
        C.Names.try_emplace(Sym.st_value, Name->str());
    }
    Out.push_back(std::move(C));
  }
  return Out;
}

/// Adds one finding to Hits, keeping the list short enough to read.
void addHit(std::vector<std::string> &Hits, std::string Hit) {
  if (Hits.size() < 8)
    Hits.push_back(std::move(Hit));
  else if (Hits.size() == 8)
    Hits.push_back("...");
}

} // namespace

//===-- arm64: x28 ---------------------------------------------------------===//

/// Go keeps g in x28 and, in a binary without cgo, its signal handler trusts
/// it (ARCHITECTURE.md fact 6): native code must never write x28. Every
/// instruction of every executable section is disassembled (skipping data
/// marked by $d mapping symbols) and checked for an explicit or implicit
/// definition of X28 or W28.
Error checkX28(const ELFFile &File) {
  Target Tgt;
  Tgt.Architecture = Arch::ARM64;
  auto Reader = createCodeReader(Tgt, "x28");
  if (!Reader)
    return Reader.takeError();
  const CodeReader &R = **Reader;
  MCRegister X28 = R.reg("X28");
  if (!X28)
    return makeError("cannot find register X28 in LLVM's AArch64 description");
  auto Sections = codeSections(File);
  if (!Sections)
    return Sections.takeError();

  std::vector<std::string> Hits;
  std::set<std::string> Functions;
  for (const CodeSection &C : *Sections) {
    for (uint64_t Off = 0; Off + 4 <= C.Bytes.size(); Off += 4) {
      if (auto It = C.IsData.upper_bound(Off); It != C.IsData.begin() && std::prev(It)->second)
        continue;
      MCInst Inst;
      uint64_t Size = 0;
      if (R.Dis->getInstruction(Inst, Size, C.Bytes.slice(Off), Off, nulls()) !=
          MCDisassembler::Success)
        continue;
      const MCInstrDesc &Desc = R.MII->get(Inst.getOpcode());
      bool Writes = any_of(Desc.implicit_defs(),
                           [&](MCPhysReg Reg) { return R.MRI->regsOverlap(Reg, X28); });
      for (unsigned I = 0; I < Desc.getNumDefs() && I < Inst.getNumOperands(); ++I) {
        const MCOperand &Op = Inst.getOperand(I);
        Writes |= Op.isReg() && Op.getReg() && R.MRI->regsOverlap(Op.getReg(), X28);
      }
      if (Writes)
        addHit(Hits, "`" + R.print(Inst, Off) + "` at " + C.where(Off, Functions));
    }
  }
  if (Hits.empty())
    return Error::success();
  std::vector<std::string> Names(Functions.begin(), Functions.end());
  return makeError(
      "native code writes register x28, which holds Go's g (the current goroutine) on "
      "arm64: a signal arriving during the call would crash the process. " +
      Twine(Names.size() == 1 ? "Function " : "Functions ") + join(Names, ", ") + ": " +
      join(Hits, "; ") +
      ". Compile C and C++ with -ffixed-x28, Rust with -C target-feature=+reserve-x28");
}

//===-- amd64: the FS and GS segments ---------------------------------------===//

/// On linux/amd64 Go keeps g in FS-relative thread-local storage (at
/// %fs:-8; in a binary without cgo the FS base is Go's own m.tls) and its
/// signal handler reloads g from there (ARCHITECTURE.md fact 6): native code
/// must not read or write through the FS or GS segment, nor change either
/// base. Each executable section is decoded linearly, restarting at every
/// symbol so that bytes between functions cannot shift the decoding. Found:
/// a memory operand with an FS or GS override (TLS, the stack protector's
/// canary at %fs:0x28, inline assembly), rd/wr{fs,gs}base, swapgs, and a
/// `syscall` whose number the instructions before it set to arch_prctl.
Expected<bool> checkSegmentAccess(const ELFFile &File, bool AllowCanary) {
  Target Tgt;
  Tgt.Architecture = Arch::AMD64;
  auto Reader = createCodeReader(Tgt, "FS and GS accesses");
  if (!Reader)
    return Reader.takeError();
  const CodeReader &R = **Reader;
  MCRegister FS = R.reg("FS"), GS = R.reg("GS"), RAX = R.reg("RAX");
  if (!FS || !GS || !RAX)
    return makeError("cannot find registers FS, GS and RAX in LLVM's X86 description");
  auto Sections = codeSections(File);
  if (!Sections)
    return Sections.takeError();
  constexpr int64_t ArchPrctl = 158; // __NR_arch_prctl on x86-64
  constexpr int64_t CanaryOffset = 0x28;

  std::vector<std::string> Hits;
  std::set<std::string> Functions;
  bool ReadsCanary = false;
  for (const CodeSection &C : *Sections) {
    std::vector<uint64_t> Starts = {0};
    for (const auto &[Off, Name] : C.Names)
      Starts.push_back(Off);
    Starts.push_back(C.Bytes.size());
    for (size_t SI = 0; SI + 1 < Starts.size(); ++SI) {
      int64_t Rax = -1; // a constant last moved into (e/r)ax, or -1
      for (uint64_t Off = Starts[SI]; Off < Starts[SI + 1];) {
        MCInst Inst;
        uint64_t Size = 0;
        if (R.Dis->getInstruction(Inst, Size, C.Bytes.slice(Off, Starts[SI + 1] - Off), Off,
                                  nulls()) != MCDisassembler::Success) {
          Off += 1;
          Rax = -1;
          continue;
        }
        StringRef Name = R.MII->getName(Inst.getOpcode());
        const MCInstrDesc &Desc = R.MII->get(Inst.getOpcode());
        std::string Why;
        if (Name.starts_with("RDFSBASE") || Name.starts_with("WRFSBASE") ||
            Name.starts_with("RDGSBASE") || Name.starts_with("WRGSBASE") || Name == "SWAPGS")
          Why = "touches the FS or GS base";
        else if (Name == "SYSCALL" && Rax == ArchPrctl)
          Why = "arch_prctl, which reads or changes the FS or GS base";
        for (unsigned I = 0; Why.empty() && I < Inst.getNumOperands(); ++I) {
          const MCOperand &Op = Inst.getOperand(I);
          if (!Op.isReg() || (Op.getReg() != FS && Op.getReg() != GS))
            continue;
          // A memory operand is base, scale, index, displacement, segment.
          bool IsCanary = Op.getReg() == FS && I >= 4 && Inst.getOperand(I - 1).isImm() &&
                          Inst.getOperand(I - 1).getImm() == CanaryOffset &&
                          Inst.getOperand(I - 4).isReg() && !Inst.getOperand(I - 4).getReg();
          // In libc mode FS is glibc's thread pointer on every thread
          // (cgo's TLS layout): reading the canary glibc put there is fine.
          if (IsCanary && AllowCanary && !Desc.mayStore()) {
            ReadsCanary = true;
            break;
          }
          Why = IsCanary ? "the stack protector's canary"
                         : Op.getReg() == FS ? "FS-relative: Go's TLS" : "GS-relative";
        }
        if (!Why.empty())
          addHit(Hits, "`" + R.print(Inst, Off) + "` at " + C.where(Off, Functions) + " (" +
                           Why + ")");
        // Follow the constant in RAX only as far as straight-line code goes.
        bool DefinesRax = any_of(Desc.implicit_defs(),
                                 [&](MCPhysReg Reg) { return R.MRI->regsOverlap(Reg, RAX); });
        for (unsigned I = 0; I < Desc.getNumDefs() && I < Inst.getNumOperands(); ++I)
          DefinesRax |= Inst.getOperand(I).isReg() && Inst.getOperand(I).getReg() &&
                        R.MRI->regsOverlap(Inst.getOperand(I).getReg(), RAX);
        if ((Name == "MOV32ri" || Name == "MOV64ri32" || Name == "MOV64ri") &&
            Inst.getOperand(0).isReg() && R.MRI->regsOverlap(Inst.getOperand(0).getReg(), RAX) &&
            Inst.getOperand(1).isImm())
          Rax = Inst.getOperand(1).getImm();
        else if (DefinesRax || Desc.isBranch() || Desc.isCall() || Desc.isReturn())
          Rax = -1;
        Off += Size;
      }
    }
  }
  if (Hits.empty())
    return ReadsCanary;
  std::vector<std::string> Names(Functions.begin(), Functions.end());
  return makeError(
      "native code uses the FS or GS segment, which Go owns on linux/amd64: Go keeps g "
      "(the current goroutine) in FS-relative thread-local storage, and native code that "
      "reads, writes or moves it breaks or crashes the process. " +
      Twine(Names.size() == 1 ? "Function " : "Functions ") + join(Names, ", ") + ": " +
      join(Hits, "; ") +
      ". Compile with -fno-stack-protector, use no thread-local variables, and keep inline "
      "assembly away from %fs, %gs and their bases");
}

} // namespace gotramp::pack
