//===- Image.cpp - stage 1: the ELF object at virtual addresses -----------===//
//
// Stage 1 of the stack analysis (the stages are listed in CallGraph.cpp): the
// ELF object's sections are laid out at virtual addresses and its relocations
// applied to a copy of their bytes, so that a compiler object and the
// packer's pre-linked blob look the same to the rest: machine code whose
// branches, calls and address computations point at real targets. Undefined
// symbols get distinct addresses outside every section (a call to one is an
// external call, reported by name); GOT slots are synthesised and read back
// as the symbol's address. Here too: the function symbols, the
// `.stack_sizes` entries, and the message helpers declared in Image.h.
//
//===----------------------------------------------------------------------===//

#include "Image.h"

#include "llvm/ADT/StringMap.h"
#include "llvm/BinaryFormat/ELF.h"
#include "llvm/Object/ELF.h"
#include "llvm/Object/ELFTypes.h"
#include "llvm/Support/Endian.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/LEB128.h"
#include "llvm/Support/MathExtras.h"
#include "llvm/Support/raw_ostream.h"

using namespace llvm;

namespace gotramp::stack {

Error makeError(const Twine &Msg) {
  return createStringError(inconvertibleErrorCode(), Msg.str());
}

std::string hex(uint64_t V) {
  std::string S;
  raw_string_ostream OS(S);
  OS << format_hex(V, 0);
  return S;
}

namespace {

using ELFT = object::ELF64LE;
using ELFFile = object::ELFFile<ELFT>;

void write32(uint8_t *P, uint32_t V) { support::endian::write32le(P, V); }
void write64(uint8_t *P, uint64_t V) { support::endian::write64le(P, V); }
uint32_t read32(const uint8_t *P) { return support::endian::read32le(P); }

/// Applies one relocation to Loc. False when the type is not supported or
/// the value does not fit (the field is then marked bad by the caller).
bool applyX86(uint32_t Type, uint8_t *Loc, uint64_t P, uint64_t S, int64_t A,
              uint64_t G) {
  switch (Type) {
  case ELF::R_X86_64_NONE:
    return true;
  case ELF::R_X86_64_64:
    write64(Loc, S + A);
    return true;
  case ELF::R_X86_64_PC64:
    write64(Loc, S + A - P);
    return true;
  case ELF::R_X86_64_PC32:
  case ELF::R_X86_64_PLT32: {
    int64_t V = int64_t(S + A - P);
    if (!isInt<32>(V))
      return false;
    write32(Loc, uint32_t(V));
    return true;
  }
  case ELF::R_X86_64_32:
    if (!isUInt<32>(S + A))
      return false;
    write32(Loc, uint32_t(S + A));
    return true;
  case ELF::R_X86_64_32S:
    if (!isInt<32>(int64_t(S + A)))
      return false;
    write32(Loc, uint32_t(S + A));
    return true;
  case ELF::R_X86_64_GOTPCREL:
  case ELF::R_X86_64_GOTPCRELX:
  case ELF::R_X86_64_REX_GOTPCRELX: {
    int64_t V = int64_t(G + A - P);
    if (!isInt<32>(V))
      return false;
    write32(Loc, uint32_t(V));
    return true;
  }
  default:
    return false;
  }
}

bool applyAArch64(uint32_t Type, uint8_t *Loc, uint64_t P, uint64_t S,
                  int64_t A, uint64_t G) {
  uint64_t X = S + A;
  auto page = [](uint64_t V) { return V & ~uint64_t(0xfff); };
  auto setAdr = [&](int64_t Imm) {
    if (!isInt<21>(Imm))
      return false;
    uint32_t I = read32(Loc) & ~((3u << 29) | (0x7ffffu << 5));
    I |= (uint32_t(Imm) & 3) << 29;
    I |= ((uint32_t(Imm) >> 2) & 0x7ffff) << 5;
    write32(Loc, I);
    return true;
  };
  auto setImm12 = [&](uint64_t V, unsigned Shift) {
    if (V & ((uint64_t(1) << Shift) - 1))
      return false;
    uint32_t I = read32(Loc) & ~(0xfffu << 10);
    I |= uint32_t(((V & 0xfff) >> Shift) & 0xfff) << 10;
    write32(Loc, I);
    return true;
  };
  auto setBranch = [&](int64_t V, unsigned Bits, unsigned Lsb) {
    if ((V & 3) || !isIntN(Bits + 2, V))
      return false;
    uint32_t Mask = ((1u << Bits) - 1) << Lsb;
    uint32_t I = read32(Loc) & ~Mask;
    I |= (uint32_t(V >> 2) << Lsb) & Mask;
    write32(Loc, I);
    return true;
  };
  switch (Type) {
  case ELF::R_AARCH64_NONE:
    return true;
  case ELF::R_AARCH64_ABS64:
    write64(Loc, X);
    return true;
  case ELF::R_AARCH64_ABS32:
    if (!isUInt<32>(X) && !isInt<32>(int64_t(X)))
      return false;
    write32(Loc, uint32_t(X));
    return true;
  case ELF::R_AARCH64_PREL64:
    write64(Loc, X - P);
    return true;
  case ELF::R_AARCH64_PREL32:
    if (!isInt<32>(int64_t(X - P)))
      return false;
    write32(Loc, uint32_t(X - P));
    return true;
  case ELF::R_AARCH64_CALL26:
  case ELF::R_AARCH64_JUMP26:
    return setBranch(int64_t(X - P), 26, 0);
  case ELF::R_AARCH64_CONDBR19:
    return setBranch(int64_t(X - P), 19, 5);
  case ELF::R_AARCH64_TSTBR14:
    return setBranch(int64_t(X - P), 14, 5);
  case ELF::R_AARCH64_ADR_PREL_LO21:
    return setAdr(int64_t(X - P));
  case ELF::R_AARCH64_ADR_PREL_PG_HI21:
  case ELF::R_AARCH64_ADR_PREL_PG_HI21_NC:
    return setAdr((int64_t(page(X)) - int64_t(page(P))) >> 12);
  case ELF::R_AARCH64_ADR_GOT_PAGE:
    return setAdr((int64_t(page(G + A)) - int64_t(page(P))) >> 12);
  case ELF::R_AARCH64_ADD_ABS_LO12_NC:
  case ELF::R_AARCH64_LDST8_ABS_LO12_NC:
    return setImm12(X, 0);
  case ELF::R_AARCH64_LDST16_ABS_LO12_NC:
    return setImm12(X, 1);
  case ELF::R_AARCH64_LDST32_ABS_LO12_NC:
    return setImm12(X, 2);
  case ELF::R_AARCH64_LDST64_ABS_LO12_NC:
    return setImm12(X, 3);
  case ELF::R_AARCH64_LDST128_ABS_LO12_NC:
    return setImm12(X, 4);
  case ELF::R_AARCH64_LD64_GOT_LO12_NC:
    return setImm12(G + A, 3);
  default:
    return false;
  }
}

unsigned relocFieldSize(bool X86, uint32_t Type) {
  if (X86)
    return Type == ELF::R_X86_64_64 || Type == ELF::R_X86_64_PC64 ? 8 : 4;
  return Type == ELF::R_AARCH64_ABS64 || Type == ELF::R_AARCH64_PREL64 ? 8 : 4;
}

} // namespace

Expected<Image> buildImage(ArrayRef<uint8_t> Bytes, const Target &T) {
  StringRef Buf(reinterpret_cast<const char *>(Bytes.data()), Bytes.size());
  if (Buf.size() < 16 || !Buf.starts_with("\x7f" "ELF"))
    return makeError("not an ELF file");
  if (uint8_t(Buf[ELF::EI_CLASS]) != ELF::ELFCLASS64 ||
      uint8_t(Buf[ELF::EI_DATA]) != ELF::ELFDATA2LSB)
    return makeError("not a 64-bit little-endian ELF file");
  auto FileOrErr = ELFFile::create(Buf);
  if (!FileOrErr)
    return FileOrErr.takeError();
  const ELFFile &File = *FileOrErr;
  bool X86 = T.Architecture == Arch::AMD64;
  uint16_t Machine = File.getHeader().e_machine;
  if (Machine != (X86 ? ELF::EM_X86_64 : ELF::EM_AARCH64))
    return makeError("object is built for ELF machine " + Twine(Machine) +
                     " (" + (Machine == ELF::EM_X86_64    ? "x86-64"
                             : Machine == ELF::EM_AARCH64 ? "aarch64"
                                                          : "other") +
                     ") but the target is " + T.goName());
  bool Relocatable = File.getHeader().e_type == ELF::ET_REL;

  auto SectionsOrErr = File.sections();
  if (!SectionsOrErr)
    return SectionsOrErr.takeError();
  auto Sections = *SectionsOrErr;

  Image Img;
  std::vector<int> SecMap(Sections.size(), -1); // ELF index -> Img.Secs
  uint64_t Cursor = 0;
  uint64_t Highest = 0;
  for (unsigned I = 0; I < Sections.size(); ++I) {
    const ELFT::Shdr &S = Sections[I];
    Expected<StringRef> Name = File.getSectionName(S);
    if (!Name)
      return Name.takeError();
    bool IsStackSizes = *Name == ".stack_sizes";
    if (!(S.sh_flags & ELF::SHF_ALLOC) && !IsStackSizes)
      continue;
    if (S.sh_size == 0 && !(S.sh_flags & ELF::SHF_EXECINSTR))
      continue;
    ImgSection IS;
    IS.Name = Name->str();
    IS.Index = I;
    IS.Size = S.sh_size;
    IS.Exec = S.sh_flags & ELF::SHF_EXECINSTR;
    IS.NoBits = S.sh_type == ELF::SHT_NOBITS;
    if (Relocatable || !(S.sh_flags & ELF::SHF_ALLOC)) {
      IS.VA = 0; // placed below
    } else {
      IS.VA = S.sh_addr;
      Highest = std::max(Highest, S.sh_addr + S.sh_size);
    }
    if (!IS.NoBits) {
      auto Contents = File.getSectionContents(S);
      if (!Contents)
        return Contents.takeError();
      IS.Bytes.assign(Contents->begin(), Contents->end());
    }
    SecMap[I] = Img.Secs.size();
    Img.Secs.push_back(std::move(IS));
  }
  // Relocatable objects: page-aligned, in section order, so the packer's blob
  // (one .text) gets VA 0 and offsets equal addresses. Linked files keep
  // their addresses; only non-allocated .stack_sizes is placed above them.
  Cursor = alignTo(Highest, 4096);
  for (unsigned I = 0; I < Img.Secs.size(); ++I) {
    ImgSection &IS = Img.Secs[I];
    const ELFT::Shdr &S = Sections[IS.Index];
    if (!Relocatable && (S.sh_flags & ELF::SHF_ALLOC))
      continue;
    Cursor = alignTo(Cursor, std::max<uint64_t>(4096, S.sh_addralign));
    IS.VA = Cursor;
    Cursor += std::max<uint64_t>(IS.Size, 1);
  }

  // Symbols.
  const ELFT::Shdr *Symtab = nullptr;
  for (const ELFT::Shdr &S : Sections)
    if (S.sh_type == ELF::SHT_SYMTAB)
      Symtab = &S;
  if (!Symtab)
    for (const ELFT::Shdr &S : Sections)
      if (S.sh_type == ELF::SHT_DYNSYM)
        Symtab = &S;
  if (!Symtab)
    return Img; // no symbols: no functions to analyse
  auto SymsOrErr = File.symbols(Symtab);
  if (!SymsOrErr)
    return SymsOrErr.takeError();
  auto Syms = *SymsOrErr;
  auto StrTabOrErr = File.getStringTableForSymtab(*Symtab);
  if (!StrTabOrErr)
    return StrTabOrErr.takeError();
  StringRef StrTab = *StrTabOrErr;

  Img.ExternalBase = alignTo(Cursor, 4096) + 0x10000;
  uint64_t ExtCursor = Img.ExternalBase;
  StringMap<uint64_t> ExternalByName;
  std::vector<uint64_t> SymVA(Syms.size(), 0);
  for (unsigned I = 0; I < Syms.size(); ++I) {
    const ELFT::Sym &Sym = Syms[I];
    Expected<StringRef> Name = Sym.getName(StrTab);
    if (!Name)
      return Name.takeError();
    if (Sym.st_shndx == ELF::SHN_UNDEF || Sym.st_shndx == ELF::SHN_COMMON) {
      if (I == 0 || Name->empty())
        continue;
      auto [It, New] = ExternalByName.try_emplace(*Name, ExtCursor);
      if (New) {
        Img.ExternalNames[ExtCursor] = Name->str();
        ExtCursor += 16;
      }
      SymVA[I] = It->second;
      continue;
    }
    if (Sym.st_shndx == ELF::SHN_ABS) {
      SymVA[I] = Sym.st_value;
      continue;
    }
    if (Sym.st_shndx >= ELF::SHN_LORESERVE || Sym.st_shndx >= SecMap.size() ||
        SecMap[Sym.st_shndx] < 0)
      continue;
    const ImgSection &IS = Img.Secs[SecMap[Sym.st_shndx]];
    SymVA[I] = Relocatable ? IS.VA + Sym.st_value : Sym.st_value;

    uint8_t Type = Sym.getType();
    if (!IS.Exec || Name->empty())
      continue;
    bool Func = Type == ELF::STT_FUNC ||
                (Type == ELF::STT_NOTYPE &&
                 Sym.getBinding() != ELF::STB_LOCAL &&
                 !Name->starts_with("$") && !Name->starts_with(".L"));
    if (!Func)
      continue;
    FuncSym F;
    F.Name = Name->str();
    F.Global = Sym.getBinding() != ELF::STB_LOCAL;
    F.Sec = SecMap[Sym.st_shndx];
    F.VA = SymVA[I];
    F.Size = Sym.st_size;
    F.SizeKnown = Sym.st_size != 0;
    Img.Syms.push_back(std::move(F));
  }
  Img.ExternalEnd = ExtCursor;
  uint64_t GotBase = alignTo(ExtCursor, 4096) + 0x10000;

  // Relocations.
  if (Relocatable) {
    for (const ELFT::Shdr &R : Sections) {
      if (R.sh_type != ELF::SHT_RELA && R.sh_type != ELF::SHT_REL)
        continue;
      if (R.sh_info >= SecMap.size() || SecMap[R.sh_info] < 0)
        continue;
      ImgSection &Tgt = Img.Secs[SecMap[R.sh_info]];
      auto markBad = [&](uint64_t Off, unsigned Size) {
        Img.BadFields.push_back({Tgt.VA + Off, Tgt.VA + Off + Size});
      };
      if (R.sh_type == ELF::SHT_REL) {
        // x86-64 and AArch64 objects use RELA; an implicit-addend table
        // cannot be applied without per-type decoding: mark every field.
        auto Rels = File.rels(R);
        if (!Rels)
          return Rels.takeError();
        for (const ELFT::Rel &Rel : *Rels)
          markBad(Rel.r_offset, 8);
        continue;
      }
      auto Relas = File.relas(R);
      if (!Relas)
        return Relas.takeError();
      for (const ELFT::Rela &Rel : *Relas) {
        uint32_t Type = Rel.getType(false);
        uint32_t SymIdx = Rel.getSymbol(false);
        unsigned Size = relocFieldSize(X86, Type);
        // Written so that a huge r_offset cannot wrap the sum around.
        if (Tgt.NoBits || Rel.r_offset > Tgt.Size || Size > Tgt.Size - Rel.r_offset) {
          markBad(Rel.r_offset, Size);
          continue;
        }
        uint64_t S = SymIdx < SymVA.size() ? SymVA[SymIdx] : 0;
        uint64_t G = GotBase + 8 * uint64_t(SymIdx);
        bool UsesGot =
            X86 ? (Type == ELF::R_X86_64_GOTPCREL ||
                   Type == ELF::R_X86_64_GOTPCRELX ||
                   Type == ELF::R_X86_64_REX_GOTPCRELX)
                : (Type == ELF::R_AARCH64_ADR_GOT_PAGE ||
                   Type == ELF::R_AARCH64_LD64_GOT_LO12_NC);
        if (UsesGot)
          Img.Got[G] = S;
        uint64_t P = Tgt.VA + Rel.r_offset;
        uint8_t *Loc = Tgt.Bytes.data() + Rel.r_offset;
        bool Ok = X86 ? applyX86(Type, Loc, P, S, Rel.r_addend, G)
                      : applyAArch64(Type, Loc, P, S, Rel.r_addend, G);
        if (!Ok)
          markBad(Rel.r_offset, Size);
      }
    }
  }

  // .stack_sizes entries: (address, ULEB128 size).
  for (unsigned I = 0; I < Img.Secs.size(); ++I) {
    const ImgSection &IS = Img.Secs[I];
    if (IS.Name != ".stack_sizes")
      continue;
    uint64_t Off = 0;
    while (Off + 8 <= IS.Size) {
      Img.StackSizes.push_back({IS.VA + Off, I});
      Off += 8;
      unsigned N = 0;
      decodeULEB128(IS.Bytes.data() + Off, &N, IS.Bytes.data() + IS.Size);
      if (N == 0)
        break;
      Off += N;
    }
  }
  return Img;
}

} // namespace gotramp::stack
