//===- Syso.cpp - writing the .syso ---------------------------------------===//
//
// The .syso of both strategies, written by writeRelocatable: an ELF64
// relocatable object whose only global symbols are the renamed roots, with
// the manifest (Verify.h) appended to `.text`. A StaticBlob is link 2's
// `.text` alone, with no relocations; DynamicGlue is link 1's output
// rewritten, its relocations kept and recorded in the manifest.
//
//===----------------------------------------------------------------------===//

#include "Syso.h"
#include "Symbols.h"

#include "gotramp/pack/Verify.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/Endian.h"
#include "llvm/Support/MathExtras.h"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <map>
#include <set>

using namespace llvm;

namespace gotramp::pack {
namespace {

//===-- Writing relocatable objects -------------------------------------===//

struct ObjReloc {
  uint64_t Offset = 0;
  uint32_t Type = 0;
  /// >= 0: index into ObjectFile::Symbols; < 0: the section symbol of
  /// section -1 - Symbol.
  int Symbol = 0;
  int64_t Addend = 0;
};

struct ObjSection {
  std::string Name;
  uint32_t Type = ELF::SHT_PROGBITS;
  uint64_t Flags = 0;
  uint64_t Align = 1;
  uint64_t EntSize = 0;
  std::vector<uint8_t> Data;
  uint64_t NoBitsSize = 0;
  std::vector<ObjReloc> Relocs;
  uint64_t size() const { return Type == ELF::SHT_NOBITS ? NoBitsSize : Data.size(); }
};

struct ObjSymbol {
  std::string Name;
  unsigned char Binding = ELF::STB_LOCAL;
  unsigned char Type = ELF::STT_NOTYPE;
  int Section = 0; // index into ObjectFile::Sections; -1: SHN_ABS; -2: SHN_UNDEF
  uint64_t Value = 0;
  uint64_t Size = 0;
};

struct ObjectFile {
  uint16_t Machine = 0;
  std::vector<ObjSection> Sections;
  std::vector<ObjSymbol> Symbols; // any order; written locals first
};

int sectionSymbol(int Section) { return -1 - Section; }

/// A tail jump to an imported symbol, which cmd/link routes through its PLT
/// as it does the packed code's calls into glibc: amd64 jmp rel32, arm64 b
/// imm26, padded to 32 bytes (int3, udf) because cmd/link's function table
/// counts at most 255 functions in 4 KiB of text ("too many functions in a
/// findfunc bucket" for SQLite's 5-byte thunks).
struct ImportJump {
  std::vector<uint8_t> Code;
  uint64_t RelocOffset;
  uint32_t RelocType;
  int64_t Addend;
};
ImportJump importJump(uint16_t Machine) {
  const bool Arm64 = Machine == ELF::EM_AARCH64;
  ImportJump J = Arm64 ? ImportJump{{0x00, 0x00, 0x00, 0x14}, 0, ELF::R_AARCH64_JUMP26, 0}
                       : ImportJump{{0xe9, 0, 0, 0, 0}, 1, ELF::R_X86_64_PLT32, -4};
  J.Code.resize(32, Arm64 ? 0 : 0xcc);
  return J;
}

/// A relocation that stores a symbol's absolute address (a pointer in data).
bool isAbsoluteAddress(uint16_t Machine, uint32_t Type) {
  return Machine == ELF::EM_AARCH64 ? Type == ELF::R_AARCH64_ABS64 : Type == ELF::R_X86_64_64;
}
/// ObjSymbol::Section of a symbol the object imports (libc mode).
constexpr int UndefinedSection = -2;

/// Writes an ELF64 relocatable object. Section headers: null, the sections in
/// order, one `.rela` section per section with relocations, .symtab, .strtab,
/// .shstrtab. Symbols: null, the section symbols relocations use, the local
/// symbols, the global ones. Nothing machine- or run-specific goes in.
std::vector<uint8_t> writeRelocatable(const ObjectFile &Obj) {
  const unsigned NumSec = Obj.Sections.size();
  std::vector<unsigned> RelaOf(NumSec, 0); // section header index of .rela
  unsigned NextIndex = 1 + NumSec;
  for (unsigned I = 0; I < NumSec; ++I)
    if (!Obj.Sections[I].Relocs.empty())
      RelaOf[I] = NextIndex++;
  const unsigned SymtabIdx = NextIndex, StrtabIdx = NextIndex + 1,
                 ShstrtabIdx = NextIndex + 2, NumHeaders = NextIndex + 3;

  // Symbol table.
  std::string StrTab("\0", 1);
  std::vector<ELFT::Sym> Syms(1);
  std::memset(Syms.data(), 0, sizeof(ELFT::Sym));
  std::vector<uint32_t> SecSymIndex(NumSec, 0), SymIndex(Obj.Symbols.size(), 0);
  for (const ObjSection &S : Obj.Sections)
    for (const ObjReloc &R : S.Relocs)
      if (R.Symbol < 0)
        SecSymIndex[-1 - R.Symbol] = 1; // needed
  for (unsigned I = 0; I < NumSec; ++I) {
    if (!SecSymIndex[I])
      continue;
    ELFT::Sym S;
    std::memset(&S, 0, sizeof(S));
    S.setBindingAndType(ELF::STB_LOCAL, ELF::STT_SECTION);
    S.st_shndx = 1 + I;
    SecSymIndex[I] = Syms.size();
    Syms.push_back(S);
  }
  auto add = [&](size_t I) {
    const ObjSymbol &O = Obj.Symbols[I];
    ELFT::Sym S;
    std::memset(&S, 0, sizeof(S));
    S.st_name = StrTab.size();
    StrTab += O.Name;
    StrTab += '\0';
    S.setBindingAndType(O.Binding, O.Type);
    S.st_other = ELF::STV_DEFAULT;
    S.st_shndx = O.Section == UndefinedSection ? uint16_t(ELF::SHN_UNDEF)
                 : O.Section < 0               ? uint16_t(ELF::SHN_ABS)
                                               : uint16_t(1 + O.Section);
    S.st_value = O.Value;
    S.st_size = O.Size;
    SymIndex[I] = Syms.size();
    Syms.push_back(S);
  };
  for (size_t I = 0; I < Obj.Symbols.size(); ++I)
    if (Obj.Symbols[I].Binding == ELF::STB_LOCAL)
      add(I);
  unsigned FirstGlobal = Syms.size();
  for (size_t I = 0; I < Obj.Symbols.size(); ++I)
    if (Obj.Symbols[I].Binding != ELF::STB_LOCAL)
      add(I);

  std::string ShStrTab("\0", 1);
  auto addShName = [&](StringRef Name) {
    uint32_t Off = ShStrTab.size();
    ShStrTab += Name;
    ShStrTab += '\0';
    return Off;
  };

  std::vector<uint8_t> Out(sizeof(ELFT::Ehdr), 0);
  auto place = [&](const void *Data, size_t Size, uint64_t Align) {
    Out.resize(alignTo(Out.size(), std::max<uint64_t>(Align, 1)), 0);
    uint64_t Off = Out.size();
    const uint8_t *P = static_cast<const uint8_t *>(Data);
    Out.insert(Out.end(), P, P + Size);
    return Off;
  };

  std::vector<ELFT::Shdr> Sh(NumHeaders);
  std::memset(Sh.data(), 0, Sh.size() * sizeof(ELFT::Shdr));
  for (unsigned I = 0; I < NumSec; ++I) {
    const ObjSection &S = Obj.Sections[I];
    ELFT::Shdr &H = Sh[1 + I];
    H.sh_name = addShName(S.Name);
    H.sh_type = S.Type;
    H.sh_flags = S.Flags;
    H.sh_addralign = S.Align;
    H.sh_entsize = S.EntSize;
    H.sh_size = S.size();
    // File offsets need no page alignment in a relocatable object.
    H.sh_offset = S.Type == ELF::SHT_NOBITS
                      ? Out.size()
                      : place(S.Data.data(), S.Data.size(), std::min<uint64_t>(S.Align, 16));
  }
  for (unsigned I = 0; I < NumSec; ++I) {
    const ObjSection &S = Obj.Sections[I];
    if (S.Relocs.empty())
      continue;
    std::vector<ELFT::Rela> Relas;
    for (const ObjReloc &R : S.Relocs) {
      ELFT::Rela X;
      std::memset(&X, 0, sizeof(X));
      X.r_offset = R.Offset;
      X.r_addend = R.Addend;
      X.setSymbolAndType(R.Symbol < 0 ? SecSymIndex[-1 - R.Symbol] : SymIndex[R.Symbol], R.Type,
                         false);
      Relas.push_back(X);
    }
    ELFT::Shdr &H = Sh[RelaOf[I]];
    H.sh_name = addShName(".rela" + S.Name);
    H.sh_type = ELF::SHT_RELA;
    H.sh_flags = ELF::SHF_INFO_LINK;
    H.sh_link = SymtabIdx;
    H.sh_info = 1 + I;
    H.sh_addralign = 8;
    H.sh_entsize = sizeof(ELFT::Rela);
    H.sh_size = Relas.size() * sizeof(ELFT::Rela);
    H.sh_offset = place(Relas.data(), H.sh_size, 8);
  }
  Sh[SymtabIdx].sh_name = addShName(".symtab");
  Sh[SymtabIdx].sh_type = ELF::SHT_SYMTAB;
  Sh[SymtabIdx].sh_size = Syms.size() * sizeof(ELFT::Sym);
  Sh[SymtabIdx].sh_offset = place(Syms.data(), Sh[SymtabIdx].sh_size, 8);
  Sh[SymtabIdx].sh_link = StrtabIdx;
  Sh[SymtabIdx].sh_info = FirstGlobal;
  Sh[SymtabIdx].sh_addralign = 8;
  Sh[SymtabIdx].sh_entsize = sizeof(ELFT::Sym);

  Sh[StrtabIdx].sh_name = addShName(".strtab");
  Sh[StrtabIdx].sh_type = ELF::SHT_STRTAB;
  Sh[StrtabIdx].sh_offset = place(StrTab.data(), StrTab.size(), 1);
  Sh[StrtabIdx].sh_size = StrTab.size();
  Sh[StrtabIdx].sh_addralign = 1;

  Sh[ShstrtabIdx].sh_name = addShName(".shstrtab");
  Sh[ShstrtabIdx].sh_type = ELF::SHT_STRTAB;
  Sh[ShstrtabIdx].sh_size = ShStrTab.size();
  Sh[ShstrtabIdx].sh_addralign = 1;
  Sh[ShstrtabIdx].sh_offset = place(ShStrTab.data(), ShStrTab.size(), 1);

  uint64_t ShOff = place(Sh.data(), Sh.size() * sizeof(ELFT::Shdr), 8);

  ELFT::Ehdr Eh;
  std::memset(&Eh, 0, sizeof(Eh));
  std::memcpy(Eh.e_ident, ELF::ElfMagic, 4);
  Eh.e_ident[ELF::EI_CLASS] = ELF::ELFCLASS64;
  Eh.e_ident[ELF::EI_DATA] = ELF::ELFDATA2LSB;
  Eh.e_ident[ELF::EI_VERSION] = ELF::EV_CURRENT;
  Eh.e_ident[ELF::EI_OSABI] = ELF::ELFOSABI_NONE;
  Eh.e_type = ELF::ET_REL;
  Eh.e_machine = Obj.Machine;
  Eh.e_version = ELF::EV_CURRENT;
  Eh.e_shoff = ShOff;
  Eh.e_ehsize = sizeof(ELFT::Ehdr);
  Eh.e_shentsize = sizeof(ELFT::Shdr);
  Eh.e_shnum = NumHeaders;
  Eh.e_shstrndx = ShstrtabIdx;
  std::memcpy(Out.data(), &Eh, sizeof(Eh));
  return Out;
}

//===-- Manifest ---------------------------------------------------------===//

struct NamedSpan {
  uint64_t Offset = 0, Size = 0;
  std::string Name;
};

/// Splits [0, Masked.size()) at the symbols' starts and ends and hashes each
/// piece; a piece that starts where a symbol starts carries its name.
void addRanges(BlobManifest &M, uint32_t Section, ArrayRef<uint8_t> Masked,
               std::vector<NamedSpan> Spans) {
  uint64_t End = Masked.size();
  std::set<uint64_t> Cuts = {0, End};
  std::map<uint64_t, std::string> Names;
  llvm::stable_sort(Spans, [](const NamedSpan &A, const NamedSpan &B) { return A.Offset < B.Offset; });
  for (const NamedSpan &S : Spans) {
    if (S.Offset >= End)
      continue;
    Cuts.insert(S.Offset);
    Cuts.insert(std::min(End, S.Offset + S.Size));
    Names.try_emplace(S.Offset, S.Name); // the first name at an offset wins
  }
  for (auto It = Cuts.begin(); std::next(It) != Cuts.end(); ++It) {
    uint64_t From = *It, To = *std::next(It);
    ManifestRange R;
    R.Section = Section;
    R.Offset = From;
    R.Size = To - From;
    R.Hash = hashRange(Masked.slice(From, To - From));
    if (auto N = Names.find(From); N != Names.end())
      R.Name = N->second;
    M.Ranges.push_back(std::move(R));
  }
}

/// Appends the encoded manifest to Obj.Sections[TextIndex] (8-byte aligned)
/// with one anchor relocation per other manifest section; ManifestSections[i]
/// is the ObjectFile section of M.Sections[i]. Returns the manifest's size.
uint64_t appendManifest(ObjectFile &Obj, unsigned TextIndex, BlobManifest &M,
                        ArrayRef<unsigned> ManifestSections) {
  ObjSection &Text = Obj.Sections[TextIndex];
  M.ManifestOffset = alignTo(Text.Data.size(), 8);
  EncodedManifest E = encodeManifest(M);
  Text.Data.resize(M.ManifestOffset, 0);
  Text.Data.insert(Text.Data.end(), E.Bytes.begin(), E.Bytes.end());
  Text.Align = std::max<uint64_t>(Text.Align, 8);
  uint32_t Anchor = Obj.Machine == ELF::EM_X86_64 ? uint32_t(ELF::R_X86_64_PC64)
                                                  : uint32_t(ELF::R_AARCH64_PREL64);
  for (size_t I = 1; I < M.Sections.size(); ++I)
    Text.Relocs.push_back(
        {M.ManifestOffset + E.AnchorOffsets[I], Anchor, sectionSymbol(ManifestSections[I]), 0});
  return Text.Data.size() - M.ManifestOffset;
}

} // namespace

//===-- DynamicGlue: the merged object, rewritten -------------------------===//

/// Rewrites link 1's output: every symbol local but the roots, which are
/// renamed; group sections dropped; the manifest appended to `.text`.
Expected<GlueObject> rewriteMerged(const ELFFile &File, const PackRequest &Req) {
  auto Sections = File.sections();
  if (!Sections)
    return Sections.takeError();
  ObjectFile Obj;
  Obj.Machine = elfMachine(Req.Tgt);
  std::vector<int> NewIndex(Sections->size(), -1);
  int TextIndex = -1;
  for (unsigned I = 0; I < Sections->size(); ++I) {
    const ELFT::Shdr &S = (*Sections)[I];
    Expected<StringRef> Name = File.getSectionName(S);
    if (!Name)
      return Name.takeError();
    bool Alloc = S.sh_flags & ELF::SHF_ALLOC;
    if (!(Alloc && (S.sh_type == ELF::SHT_PROGBITS || S.sh_type == ELF::SHT_NOBITS)) &&
        *Name != ".note.GNU-stack")
      continue;
    ObjSection O;
    O.Name = Name->str();
    O.Type = S.sh_type;
    O.Flags = S.sh_flags & ~uint64_t(ELF::SHF_GROUP | ELF::SHF_LINK_ORDER);
    O.Align = std::max<uint64_t>(S.sh_addralign, 1);
    O.EntSize = S.sh_entsize;
    if (S.sh_type == ELF::SHT_NOBITS) {
      O.NoBitsSize = S.sh_size;
    } else {
      auto Data = File.getSectionContents(S);
      if (!Data)
        return Data.takeError();
      O.Data.assign(Data->begin(), Data->end());
    }
    NewIndex[I] = Obj.Sections.size();
    if (O.Name == ".text")
      TextIndex = NewIndex[I];
    Obj.Sections.push_back(std::move(O));
  }
  if (TextIndex < 0)
    return makeError("the merged native code has no .text section");
  int BssIndex = -1;
  for (unsigned I = 0; I < Obj.Sections.size(); ++I)
    if (Obj.Sections[I].Name == ".bss" && Obj.Sections[I].Type == ELF::SHT_NOBITS)
      BssIndex = I;

  Expected<SymbolTable> Symtab = readSymbolTable(File);
  if (!Symtab)
    return Symtab.takeError();
  ArrayRef<ELFT::Sym> Syms = Symtab->Syms;
  StringRef StrTab = Symtab->Strings;
  StringSet<> RootSet;
  for (const std::string &R : Req.Roots)
    RootSet.insert(R);

  // Old symbol index -> ObjReloc symbol, or nullopt (dropped, with why).
  constexpr int Dropped = INT32_MIN;
  std::vector<int> SymMap(Syms.size(), Dropped);
  std::vector<std::string> SymNames(Syms.size()), DropWhy(Syms.size());
  GlueObject Out;
  for (size_t I = 1; I < Syms.size(); ++I) {
    const ELFT::Sym &Sym = Syms[I];
    Expected<StringRef> Name = Sym.getName(StrTab);
    if (!Name)
      return Name.takeError();
    SymNames[I] = Name->str();
    unsigned Type = Sym.getType();
    if (Type == ELF::STT_FILE)
      continue;
    if (Sym.st_shndx == ELF::SHN_UNDEF) {
      // Libc mode: cmd/link binds it to the glue's cgo_import_dynamic line
      // of the same name, through its PLT or GOT.
      if (llvm::any_of(Req.Imports, [&](const DynamicImport &D) { return D.Symbol == *Name; })) {
        Obj.Symbols.push_back({Name->str(), ELF::STB_GLOBAL, (unsigned char)Type,
                               UndefinedSection, 0, 0});
        SymMap[I] = Obj.Symbols.size() - 1;
        continue;
      }
      DropWhy[I] = "it is undefined";
      continue;
    }
    if (Sym.st_shndx == ELF::SHN_COMMON) {
      // lld -r keeps common symbols common; they get space in .bss here,
      // as the final link would give them (st_value is the alignment).
      if (BssIndex < 0) {
        ObjSection Bss;
        Bss.Name = ".bss";
        Bss.Type = ELF::SHT_NOBITS;
        Bss.Flags = ELF::SHF_ALLOC | ELF::SHF_WRITE;
        BssIndex = Obj.Sections.size();
        Obj.Sections.push_back(std::move(Bss));
      }
      ObjSection &Bss = Obj.Sections[BssIndex];
      uint64_t Align = std::max<uint64_t>(Sym.st_value, 1);
      uint64_t At = alignTo(Bss.NoBitsSize, Align);
      Bss.NoBitsSize = At + Sym.st_size;
      Bss.Align = std::max(Bss.Align, Align);
      Obj.Symbols.push_back({Name->str(), ELF::STB_LOCAL, ELF::STT_OBJECT, BssIndex, At,
                             Sym.st_size});
      SymMap[I] = Obj.Symbols.size() - 1;
      continue;
    }
    if (Sym.st_shndx == ELF::SHN_ABS) {
      Obj.Symbols.push_back({Name->str(), ELF::STB_LOCAL, (unsigned char)Type, -1,
                             Sym.st_value, Sym.st_size});
      SymMap[I] = Obj.Symbols.size() - 1;
      continue;
    }
    int Sec = Sym.st_shndx < NewIndex.size() ? NewIndex[Sym.st_shndx] : -1;
    if (Sec < 0) {
      DropWhy[I] = "its section was dropped";
      continue;
    }
    if (Type == ELF::STT_SECTION) {
      SymMap[I] = sectionSymbol(Sec);
      continue;
    }
    bool Root = Sym.getBinding() != ELF::STB_LOCAL && RootSet.contains(*Name);
    ObjSymbol O{Root ? Req.SymbolPrefix + Name->str() : Name->str(),
                Root ? (unsigned char)ELF::STB_GLOBAL : (unsigned char)ELF::STB_LOCAL,
                (unsigned char)Type, Sec, Sym.st_value, Sym.st_size};
    if (Root) {
      if (Sec != TextIndex)
        return makeError("root symbol '" + *Name + "' is not in the merged .text");
      Out.Roots[Name->str()] = {Sym.st_value, Sym.st_size};
    }
    if (Sec == TextIndex && !Name->empty() && (Root || Type == ELF::STT_FUNC))
      Out.Functions.push_back({Sym.st_value, Sym.st_size, Name->str(), Root ? O.Name : ""});
    Obj.Symbols.push_back(std::move(O));
    SymMap[I] = Obj.Symbols.size() - 1;
  }

  // Absolute addresses of imported functions (glibc's, a shared library's)
  // stored in data, as SQLite's table of system calls, are a relocation
  // cmd/link refuses for a dynamic symbol: it binds imports only through PLT
  // and GOT references. Each such function
  // gets a thunk at the end of .text, a jump through the PLT, and the data
  // holds the thunk's address, an ordinary relocation inside the blob.
  ObjSection &Text = Obj.Sections[TextIndex];
  std::map<int, int> ThunkOf; // imported symbol -> its thunk's symbol
  struct ThunkReloc {
    uint64_t Offset;
    uint32_t Type;
    int Symbol;
    int64_t Addend;
  };
  std::vector<ThunkReloc> ThunkRelocs;
  for (unsigned I = 0; I < Sections->size(); ++I) {
    const ELFT::Shdr &S = (*Sections)[I];
    if (S.sh_type != ELF::SHT_RELA || S.sh_info >= NewIndex.size() || NewIndex[S.sh_info] < 0)
      continue;
    auto Relas = File.relas(S);
    if (!Relas)
      return Relas.takeError();
    for (const ELFT::Rela &R : *Relas) {
      uint32_t Sym = R.getSymbol(false), Type = R.getType(false);
      if (Sym == 0 || Sym >= SymMap.size() || SymMap[Sym] < 0 ||
          Obj.Symbols[SymMap[Sym]].Section != UndefinedSection ||
          !isAbsoluteAddress(Obj.Machine, Type))
        continue;
      std::string Where =
          Obj.Sections[NewIndex[S.sh_info]].Name + "+0x" + utohexstr(R.r_offset, true);
      for (const ObjSymbol &O : Obj.Symbols) // name the variable, too
        if (O.Section == NewIndex[S.sh_info] && O.Type == ELF::STT_OBJECT &&
            R.r_offset >= O.Value && R.r_offset - O.Value < O.Size)
          Where += ", in '" + O.Name + "'";
      auto Import = llvm::find_if(Req.Imports, [&](const DynamicImport &D) {
        return D.Symbol == SymNames[Sym];
      });
      const std::string Library = Import == Req.Imports.end() ? "" : Import->Library;
      if (Import != Req.Imports.end() && Import->Data)
        return makeError("the native code stores the address of " + Library + "'s object '" +
                         SymNames[Sym] + "' in data (" + Where +
                         "), which Go's linker cannot bind (it binds a shared library's "
                         "objects only through GOT loads in code); take its address in code "
                         "instead");
      if (R.r_addend != 0)
        return makeError("the native code stores the address of " + Library + "'s '" +
                         SymNames[Sym] + "' plus " + std::to_string(R.r_addend) + " in data (" +
                         Where + "), which Go's linker cannot bind");
      if (ThunkOf.count(SymMap[Sym]))
        continue;
      const ImportJump Jump = importJump(Obj.Machine);
      if (ThunkOf.empty()) // pad .text to the thunks' alignment
        Text.Data.resize(alignTo(Text.Data.size(), 16), Jump.Code.back());
      const uint64_t At = Text.Data.size();
      Text.Data.insert(Text.Data.end(), Jump.Code.begin(), Jump.Code.end());
      const std::string Name = "gotramp_import_thunk_" + SymNames[Sym];
      Obj.Symbols.push_back(
          {Name, ELF::STB_LOCAL, ELF::STT_FUNC, TextIndex, At, Jump.Code.size()});
      ThunkOf[SymMap[Sym]] = Obj.Symbols.size() - 1;
      Out.Functions.push_back({At, Jump.Code.size(), Name, ""});
      ThunkRelocs.push_back({At + Jump.RelocOffset, Jump.RelocType, SymMap[Sym], Jump.Addend});
    }
  }

  // Manifest sections: .text first, then every other allocated section.
  BlobManifest M;
  M.Machine = Obj.Machine;
  M.Label = Req.Label.empty() ? Req.SymbolPrefix : Req.Label;
  std::vector<unsigned> ManifestSecs = {unsigned(TextIndex)};
  std::vector<int> ManifestIndexOf(Obj.Sections.size(), -1);
  ManifestIndexOf[TextIndex] = 0;
  for (unsigned I = 0; I < Obj.Sections.size(); ++I)
    if (int(I) != TextIndex && (Obj.Sections[I].Flags & ELF::SHF_ALLOC)) {
      ManifestIndexOf[I] = ManifestSecs.size();
      ManifestSecs.push_back(I);
    }
  for (unsigned I : ManifestSecs) {
    const ObjSection &S = Obj.Sections[I];
    M.Sections.push_back({S.Name, S.size(), S.Type == ELF::SHT_NOBITS,
                          bool(S.Flags & ELF::SHF_WRITE), bool(S.Flags & ELF::SHF_EXECINSTR)});
  }

  // Relocations, recorded in the manifest too.
  auto addRelocation = [&](int Target, uint64_t Offset, uint32_t Type, int NewSym,
                           int64_t Addend, const std::string &SymName) -> Error {
    ObjSection &TS = Obj.Sections[Target];
    std::string Where = TS.Name + "+0x" + utohexstr(Offset, true);
    TS.Relocs.push_back({Offset, Type, NewSym, Addend});
    ManifestReloc MR;
    MR.Section = ManifestIndexOf[Target];
    MR.Offset = Offset;
    MR.Type = Type;
    MR.Addend = Addend;
    int TargetSec = NewSym < 0 ? -1 - NewSym : Obj.Symbols[NewSym].Section;
    // A glibc import lands in the binary's PLT or GOT, which the manifest
    // cannot name: the verifier masks its field but does not check it.
    bool Imported = TargetSec == UndefinedSection;
    if (!Imported && (TargetSec < 0 || ManifestIndexOf[TargetSec] < 0))
      return makeError("relocation at " + Where + " refers to '" + SymName +
                       "', which is not in an allocated section");
    MR.TargetSection = Imported ? ManifestImportedTarget : ManifestIndexOf[TargetSec];
    MR.TargetValue = NewSym < 0 || Imported ? 0 : Obj.Symbols[NewSym].Value;
    if (NewSym >= 0)
      MR.Target = Obj.Symbols[NewSym].Name;
    if (Obj.Machine == ELF::EM_X86_64 &&
        (Type == ELF::R_X86_64_GOTPCREL || Type == ELF::R_X86_64_GOTPCRELX ||
         Type == ELF::R_X86_64_REX_GOTPCRELX)) {
      if (Offset < 2 || Offset > TS.Data.size())
        return makeError("GOT relocation at " + Where + " has no instruction before it");
      for (unsigned K = 1; K <= 4 && K <= Offset; ++K) // byte at offset-1 on top
        MR.Before |= uint32_t(TS.Data[Offset - K]) << (32 - 8 * K);
    }
    if (Obj.Machine == ELF::EM_AARCH64 && Type != ELF::R_AARCH64_ABS64 &&
        Type != ELF::R_AARCH64_PREL64 && Type != ELF::R_AARCH64_PREL32) {
      if (TS.Data.size() < 4 || Offset > TS.Data.size() - 4)
        return makeError("relocation at " + Where + " runs past its section");
      MR.Before = support::endian::read32le(&TS.Data[Offset]); // the instruction
    }
    M.Relocs.push_back(std::move(MR));
    return Error::success();
  };
  for (const ThunkReloc &R : ThunkRelocs)
    if (Error E = addRelocation(TextIndex, R.Offset, R.Type, R.Symbol, R.Addend,
                                Obj.Symbols[R.Symbol].Name))
      return E;
  for (unsigned I = 0; I < Sections->size(); ++I) {
    const ELFT::Shdr &S = (*Sections)[I];
    if (S.sh_type == ELF::SHT_REL && S.sh_size)
      return makeError("the merged native code has REL relocations");
    if (S.sh_type != ELF::SHT_RELA || S.sh_info >= NewIndex.size() || NewIndex[S.sh_info] < 0)
      continue;
    int Target = NewIndex[S.sh_info];
    ObjSection &TS = Obj.Sections[Target];
    auto Relas = File.relas(S);
    if (!Relas)
      return Relas.takeError();
    for (const ELFT::Rela &R : *Relas) {
      uint32_t Sym = R.getSymbol(false), Type = R.getType(false);
      std::string Where = TS.Name + "+0x" + utohexstr(R.r_offset, true);
      if (Sym == 0 || Sym >= SymMap.size() || SymMap[Sym] == Dropped)
        return makeError("relocation " + relocationName(Obj.Machine, Type) + " at " + Where +
                         " refers to symbol '" + (Sym < SymNames.size() ? SymNames[Sym] : "") +
                         "', but " + (Sym < DropWhy.size() ? DropWhy[Sym] : "it is missing"));
      if (!isVerifiableRelocation(Obj.Machine, Type))
        return makeError("relocation " + relocationName(Obj.Machine, Type) + " at " + Where +
                         " (against '" + SymNames[Sym] +
                         "') is not one Go's linker applies; recompile with -fPIC");
      int NewSym = SymMap[Sym];
      if (auto Thunk = ThunkOf.find(NewSym);
          Thunk != ThunkOf.end() && isAbsoluteAddress(Obj.Machine, Type))
        NewSym = Thunk->second;
      if (Error E = addRelocation(Target, R.r_offset, Type, NewSym, R.r_addend, SymNames[Sym]))
        return E;
    }
  }

  // Hashes of every allocated section's bytes, relocated fields masked.
  for (size_t MI = 0; MI < ManifestSecs.size(); ++MI) {
    const ObjSection &S = Obj.Sections[ManifestSecs[MI]];
    if (S.Type == ELF::SHT_NOBITS)
      continue;
    std::vector<uint8_t> Masked = S.Data;
    for (const ObjReloc &R : S.Relocs)
      maskRelocation(Obj.Machine, R.Type, Masked, R.Offset);
    std::vector<NamedSpan> Spans;
    for (const ObjSymbol &O : Obj.Symbols)
      if (O.Section == int(ManifestSecs[MI]) && !O.Name.empty() &&
          (O.Type == ELF::STT_FUNC || O.Type == ELF::STT_OBJECT))
        Spans.push_back({O.Value, O.Size, O.Name});
    addRanges(M, MI, Masked, std::move(Spans));
  }
  Out.CodeBytes = Obj.Sections[TextIndex].Data.size();
  Out.ManifestBytes = appendManifest(Obj, TextIndex, M, ManifestSecs);
  Out.Syso = writeRelocatable(Obj);
  return Out;
}

//===-- Calls straight into a shared library ------------------------------===//

std::vector<uint8_t> writeCallThunks(uint16_t Machine, const std::vector<std::string> &Imports) {
  // One section per thunk, so --gc-sections keeps only those the roots
  // name; each a tail jump that cmd/link routes through its PLT, as it does
  // the packed code's calls into glibc.
  ObjectFile Obj;
  Obj.Machine = Machine;
  const ImportJump Jump = importJump(Machine);
  for (const std::string &Import : Imports) {
    ObjSection S;
    S.Name = ".text." + callThunkName(Import);
    S.Flags = ELF::SHF_ALLOC | ELF::SHF_EXECINSTR;
    S.Align = 16;
    S.Data = Jump.Code;
    int Section = Obj.Sections.size();
    Obj.Symbols.push_back({Import, ELF::STB_GLOBAL, ELF::STT_FUNC, UndefinedSection, 0, 0});
    S.Relocs.push_back(
        {Jump.RelocOffset, Jump.RelocType, int(Obj.Symbols.size() - 1), Jump.Addend});
    Obj.Symbols.push_back({callThunkName(Import), ELF::STB_GLOBAL, ELF::STT_FUNC, Section, 0,
                           S.Data.size()});
    Obj.Sections.push_back(std::move(S));
  }
  ObjSection Note;
  Note.Name = ".note.GNU-stack";
  Obj.Sections.push_back(std::move(Note));
  return writeRelocatable(Obj);
}

//===-- StaticBlob: link 2's .text, copied --------------------------------===//

void writeStaticBlob(const PackRequest &Req, const BlobInfo &Blob,
                     const MergeInfo &Merged, PackResult &Result) {
  // Go keeps the section alignment (loadelf sets the symbol's alignment);
  // page-relative arm64 code needs the page offset preserved.
  uint64_t Align = std::max<uint64_t>(Blob.TextAlign, 16);
  if (Merged.PageRelative)
    Align = std::max<uint64_t>(Align, 4096);
  // Its data pages must be pages at run time too.
  Align = std::max<uint64_t>(Align, Blob.Relocation.PageAlign);
  ObjectFile Obj;
  Obj.Machine = elfMachine(Req.Tgt);
  ObjSection Text;
  Text.Name = ".text";
  Text.Flags = ELF::SHF_ALLOC | ELF::SHF_EXECINSTR;
  Text.Align = Align;
  Text.Data = Blob.Image;
  Obj.Sections.push_back(std::move(Text));
  ObjSection Note;
  Note.Name = ".note.GNU-stack";
  Obj.Sections.push_back(std::move(Note));

  BlobManifest M;
  M.Machine = Obj.Machine;
  M.StaticBlob = true;
  M.PageAligned = Merged.PageRelative;
  M.Label = Req.Label.empty() ? Req.SymbolPrefix : Req.Label;
  M.Sections.push_back({".text", Blob.Image.size(), false, false, true});
  std::vector<NamedSpan> Spans;
  std::vector<PackedFunction> Fns;
  for (const BlobSymbol &B : Blob.Locals) {
    Obj.Symbols.push_back({B.Name, ELF::STB_LOCAL, ELF::STT_FUNC, 0, B.Offset, B.Size});
    Spans.push_back({B.Offset, B.Size, B.Name});
    Fns.push_back({B.Offset, B.Size, B.Name, ""});
  }
  std::set<std::string> Seen;
  for (const BlobSymbol &B : Blob.Roots) {
    std::string Final = Req.SymbolPrefix + B.Name;
    Result.Roots.push_back({B.Name, Final, B.Offset, B.Size});
    if (!Seen.insert(B.Name).second)
      continue;
    Obj.Symbols.push_back({Final, ELF::STB_GLOBAL, ELF::STT_FUNC, 0, B.Offset, B.Size});
    Spans.push_back({B.Offset, B.Size, Final});
    Fns.push_back({B.Offset, B.Size, B.Name, Final});
  }
  Result.Functions = sortFunctions(std::move(Fns));
  Result.CodeBytes = Blob.Image.size();
  if (!Blob.Relocation.empty()) {
    M.WritableFrom = Blob.Relocation.DataOffset;
    M.InitSlots = Blob.Relocation.Slots;
    // A hashed range must not straddle the writable pages, which a running
    // process changes (verify --pid skips them).
    Spans.push_back({M.WritableFrom, 0, ""});
  }
  addRanges(M, 0, Blob.Image, std::move(Spans));
  Result.ManifestBytes = appendManifest(Obj, 0, M, {0u});
  Result.Syso = writeRelocatable(Obj);
  Result.TextBytes = Blob.TextBytes;
  Result.Relocation = Blob.Relocation;
  if (!Result.Relocation.empty())
    Result.DataBytes = Result.Relocation.DataEnd - Result.Relocation.RelroOffset;
}

} // namespace gotramp::pack
