//===- BlobChecks.cpp - what Go cannot run, and which strategy ------------===//
//
// The checks on the linked native code (Packer.cpp's opening comment): link
// 1's merge must hold no TLS, no static constructors, no weak undefined
// references, and roots that are functions; on arm64 its code is
// disassembled and must never write x28. Link 2's blob decides the strategy:
// its code, read-only data, data and GOT become one image whose relative
// relocations the generated package applies at init (BlobRelocation);
// relocations of any other kind, relocations in code, and sections the image
// has no place for make it DynamicGlue, and say why.
//
//===----------------------------------------------------------------------===//

#include "BlobChecks.h"

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

} // namespace

Expected<MergeInfo> inspectMerged(const ELFFile &File, const PackRequest &Req) {
  MergeInfo Info;
  auto Sections = File.sections();
  if (!Sections)
    return Sections.takeError();

  for (const ELFT::Shdr &S : *Sections) {
    Expected<StringRef> Name = File.getSectionName(S);
    if (!Name)
      return Name.takeError();
    if (S.sh_flags & ELF::SHF_TLS)
      return makeError(tlsWhy(Req.Tgt) + " (section " + *Name + ")");
    // Go's loader drops .init_array silently (fact 3): the constructors would
    // never run and the code would see uninitialised state.
    if (S.sh_size != 0 &&
        (S.sh_type == ELF::SHT_INIT_ARRAY ||
         S.sh_type == ELF::SHT_PREINIT_ARRAY ||
         Name->starts_with(".init_array") || Name->starts_with(".ctors") ||
         Name->starts_with(".preinit_array")))
      return makeError("static constructors are not supported: Go never runs "
                       "them (" + *Name + " has " + Twine(S.sh_size) +
                       " bytes)");
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
    if (Sym.getType() == ELF::STT_TLS)
      return makeError(tlsWhy(Req.Tgt) + " ('" + *Name + "' is thread-local)");
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

//===-- arm64: x28 ---------------------------------------------------------===//

/// Go keeps g in x28 and, in a binary without cgo, its signal handler trusts
/// it (ARCHITECTURE.md fact 6): native code must never write x28. Every
/// instruction of every executable section is disassembled (skipping data
/// marked by $d mapping symbols) and checked for an explicit or implicit
/// definition of X28 or W28.
Error checkX28(const ELFFile &File) {
  static std::once_flag Once;
  std::call_once(Once, [] {
    LLVMInitializeAArch64TargetInfo();
    LLVMInitializeAArch64TargetMC();
    LLVMInitializeAArch64Disassembler();
  });
  Triple TT("aarch64-unknown-linux-gnu");
  std::string Err;
  const llvm::Target *T = TargetRegistry::lookupTarget(TT.str(), Err);
  if (!T)
    return makeError("cannot disassemble arm64 code to check x28: " + Err);
  std::unique_ptr<MCRegisterInfo> MRI(T->createMCRegInfo(TT.str()));
  MCTargetOptions MCOpts;
  std::unique_ptr<MCAsmInfo> MAI(T->createMCAsmInfo(*MRI, TT.str(), MCOpts));
  std::unique_ptr<MCSubtargetInfo> STI(T->createMCSubtargetInfo(TT.str(), "", "+all"));
  std::unique_ptr<MCInstrInfo> MII(T->createMCInstrInfo());
  if (!MRI || !MAI || !STI || !MII)
    return makeError("cannot set up the arm64 disassembler to check x28");
  MCContext Ctx(TT, MAI.get(), MRI.get(), STI.get());
  std::unique_ptr<MCDisassembler> Dis(T->createMCDisassembler(*STI, Ctx));
  std::unique_ptr<MCInstPrinter> Printer(T->createMCInstPrinter(TT, 0, *MAI, *MII, *MRI));
  if (!Dis || !Printer)
    return makeError("cannot set up the arm64 disassembler to check x28");
  MCRegister X28;
  for (unsigned R = 1; R < MRI->getNumRegs(); ++R)
    if (StringRef(MRI->getName(R)) == "X28")
      X28 = R;
  if (!X28)
    return makeError("cannot find register X28 in LLVM's AArch64 description");

  auto Sections = File.sections();
  if (!Sections)
    return Sections.takeError();
  Expected<SymbolTable> Symtab = readSymbolTable(File);
  if (!Symtab)
    return Symtab.takeError();
  ArrayRef<ELFT::Sym> Syms = Symtab->Syms;
  StringRef StrTab = Symtab->Strings;

  std::vector<std::string> Hits;
  std::set<std::string> Functions;
  for (unsigned Index = 0; Index < Sections->size(); ++Index) {
    const ELFT::Shdr &S = (*Sections)[Index];
    if (!(S.sh_flags & ELF::SHF_EXECINSTR) || S.sh_type != ELF::SHT_PROGBITS)
      continue;
    auto Bytes = File.getSectionContents(S);
    if (!Bytes)
      return Bytes.takeError();
    std::map<uint64_t, bool> IsData;         // mapping symbols: offset -> $d
    std::map<uint64_t, std::string> Names;   // function starts
    for (const ELFT::Sym &Sym : Syms) {
      if (Sym.st_shndx != Index)
        continue;
      Expected<StringRef> Name = Sym.getName(StrTab);
      if (!Name)
        return Name.takeError();
      if (Name->starts_with("$d") || Name->starts_with("$x"))
        IsData[Sym.st_value] = Name->starts_with("$d");
      else if (!Name->empty() && (Sym.getType() == ELF::STT_FUNC ||
                                  Sym.getType() == ELF::STT_NOTYPE))
        Names.try_emplace(Sym.st_value, Name->str());
    }
    for (uint64_t Off = 0; Off + 4 <= Bytes->size(); Off += 4) {
      if (auto It = IsData.upper_bound(Off); It != IsData.begin() && std::prev(It)->second)
        continue;
      MCInst Inst;
      uint64_t Size = 0;
      if (Dis->getInstruction(Inst, Size, Bytes->slice(Off), Off, nulls()) !=
          MCDisassembler::Success)
        continue;
      const MCInstrDesc &Desc = MII->get(Inst.getOpcode());
      bool Writes = any_of(Desc.implicit_defs(),
                           [&](MCPhysReg R) { return MRI->regsOverlap(R, X28); });
      for (unsigned I = 0; I < Desc.getNumDefs() && I < Inst.getNumOperands(); ++I) {
        const MCOperand &Op = Inst.getOperand(I);
        Writes |= Op.isReg() && Op.getReg() && MRI->regsOverlap(Op.getReg(), X28);
      }
      if (!Writes)
        continue;
      std::string Where = "offset " + utohexstr(Off);
      if (auto It = Names.upper_bound(Off); It != Names.begin()) {
        --It;
        Functions.insert(It->second);
        Where = It->second + "+0x" + utohexstr(Off - It->first, /*LowerCase=*/true);
      }
      std::string Text;
      raw_string_ostream OS(Text);
      Printer->printInst(&Inst, Off, "", *STI, OS);
      if (Hits.size() < 8)
        Hits.push_back("`" + StringRef(Text).trim().str() + "` at " + Where);
      else if (Hits.size() == 8)
        Hits.push_back("...");
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

} // namespace gotramp::pack
