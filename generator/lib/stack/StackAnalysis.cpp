//===- StackAnalysis.cpp - stack bounds from the machine code --------------===//
//
// Three stages (the model and its guarantees are documented in the header):
//
//  1. Image: the ELF object's sections are laid out at virtual addresses and
//     its relocations applied to a copy of their bytes, so that a compiler
//     object and the packer's pre-linked blob look the same to the rest:
//     machine code whose branches, calls and address computations point at
//     real targets. Undefined symbols get distinct addresses outside every
//     section (a call to one is an external call, reported by name); GOT
//     slots are synthesised and read back as the symbol's address.
//  2. Per function, an abstract interpretation over the control-flow graph,
//     decoding instructions on demand with LLVM MC from the function's entry
//     (recursive descent, so data is never decoded as code). The state is an
//     upper bound on the stack depth (bytes between the CFA and SP), whether
//     that bound is exact, and for each general-purpose register a small
//     symbolic value: a copy of SP at some depth (frame pointers, scratch
//     copies), a constant address (lea rip / adrp+add / adr), a load from a
//     constant table, or base + table entry (jump-table dispatch). Joins take
//     the maximum depth. The own frame is the maximum depth over every
//     reachable instruction, plus accesses below SP.
//  3. Call graph: Tarjan's SCCs (cycles are recursion), then bounds in
//     reverse topological order.
//
//===----------------------------------------------------------------------===//

#include "gotramp/stack/StackAnalysis.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/BinaryFormat/ELF.h"
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
#include "llvm/MC/MCTargetOptions.h"
#include "llvm/MC/TargetRegistry.h"
#include "llvm/Object/ELF.h"
#include "llvm/Object/ELFTypes.h"
#include "llvm/Support/Endian.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/LEB128.h"
#include "llvm/Support/MathExtras.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/TargetParser/Triple.h"

#include <algorithm>
#include <array>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <set>

using namespace llvm;

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

using ELFT = object::ELF64LE;
using ELFFile = object::ELFFile<ELFT>;

Error makeError(const Twine &Msg) {
  return createStringError(inconvertibleErrorCode(), Msg.str());
}

std::string hex(uint64_t V) {
  std::string S;
  raw_string_ostream OS(S);
  OS << format_hex(V, 0);
  return S;
}

/// Charge for an address below SP whose use cannot be followed: the System V
/// red zone (the most a correct x86-64 function may use below RSP).
constexpr int64_t RedZone = 128;
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

//===----------------------------------------------------------------------===//
// Stage 1: the image
//===----------------------------------------------------------------------===//

struct ImgSection {
  std::string Name;
  unsigned Index = 0;
  uint64_t VA = 0;
  uint64_t Size = 0;
  bool Exec = false;
  bool NoBits = false;
  std::vector<uint8_t> Bytes; // relocations applied
};

struct FuncSym {
  std::string Name;
  bool Global = false;
  unsigned Sec = 0; // index into Image::Secs
  uint64_t VA = 0;
  uint64_t Size = 0;
  bool SizeKnown = true;
};

class Image {
public:
  std::vector<ImgSection> Secs;
  std::map<uint64_t, std::string> ExternalNames; // address -> symbol
  std::map<uint64_t, uint64_t> Got;              // slot -> symbol address
  std::vector<std::pair<uint64_t, uint64_t>> BadFields; // [lo, hi)
  std::vector<std::pair<uint64_t, unsigned>> StackSizes; // (entry VA, section)
  std::vector<FuncSym> Syms;
  uint64_t ExternalBase = 0, ExternalEnd = 0;

  const ImgSection *sectionAt(uint64_t VA) const {
    for (const ImgSection &S : Secs)
      if (VA >= S.VA && VA - S.VA < S.Size)
        return &S;
    return nullptr;
  }

  std::optional<uint64_t> read(uint64_t VA, unsigned Width) const {
    if (Width == 8)
      if (auto It = Got.find(VA); It != Got.end())
        return It->second;
    const ImgSection *S = sectionAt(VA);
    if (!S || VA - S->VA + Width > S->Size)
      return std::nullopt;
    if (S->NoBits)
      return 0;
    uint64_t V = 0;
    for (unsigned I = 0; I < Width; ++I)
      V |= uint64_t(S->Bytes[VA - S->VA + I]) << (8 * I);
    return V;
  }

  ArrayRef<uint8_t> bytesFrom(uint64_t VA, uint64_t End) const {
    const ImgSection *S = sectionAt(VA);
    if (!S || S->NoBits)
      return {};
    uint64_t Off = VA - S->VA;
    uint64_t Lim = std::min(S->Size, End - S->VA);
    return ArrayRef<uint8_t>(S->Bytes).slice(Off, Lim - Off);
  }

  bool isBad(uint64_t Lo, uint64_t Hi) const {
    for (auto &[A, B] : BadFields)
      if (A < Hi && Lo < B)
        return true;
    return false;
  }
};

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
        if (Tgt.NoBits || Rel.r_offset + Size > Tgt.Size) {
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

//===----------------------------------------------------------------------===//
// Stage 2: per-function analysis
//===----------------------------------------------------------------------===//

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

/// LLVM MC objects for one target, plus register and opcode tables.
class Machine {
public:
  static Expected<std::unique_ptr<Machine>> create(const gotramp::Target &T);

  bool X86 = true;
  int64_t EntryDepth = 8;
  std::unique_ptr<MCRegisterInfo> MRI;
  std::unique_ptr<MCAsmInfo> MAI;
  std::unique_ptr<MCSubtargetInfo> STI;
  std::unique_ptr<MCInstrInfo> MII;
  std::unique_ptr<MCContext> Ctx;
  std::unique_ptr<MCDisassembler> Dis;
  std::unique_ptr<MCInstrAnalysis> MIA;
  std::unique_ptr<MCInstPrinter> IP;

  unsigned SP = 0, FP = 0, PC = 0, ZR = 0;
  std::vector<unsigned> GPR;       // index -> 64-bit register
  DenseMap<unsigned, int> GPRIndex; // any sub/super register -> index
  std::vector<bool> CalleeSaved;   // by index
  std::vector<unsigned> ArgRegs;   // by index
  DenseMap<unsigned, OpInfo> Ops;

  int gpr(unsigned Reg) const {
    auto It = GPRIndex.find(Reg);
    return It == GPRIndex.end() ? -1 : It->second;
  }
  bool isSP(unsigned Reg) const { return Reg && MRI->regsOverlap(Reg, SP); }
  OpInfo info(unsigned Opcode) const {
    auto It = Ops.find(Opcode);
    return It == Ops.end() ? OpInfo() : It->second;
  }
  std::string text(const MCInst &I, uint64_t Addr) const {
    std::string S;
    raw_string_ostream OS(S);
    IP->printInst(&I, Addr, "", *STI, OS);
    StringRef R = StringRef(S).trim();
    std::string Out;
    for (char C : R)
      Out += C == '\t' ? ' ' : C;
    return Out;
  }

private:
  void buildTables();
};

Expected<std::unique_ptr<Machine>> Machine::create(const gotramp::Target &T) {
  static std::once_flag Once;
  std::call_once(Once, [] {
    InitializeAllTargetInfos();
    InitializeAllTargetMCs();
    InitializeAllDisassemblers();
  });
  auto M = std::make_unique<Machine>();
  M->X86 = T.Architecture == Arch::AMD64;
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

  std::vector<std::string> Names, Saved, Args;
  if (X86) {
    Names = {"RAX", "RBX", "RCX", "RDX", "RSI", "RDI", "RBP", "R8",
             "R9",  "R10", "R11", "R12", "R13", "R14", "R15"};
    Saved = {"RBX", "RBP", "R12", "R13", "R14", "R15"};
    Args = {"RDI", "RSI", "RDX", "RCX", "R8", "R9", "RAX"};
    SP = reg("RSP");
    FP = reg("RBP");
    PC = reg("RIP");
  } else {
    for (int I = 0; I <= 28; ++I)
      Names.push_back("X" + std::to_string(I));
    Names.push_back("FP");
    Names.push_back("LR");
    for (int I = 19; I <= 28; ++I)
      Saved.push_back("X" + std::to_string(I));
    Saved.push_back("FP");
    for (int I = 0; I <= 8; ++I)
      Args.push_back("X" + std::to_string(I));
    SP = reg("SP");
    FP = reg("FP");
    ZR = reg("XZR");
  }
  for (const std::string &N : Names) {
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
  for (const std::string &N : Saved)
    if (int I = gpr(reg(N)); I >= 0)
      CalleeSaved[I] = true;
  for (const std::string &N : Args)
    if (unsigned R = reg(N))
      ArgRegs.push_back(R);

  for (unsigned Opc = 0; Opc < MII->getNumOpcodes(); ++Opc) {
    StringRef N = MII->getName(Opc);
    OpInfo I;
    if (X86) {
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
    } else {
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
    }
    if (I.Kind != Op::Other)
      Ops[Opc] = I;
  }
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

/// Largest amount `and sp, -N` can subtract when the depth before it is D
/// (exact or an upper bound); the CFA is 16-byte aligned by the psABI.
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
  struct Decoded {
    bool Ok = false;
    MCInst Inst;
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
             bool CutsPath) {
    if (CutsPath)
      F.Complete = false;
    if (F.Issues.count(VA))
      return;
    StackFunction::Issue I;
    I.Kind = K;
    I.Address = VA - SecVA;
    I.Detail = Detail;
    F.Issues[VA] = std::move(I);
  }
  void charge(int64_t Depth) { F.Own = std::max(F.Own, Depth); }
  void propagate(uint64_t VA, const State &S);
  void step(uint64_t VA, State S);
  void addSite(uint64_t VA, uint64_t Target, bool Tail, int64_t Depth);
  /// Handles a transfer to Target outside the function (tail call) or inside.
  void branchTo(uint64_t VA, uint64_t Target, const State &S, bool Call,
                const MCInst &I);
  bool inFunc(uint64_t VA) const { return VA >= Start && VA < End; }
  bool isBoundary(uint64_t VA);
  bool tryJumpTable(uint64_t VA, const Val &V, const State &S,
                    const MCInst &I);
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
          false);
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

void FunctionAnalyzer::checkBelowSP(const State &S, int64_t BaseDepth,
                                    int64_t Disp, bool Indexed) {
  int64_t Deepest = BaseDepth - Disp;
  if (Deepest <= S.D)
    return;
  charge(Indexed ? std::max(Deepest, S.D + RedZone) : Deepest);
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

  auto stop = [&](StackProblem K, const std::string &Why) {
    issue(K, VA, Why + " at " + where(VA) + ": " + M.text(I, VA), true);
  };

  // ---- Uses of addresses below SP that escape tracking ------------------
  // Registers read other than as a tracked base. Collected per target below.
  auto escapeCheck = [&](ArrayRef<unsigned> Regs) {
    for (unsigned R : Regs) {
      Val V = valOf(S, R);
      if (V.Kind == VSP && V.Depth > S.D)
        charge(std::max(V.Depth, S.D + RedZone));
    }
  };

  // ---- Memory operands: accesses below SP ------------------------------
  int MemIdx = -1; // x86: first operand of the memory reference
  if (M.X86 && Info.Kind != Op::Lea) {
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
      Val B = valOf(S, Base);
      if (!Seg && B.Kind == VSP)
        checkBelowSP(S, B.Depth, DispOp.isImm() ? DispOp.getImm() : 0,
                     Index != 0);
      if (Index)
        escapeCheck({Index});
    }
  }
  if (!M.X86) {
    auto baseDisp = [&](unsigned BaseOp, int64_t Disp) {
      Val B = valOf(S, I.getOperand(BaseOp).getReg());
      if (B.Kind == VSP)
        checkBelowSP(S, B.Depth, Disp, false);
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
            Val V = valOf(S, O.getReg());
            if (V.Kind == VSP && V.Depth > S.D)
              charge(std::max(V.Depth, S.D + RedZone));
          }
      }
      break;
    }
  }

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
          continue; // the base of a memory operand: checked exactly above
        if (I.getOperand(K).isReg())
          Uses.push_back(I.getOperand(K).getReg());
      }
      for (MCPhysReg R : Desc.implicit_uses())
        Uses.push_back(R);
      if (Desc.isCall())
        append_range(Uses, M.ArgRegs);
      escapeCheck(Uses);
    }
  }

  // ---- Values read before the instruction's definitions ----------------
  auto opReg = [&](unsigned K) -> unsigned {
    return K < I.getNumOperands() && I.getOperand(K).isReg()
               ? unsigned(I.getOperand(K).getReg())
               : 0u;
  };
  auto opImm = [&](unsigned K) -> int64_t {
    return K < I.getNumOperands() && I.getOperand(K).isImm()
               ? I.getOperand(K).getImm()
               : 0;
  };

  // Snapshot of the state before definitions kill values.
  const State Before = S;

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

  bool SPHandled = false;
  auto setSPFrom = [&](const Val &V) {
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
  };

  // ---- Semantics --------------------------------------------------------
  if (M.X86) {
    switch (Info.Kind) {
    case Op::Push:
      S.D += Info.Size;
      SPHandled = true;
      break;
    case Op::Pop: {
      unsigned Dst = opReg(0);
      if (Info.Size && Dst && M.isSP(Dst) && Desc.getNumDefs()) {
        stop(StackProblem::UnsupportedStackOp, "pop into the stack pointer");
        return;
      }
      S.D -= Info.Size;
      SPHandled = true;
      break;
    }
    case Op::SubRI:
    case Op::AddRI: {
      unsigned Dst = opReg(0);
      int64_t Imm = opImm(2);
      int64_t Delta = Info.Kind == Op::SubRI ? Imm : -Imm;
      Val Src = valOf(Before, opReg(1));
      if (M.isSP(Dst)) {
        SPHandled = true;
        S.D += Delta;
      } else if (Src.Kind == VSP) {
        Src.Depth += Delta;
        setVal(S, Dst, Src);
      } else if (Src.Kind == VConst) {
        setVal(S, Dst, Val::constant(Src.Addr - Delta));
      }
      break;
    }
    case Op::AndRI: {
      unsigned Dst = opReg(0);
      if (M.isSP(Dst)) {
        int64_t Mask = opImm(2);
        if (Mask >= 0 || !isPowerOf2_64(uint64_t(-Mask))) {
          stop(StackProblem::UnsupportedStackOp,
               "stack pointer masked with an unexpected constant");
          return;
        }
        SPHandled = true;
        S.D += realignSlack(-Mask, S.D, S.Exact);
        S.Exact = false;
      }
      break;
    }
    case Op::MovRR: {
      unsigned Dst = opReg(0), Src = opReg(1);
      if (M.isSP(Dst)) {
        if (!setSPFrom(valOf(Before, Src)))
          return;
      } else {
        setVal(S, Dst, valOf(Before, Src));
      }
      break;
    }
    case Op::Lea: { // [dst, base, scale, index, disp, seg]
      unsigned Dst = opReg(0), Base = opReg(1), Index = opReg(3),
               Seg = opReg(5);
      const MCOperand &DispOp = I.getOperand(4);
      Val R;
      if (!Seg && !Index && DispOp.isImm()) {
        int64_t Disp = DispOp.getImm();
        if (Base && Base == M.PC) {
          R = Val::constant(Next + Disp);
        } else {
          Val B = valOf(Before, Base);
          if (B.Kind == VSP)
            R = Val::sp(B.Depth - Disp, B.Exact);
          else if (B.Kind == VConst)
            R = Val::constant(B.Addr + Disp);
        }
      } else if (Index) {
        escapeCheck({Base, Index});
      }
      if (M.isSP(Dst)) {
        if (!setSPFrom(R))
          return;
      } else {
        setVal(S, Dst, R);
      }
      break;
    }
    case Op::Leave: {
      Val FPV = valOf(Before, M.FP);
      if (!setSPFrom(FPV))
        return;
      S.D -= 8;
      break;
    }
    case Op::Enter: {
      if (opImm(1) != 0) {
        stop(StackProblem::UnsupportedStackOp, "enter with a nesting level");
        return;
      }
      S.D += 8;
      setVal(S, M.FP, Val::sp(S.D, S.Exact));
      S.D += opImm(0);
      SPHandled = true;
      break;
    }
    case Op::AddRR: {
      Val A = valOf(Before, opReg(1)), B = valOf(Before, opReg(2));
      if (A.Kind == VLoad && B.Kind == VConst)
        std::swap(A, B);
      if (A.Kind == VConst && B.Kind == VLoad) {
        Val R = B;
        R.Kind = VSum;
        R.Base = A.Addr;
        R.Shift = 0;
        setVal(S, opReg(0), R);
      }
      if (M.isSP(opReg(0))) {
        stop(StackProblem::DynamicStack,
             "stack pointer moved by a run-time amount (alloca or a "
             "variable-length array)");
        return;
      }
      break;
    }
    case Op::IncDec: {
      unsigned Dst = opReg(0);
      Val Src = valOf(Before, opReg(1));
      if (M.isSP(Dst)) {
        SPHandled = true;
        S.D += Info.Size ? 1 : -1;
      } else if (Src.Kind == VSP) {
        Src.Depth += Info.Size ? 1 : -1;
        setVal(S, Dst, Src);
      }
      break;
    }
    case Op::SubRR:
      if (M.isSP(opReg(0))) {
        stop(StackProblem::DynamicStack,
             "stack pointer moved by a run-time amount (alloca or a "
             "variable-length array)");
        return;
      }
      break;
    case Op::TableLoad: {
      if (MemIdx >= 0) {
        Val B = valOf(Before, I.getOperand(MemIdx).getReg());
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
          setVal(S, opReg(0), R);
        }
      }
      break;
    }
    default:
      break;
    }
  } else {
    unsigned N = I.getNumOperands();
    switch (Info.Kind) {
    case Op::PrePost: {
      if (N < 4)
        break;
      unsigned Base = opReg(N - 2);
      int64_t Off = opImm(N - 1) * Info.Size;
      Val B = valOf(Before, Base);
      if (M.isSP(Base)) {
        SPHandled = true;
        S.D -= Off;
      } else if (B.Kind == VSP) {
        B.Depth -= Off;
        setVal(S, Base, B);
      } else if (B.Kind == VConst) {
        setVal(S, Base, Val::constant(B.Addr + Off));
      }
      break;
    }
    case Op::AddXri:
    case Op::SubXri: { // [Rd, Rn, imm, shift]
      unsigned Dst = opReg(0), Src = opReg(1);
      int64_t Imm = opImm(2) << opImm(3);
      if (Info.Kind == Op::SubXri)
        Imm = -Imm;
      Val B = valOf(Before, Src);
      Val R;
      if (B.Kind == VSP)
        R = Val::sp(B.Depth - Imm, B.Exact);
      else if (B.Kind == VConst)
        R = Val::constant(B.Addr + Imm);
      if (M.isSP(Dst)) {
        if (!setSPFrom(R))
          return;
      } else {
        setVal(S, Dst, R);
      }
      break;
    }
    case Op::AndXri: { // [Rd, Rn, enc]
      unsigned Dst = opReg(0);
      if (!M.isSP(Dst))
        break;
      Val B = valOf(Before, opReg(1));
      std::optional<uint64_t> Mask = decodeLogicalImm(uint64_t(opImm(2)));
      if (B.Kind != VSP || !Mask || !isPowerOf2_64(-*Mask)) {
        stop(StackProblem::UnsupportedStackOp,
             "stack pointer realigned from an untracked value or with an "
             "unexpected mask");
        return;
      }
      SPHandled = true;
      S.D = B.Depth + realignSlack(int64_t(-*Mask), B.Depth, B.Exact);
      S.Exact = false;
      break;
    }
    case Op::Adrp:
      setVal(S, opReg(0),
             Val::constant((VA & ~uint64_t(0xfff)) + uint64_t(opImm(1)) * 4096));
      break;
    case Op::Adr:
      setVal(S, opReg(0), Val::constant(VA + opImm(1)));
      break;
    case Op::OrrXrs: // mov xd, xm == orr xd, xzr, xm, lsl #0
      if (opReg(1) == M.ZR && opImm(3) == 0)
        setVal(S, opReg(0), valOf(Before, opReg(2)));
      break;
    case Op::AddXrs: { // [Rd, Rn, Rm, shifter]
      Val A = valOf(Before, opReg(1)), B = valOf(Before, opReg(2));
      int64_t Sh = opImm(3);
      unsigned Type = (Sh >> 6) & 7, Amount = Sh & 0x3f;
      if (Type == 0 && A.Kind == VConst && B.Kind == VLoad) {
        Val R = B;
        R.Kind = VSum;
        R.Base = A.Addr;
        R.Shift = Amount;
        setVal(S, opReg(0), R);
      } else if (Type == 0 && Amount == 0 && A.Kind == VLoad &&
                 B.Kind == VConst) {
        Val R = A;
        R.Kind = VSum;
        R.Base = B.Addr;
        R.Shift = 0;
        setVal(S, opReg(0), R);
      }
      if (M.isSP(opReg(0))) {
        stop(StackProblem::DynamicStack,
             "stack pointer moved by a run-time amount (alloca or a "
             "variable-length array)");
        return;
      }
      break;
    }
    case Op::SubXrr:
      if (M.isSP(opReg(0))) {
        stop(StackProblem::DynamicStack,
             "stack pointer moved by a run-time amount (alloca or a "
             "variable-length array)");
        return;
      }
      break;
    case Op::RegOffLoad: { // [Rt, Rn, Rm, extend, doshift]
      Val B = valOf(Before, opReg(1));
      bool Shifted = opImm(4) != 0;
      bool ScaleOk = Info.Size == 1 ? true : Shifted;
      if (B.Kind == VConst && ScaleOk) {
        Val R;
        R.Kind = VLoad;
        R.Addr = B.Addr;
        R.Width = Info.Size;
        R.Signed = Info.Signed;
        setVal(S, opReg(0), R);
      }
      break;
    }
    default:
      break;
    }
  }

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
      Val V = valOf(Before, opReg(0));
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
  if (DefinesSP && !SPHandled && !Desc.isReturn() && !Desc.isBranch()) {
    stop(StackProblem::UnsupportedStackOp,
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
        Val V = valOf(Before, I.getOperand(0).getReg());
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

//===----------------------------------------------------------------------===//
// Stage 3: call graph
//===----------------------------------------------------------------------===//

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
  }
  return B;
}

} // namespace gotramp
