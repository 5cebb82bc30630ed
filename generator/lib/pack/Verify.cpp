//===- Verify.cpp - check one packed object inside a binary's image --------===//
//
// The memory image of an executable (loadImage) and the checks of one packed
// object against its manifest (checkBlob): relocated fields, hashed ranges,
// and in a running process the address slots init relocated and the pages'
// protection. VerifyCommand.cpp finds the objects and runs the command; the
// manifest codec and relocation masks it shares with the packer are in
// Manifest.cpp.
//
//===----------------------------------------------------------------------===//

#include "VerifyImage.h"
#include "gotramp/support/InputFile.h"

#include "PackCommon.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/Twine.h"
#include "llvm/BinaryFormat/ELF.h"
#include "llvm/Object/ELF.h"
#include "llvm/Support/Endian.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/MathExtras.h"
#include "llvm/Support/MemoryBuffer.h"

#include <algorithm>
#include <cstring>
#include <map>
#include <optional>


using namespace llvm;

namespace gotramp::verify {
namespace {

using pack::makeError;

int64_t signExtend(uint64_t V, unsigned Bits) { return SignExtend64(V, Bits); }

/// Loads the allocated sections of an executable, with its dynamic
/// relocations applied for a load address of 0 (PIE) so that GOT slots and
/// pointers read as link-time addresses.
} // namespace

Expected<Image> loadImage(const object::ELFFile<ELFT> &File, uint16_t &Machine) {
  Image Img;
  Machine = File.getHeader().e_machine;
  auto Sections = File.sections();
  if (!Sections)
    return Sections.takeError();
  for (const ELFT::Shdr &S : *Sections) {
    if (!(S.sh_flags & ELF::SHF_ALLOC) || S.sh_addr == 0 || S.sh_size == 0 ||
        (S.sh_flags & ELF::SHF_TLS))
      continue;
    Region R;
    R.Addr = S.sh_addr;
    R.Exec = S.sh_flags & ELF::SHF_EXECINSTR;
    if (S.sh_type == ELF::SHT_NOBITS) {
      R.Bytes.assign(S.sh_size, 0);
    } else {
      auto Data = File.getSectionContents(S);
      if (!Data)
        return Data.takeError();
      R.Bytes.assign(Data->begin(), Data->end());
    }
    Img.Regions.push_back(std::move(R));
  }
  llvm::sort(Img.Regions, [](const Region &A, const Region &B) { return A.Addr < B.Addr; });

  bool X86 = Machine == ELF::EM_X86_64;
  uint32_t Relative = X86 ? uint32_t(ELF::R_X86_64_RELATIVE) : uint32_t(ELF::R_AARCH64_RELATIVE);
  uint32_t Abs = X86 ? uint32_t(ELF::R_X86_64_64) : uint32_t(ELF::R_AARCH64_ABS64);
  uint32_t GlobDat = X86 ? uint32_t(ELF::R_X86_64_GLOB_DAT) : uint32_t(ELF::R_AARCH64_GLOB_DAT);
  for (const ELFT::Shdr &S : *Sections) {
    if (S.sh_type != ELF::SHT_RELA || !(S.sh_flags & ELF::SHF_ALLOC))
      continue;
    auto Relas = File.relas(S);
    if (!Relas)
      return Relas.takeError();
    const ELFT::Shdr *SymTab = nullptr;
    if (S.sh_link != 0) {
      auto T = File.getSection(S.sh_link);
      if (!T)
        return T.takeError();
      SymTab = *T;
    }
    for (const ELFT::Rela &R : *Relas) {
      uint32_t Type = R.getType(false);
      if (Type == Relative) {
        Img.write64(R.r_offset, R.r_addend);
      } else if ((Type == Abs || Type == GlobDat) && SymTab) {
        auto Sym = File.getRelocationSymbol(R, SymTab);
        if (!Sym)
          return Sym.takeError();
        if (*Sym && (*Sym)->st_shndx != ELF::SHN_UNDEF) // imports stay unknown
          Img.write64(R.r_offset, (*Sym)->st_value + R.r_addend);
      }
    }
  }
  return Img;
}

namespace {

class BlobChecker {
public:
  BlobChecker(const Image &Img, const BlobManifest &M, uint64_t ManifestAddr,
              const std::vector<uint64_t> &AnchorOffsets, const LiveContext *Live = nullptr)
      : Img(Img), M(M), ManifestAddr(ManifestAddr), AnchorOffsets(AnchorOffsets), Live(Live) {}

  std::vector<std::string> Problems;
  unsigned Checked = 0;

  void run() {
    locateSections();
    if (M.PageAligned && Base[0] && *Base[0] % 4096 != 0)
      problem("the code uses page-relative addressing (ADRP) resolved when it was packed and "
              "must start on a 4096-byte boundary, but starts at " + hex(*Base[0]));
    checkRelocations();
    checkRanges();
    if (Live) {
      checkInitSlots();
      checkProtection();
    }
  }

  uint64_t base0() const { return Base[0].value_or(0); }

private:
  const Image &Img;
  const BlobManifest &M;
  uint64_t ManifestAddr;
  const std::vector<uint64_t> &AnchorOffsets;
  const LiveContext *Live;
  std::vector<std::optional<uint64_t>> Base;

  /// In a running process, the bytes from WritableFrom on (and writable
  /// sections of a relocatable object) are the program's data, not ours.
  bool changesAtRunTime(uint32_t Section, uint64_t Offset) const {
    if (!Live)
      return false;
    if (M.Sections[Section].Writable)
      return true;
    return Section == 0 && M.WritableFrom != 0 && Offset >= M.WritableFrom;
  }

  /// Live: every slot init relocates holds the blob's run-time address plus
  /// the offset the executable stores there.
  void checkInitSlots() {
    if (!Base[0])
      return;
    for (uint64_t Slot : M.InitSlots) {
      uint64_t P = *Base[0] + Slot;
      ++Checked;
      std::optional<uint64_t> Now = Img.u64(P), Linked = Live->File->u64(P);
      if (!Now || !Linked) {
        problem("address slot at " + describe(P) + " is outside the process's image");
        continue;
      }
      uint64_t Want = *Base[0] + *Linked;
      if (*Now != Want)
        problem("address slot at " + describe(P) + " holds " + hex(*Now) + ", expected " +
                describe(Want) + " (the blob's address plus " + hex(*Linked) +
                "): init did not relocate it, or something overwrote it");
    }
  }

  /// Live: no page of the blob writable and executable; the code and
  /// read-only part not writable; the data part writable once init ran.
  void checkProtection() {
    if (!Base[0] || M.Sections.empty())
      return;
    uint64_t Lo = *Base[0], Hi = Lo + M.Sections[0].Size;
    uint64_t DataLo = M.WritableFrom ? Lo + M.WritableFrom : Hi;
    for (const Mapping &Map : Live->Maps) {
      if (Map.End <= Lo || Map.Start >= Hi || Map.Perms.size() < 3)
        continue;
      bool W = Map.Perms[1] == 'w', X = Map.Perms[2] == 'x';
      std::string Span = hex(std::max(Lo, Map.Start)) + "-" + hex(std::min(Hi, Map.End));
      if (W && X)
        problem("the pages " + Span + " of the blob are writable and executable (" + Map.Perms +
                ")");
      else if (W && Map.Start < DataLo)
        problem("the pages " + Span + " of the blob's code or read-only data are writable (" +
                Map.Perms + ")");
      else if (!W && Map.End > DataLo && M.WritableFrom)
        problem("the pages " + Span + " of the blob's data are not writable (" + Map.Perms +
                "): the package's init has not run");
    }
  }

  void problem(const Twine &Msg) { Problems.push_back(Msg.str()); }

  void locateSections() {
    Base.assign(M.Sections.size(), std::nullopt);
    Base[0] = ManifestAddr - M.ManifestOffset;
    for (size_t I = 1; I < M.Sections.size(); ++I) {
      uint64_t Slot = ManifestAddr + AnchorOffsets[I];
      std::optional<uint64_t> V = Img.u64(Slot);
      if (!V) {
        problem("the anchor of section " + M.Sections[I].Name + " at " + hex(Slot) +
                " is outside the binary");
        continue;
      }
      if (*V == 0) {
        problem("the anchor of section " + M.Sections[I].Name + " at " + hex(Slot) +
                " was never relocated (it reads 0): the linker did not apply this object's "
                "relocations (golang/go#24321?)");
        continue;
      }
      uint64_t Addr = Slot + *V;
      uint64_t Size = std::max<uint64_t>(M.Sections[I].Size, 1);
      if (!Img.find(Addr, Size)) {
        problem("the anchor of section " + M.Sections[I].Name + " at " + hex(Slot) +
                " points to " + hex(Addr) + ", outside the binary's sections");
        continue;
      }
      Base[I] = Addr;
    }
  }

  /// "name+0xoff (0xaddr)" for an address inside the object, else the address.
  std::string describe(uint64_t Addr) const {
    for (const ManifestRange &R : M.Ranges) {
      if (!Base[R.Section] || R.Name.empty())
        continue;
      uint64_t Start = *Base[R.Section] + R.Offset;
      if (Addr >= Start && Addr < Start + std::max<uint64_t>(R.Size, 1))
        return R.Name + (Addr == Start ? "" : "+" + hex(Addr - Start)) + " (" + hex(Addr) + ")";
    }
    for (size_t I = 0; I < M.Sections.size(); ++I)
      if (Base[I] && Addr >= *Base[I] && Addr < *Base[I] + M.Sections[I].Size)
        return M.Sections[I].Name + "+" + hex(Addr - *Base[I]) + " (" + hex(Addr) + ")";
    return hex(Addr);
  }

  std::string targetName(const ManifestReloc &R, uint64_t S) const {
    if (!R.Target.empty())
      return R.Target + " (" + hex(S) + ")";
    return describe(S);
  }

  void mismatch(const ManifestReloc &R, uint64_t P, const Twine &Actual, uint64_t Expected) {
    problem(relocationName(M.Machine, R.Type) + " at " + describe(P) + ": " + Actual +
            ", expected " + targetName(R, Expected));
  }

  /// The ADRP half of arm64 pairs, keyed by place section, target section
  /// and target value: the page of the last ADRP, nullopt if it was relaxed
  /// to a NOP. GOT pairs and direct pairs apart.
  using PageMap = std::map<std::tuple<uint32_t, uint32_t, uint64_t>, std::optional<uint64_t>>;
  PageMap GotPages, DataPages;

  void checkRelocations() {
    for (const ManifestReloc &R : M.Relocs) {
      if (R.TargetSection == ManifestImportedTarget)
        continue; // glibc, through the binary's PLT or GOT: masked in checkRanges only
      if (!Base[R.Section] || !Base[R.TargetSection]) {
        std::string Which = M.Sections[Base[R.Section] ? R.TargetSection : R.Section].Name;
        std::string Where = M.Sections[R.Section].Name + "+" + hex(R.Offset), Field;
        if (Base[R.Section]) {
          uint64_t P = *Base[R.Section] + R.Offset;
          Where = describe(P);
          if (auto V = Img.u32(P))
            Field = " (the field there reads " + hex(*V) + ")";
        }
        problem(relocationName(M.Machine, R.Type) + " at " + Where + Field +
                " cannot be checked: section " + Which + " was not located");
        continue;
      }
      ++Checked;
      uint64_t P = *Base[R.Section] + R.Offset;
      uint64_t S = *Base[R.TargetSection] + R.TargetValue;
      if (M.Machine == ELF::EM_X86_64)
        checkX86(R, P, S);
      else
        checkAArch64(R, P, S);
    }
  }

  void checkX86(const ManifestReloc &R, uint64_t P, uint64_t S) {
    int64_t A = R.Addend;
    auto field32 = [&](uint64_t At) -> std::optional<int64_t> {
      auto V = Img.u32(At);
      if (!V)
        return std::nullopt;
      return int64_t(int32_t(*V));
    };
    switch (R.Type) {
    case ELF::R_X86_64_PC32:
    case ELF::R_X86_64_PLT32: {
      auto V = field32(P);
      if (!V)
        return problem("relocation place " + hex(P) + " is outside the binary");
      if (*V != int64_t(S + A - P))
        mismatch(R, P, "points to " + describe(*V + P - A), S);
      return;
    }
    case ELF::R_X86_64_32:
    case ELF::R_X86_64_32S: {
      auto V = Img.u32(P);
      if (!V)
        return problem("relocation place " + hex(P) + " is outside the binary");
      if (*V != uint32_t(S + A))
        mismatch(R, P, "holds " + hex(*V), S + A);
      return;
    }
    case ELF::R_X86_64_64:
    case ELF::R_X86_64_PC64: {
      auto V = Img.u64(P);
      if (!V)
        return problem("relocation place " + hex(P) + " is outside the binary");
      bool PcRel = R.Type == ELF::R_X86_64_PC64;
      uint64_t Want = PcRel ? S + A - P : S + A;
      if (*V != Want)
        mismatch(R, P, "points to " + describe(PcRel ? *V + P - A : *V - A), S);
      return;
    }
    case ELF::R_X86_64_GOTPCREL:
    case ELF::R_X86_64_GOTPCRELX:
    case ELF::R_X86_64_REX_GOTPCRELX:
      return checkGotPcRel(R, P, S);
    default:
      problem("relocation " + relocationName(M.Machine, R.Type) + " at " + describe(P) +
              " cannot be checked");
    }
  }

  void checkGotPcRel(const ManifestReloc &R, uint64_t P, uint64_t S) {
    int64_t A = R.Addend;
    uint8_t OrigOp = (R.Before >> 16) & 0xff, OrigModrm = R.Before >> 24;
    auto Op = Img.u8(P - 2), Modrm = Img.u8(P - 1);
    auto V32 = Img.u32(P);
    if (!Op || !Modrm || !V32)
      return problem("relocation place " + hex(P) + " is outside the binary");
    int64_t V = int32_t(*V32);
    if (*Op == OrigOp && *Modrm == OrigModrm) { // still a load from a GOT slot
      uint64_t Slot = V + P - A;
      auto Got = Img.u64(Slot);
      if (!Got)
        return mismatch(R, P, "loads from " + hex(Slot) + ", outside the binary", S);
      if (*Got != S)
        mismatch(R, P, "loads the pointer at " + hex(Slot) + ", which holds " + describe(*Got),
                 S);
      return;
    }
    if (OrigOp == 0x8b && *Op == 0x8d && *Modrm == OrigModrm) { // mov -> lea
      if (V != int64_t(S + A - P))
        mismatch(R, P, "(relaxed to lea) points to " + describe(V + P - A), S);
      return;
    }
    if (OrigOp == 0x8b && *Op == 0xc7 && *Modrm == (0xc0 | ((OrigModrm >> 3) & 7))) {
      if (uint32_t(V) != uint32_t(S)) // mov $imm32
        mismatch(R, P, "(relaxed to mov $imm32) holds " + hex(uint32_t(V)), S);
      return;
    }
    if (OrigOp == 0xff && OrigModrm == 0x15 && (*Op == 0x67 || *Op == 0x90) &&
        *Modrm == 0xe8) { // call *slot -> addr32 call
      if (V != int64_t(S + A - P))
        mismatch(R, P, "(relaxed to a direct call) points to " + describe(V + P - A), S);
      return;
    }
    if (OrigOp == 0xff && OrigModrm == 0x25 && *Op == 0xe9) { // jmp *slot -> jmp; nop
      auto J = Img.u32(P - 1);
      int64_t Target = P + 4 + int32_t(J.value_or(0));
      if (!J || Target != int64_t(S))
        mismatch(R, P, "(relaxed to a direct jump) points to " + describe(Target), S);
      return;
    }
    mismatch(R, P,
             "the instruction was rewritten to an unrecognised form (opcode " + hex(*Op) +
                 ", ModRM " + hex(*Modrm) + ", was " + hex(OrigOp) + ", " + hex(OrigModrm) + ")",
             S);
  }

  void checkAArch64(const ManifestReloc &R, uint64_t P, uint64_t S) {
    uint64_t SA = S + R.Addend;
    if (R.Type == ELF::R_AARCH64_ABS64 || R.Type == ELF::R_AARCH64_PREL64) {
      auto V = Img.u64(P);
      if (!V)
        return problem("relocation place " + hex(P) + " is outside the binary");
      bool PcRel = R.Type == ELF::R_AARCH64_PREL64;
      if (*V != (PcRel ? SA - P : SA))
        mismatch(R, P, "points to " + describe((PcRel ? *V + P : *V) - R.Addend), S);
      return;
    }
    auto W = Img.u32(P);
    if (!W)
      return problem("relocation place " + hex(P) + " is outside the binary");
    uint32_t I = *W;
    auto branch = [&](int64_t Imm, unsigned Bits, bool Ok) {
      int64_t To = P + signExtend(uint64_t(Imm), Bits) * 4;
      if (!Ok)
        mismatch(R, P, "the instruction " + hex(I) + " is not the expected branch", S);
      else if (uint64_t(To) != SA)
        mismatch(R, P, "points to " + describe(To - R.Addend), S);
    };
    auto adrImm = [](uint32_t Insn) {
      return signExtend((((Insn >> 5) & 0x7ffffu) << 2) | ((Insn >> 29) & 3), 21);
    };
    auto isAdrp = [](uint32_t Insn) { return (Insn & 0x9f000000u) == 0x90000000u; };
    auto isAdr = [](uint32_t Insn) { return (Insn & 0x9f000000u) == 0x10000000u; };
    auto rd = [](uint32_t Insn) { return Insn & 0x1f; };
    auto key = [](const ManifestReloc &X) {
      return std::make_tuple(X.Section, X.TargetSection, X.TargetValue);
    };
    constexpr uint32_t Nop = 0xd503201fu;
    uint32_t Orig = R.Before;
    auto page = [](uint64_t X) { return X & ~uint64_t(0xfff); };
    switch (R.Type) {
    case ELF::R_AARCH64_PREL32: {
      int64_t V = int32_t(I);
      if (V != int64_t(SA - P))
        mismatch(R, P, "points to " + describe(V + P - R.Addend), S);
      return;
    }
    case ELF::R_AARCH64_CALL26:
    case ELF::R_AARCH64_JUMP26:
      return branch(I & 0x03ffffffu, 26, (I & 0x7c000000u) == 0x14000000u);
    case ELF::R_AARCH64_CONDBR19:
    case ELF::R_AARCH64_LD_PREL_LO19:
      return branch((I >> 5) & 0x7ffffu, 19, true);
    case ELF::R_AARCH64_TSTBR14:
      return branch((I >> 5) & 0x3fffu, 14, true);
    case ELF::R_AARCH64_ADR_PREL_LO21:
      if ((I & 0x9f000000u) != 0x10000000u)
        return mismatch(R, P, "the instruction " + hex(I) + " is not an ADR", S);
      if (uint64_t(P + adrImm(I)) != SA)
        mismatch(R, P, "points to " + describe(P + adrImm(I) - R.Addend), S);
      return;
    case ELF::R_AARCH64_ADR_PREL_PG_HI21:
    case ELF::R_AARCH64_ADR_PREL_PG_HI21_NC:
    case ELF::R_AARCH64_ADR_GOT_PAGE: {
      auto &Pages = R.Type == ELF::R_AARCH64_ADR_GOT_PAGE ? GotPages : DataPages;
      if (I == Nop) { // relaxed: the ADD or LDR that follows became an ADR
        Pages[key(R)] = std::nullopt;
        return;
      }
      if (!isAdrp(I) || rd(I) != rd(Orig))
        return mismatch(R, P, "the instruction " + hex(I) + " is not the ADRP it was packed as (" +
                                  hex(Orig) + ")", S);
      uint64_t Page = page(P) + uint64_t(adrImm(I)) * 4096;
      Pages[key(R)] = Page;
      if (R.Type != ELF::R_AARCH64_ADR_GOT_PAGE && Page != page(SA))
        mismatch(R, P, "addresses page " + hex(Page), page(SA));
      return;
    }
    case ELF::R_AARCH64_ADD_ABS_LO12_NC:
    case ELF::R_AARCH64_LD64_GOT_LO12_NC: {
      bool Got = R.Type == ELF::R_AARCH64_LD64_GOT_LO12_NC;
      auto &Pages = Got ? GotPages : DataPages;
      auto Pair = Pages.find(key(R));
      bool Relaxed = Pair != Pages.end() && !Pair->second;
      if (isAdr(I) && rd(I) == rd(Orig)) { // NOP + ADR
        if (uint64_t(P + adrImm(I)) != SA)
          mismatch(R, P, "(relaxed to ADR) points to " + describe(P + adrImm(I) - R.Addend), S);
        return;
      }
      if (Relaxed)
        return mismatch(R, P, "the ADRP before it became a NOP but this instruction (" + hex(I) +
                                  ") is not an ADR",
                        S);
      bool Same = (I & ~0x003ffc00u) == (Orig & ~0x003ffc00u);
      bool AddForm = Got && (I & 0xffc00000u) == 0x91000000u && rd(I) == rd(Orig) &&
                     ((I >> 5) & 0x1f) == ((Orig >> 5) & 0x1f); // LDR relaxed to ADD
      if (!Same && !AddForm)
        return mismatch(R, P, "the instruction " + hex(I) + " is not the one packed (" +
                                  hex(Orig) + ") or a relaxed form of it",
                        S);
      if (!Got) {
        uint64_t Lo = (I >> 10) & 0xfff;
        if (Lo != (SA & 0xfff))
          mismatch(R, P, "holds the page offset " + hex(Lo), SA);
        return;
      }
      if (Pair == Pages.end())
        return; // no ADRP seen for the pair: nothing to add up
      uint64_t X = *Pair->second + (Same ? uint64_t((I >> 10) & 0xfff) << 3 : (I >> 10) & 0xfff);
      if (AddForm) {
        if (X != SA)
          mismatch(R, P, "(relaxed to ADRP + ADD) points to " + describe(X), S);
        return;
      }
      auto Slot = Img.u64(X);
      if (!Slot)
        mismatch(R, P, "loads from " + hex(X) + ", outside the binary", S);
      else if (*Slot != SA)
        mismatch(R, P, "loads the pointer at " + hex(X) + ", which holds " + describe(*Slot), S);
      return;
    }
    case ELF::R_AARCH64_LDST8_ABS_LO12_NC:
    case ELF::R_AARCH64_LDST16_ABS_LO12_NC:
    case ELF::R_AARCH64_LDST32_ABS_LO12_NC:
    case ELF::R_AARCH64_LDST64_ABS_LO12_NC:
    case ELF::R_AARCH64_LDST128_ABS_LO12_NC: {
      unsigned Shift = R.Type == ELF::R_AARCH64_LDST16_ABS_LO12_NC    ? 1
                       : R.Type == ELF::R_AARCH64_LDST32_ABS_LO12_NC  ? 2
                       : R.Type == ELF::R_AARCH64_LDST64_ABS_LO12_NC  ? 3
                       : R.Type == ELF::R_AARCH64_LDST128_ABS_LO12_NC ? 4
                                                                       : 0;
      uint64_t Lo = uint64_t((I >> 10) & 0xfff) << Shift;
      if (Lo != (SA & 0xfff & ~((uint64_t(1) << Shift) - 1)))
        mismatch(R, P, "holds the page offset " + hex(Lo), SA);
      return;
    }
    default:
      problem("relocation " + relocationName(M.Machine, R.Type) + " at " + describe(P) +
              " cannot be checked");
    }
  }

  void checkRanges() {
    for (size_t SI = 0; SI < M.Sections.size(); ++SI) {
      const ManifestSection &Sec = M.Sections[SI];
      if (Sec.NoBits || !Base[SI] || Sec.Size == 0)
        continue;
      std::vector<uint8_t> Bytes(Sec.Size);
      if (!Img.read(*Base[SI], Bytes.data(), Bytes.size())) {
        problem("section " + Sec.Name + " (" + Twine(Sec.Size) + " bytes at " + hex(*Base[SI]) +
                ") runs past the binary's sections");
        continue;
      }
      for (const ManifestReloc &R : M.Relocs)
        if (R.Section == SI)
          maskRelocation(M.Machine, R.Type, Bytes, R.Offset);
      // Init rewrote the slots (checkInitSlots checks them): hash the values
      // the executable stores, as the packer did.
      if (Live && SI == 0)
        for (uint64_t Slot : M.InitSlots)
          if (Slot + 8 <= Bytes.size())
            if (std::optional<uint64_t> Linked = Live->File->u64(*Base[0] + Slot))
              support::endian::write64le(&Bytes[Slot], *Linked);
      for (const ManifestRange &R : M.Ranges) {
        if (R.Section != SI || R.Offset + R.Size > Bytes.size() || changesAtRunTime(SI, R.Offset))
          continue;
        if (hashRange(ArrayRef<uint8_t>(Bytes).slice(R.Offset, R.Size)) == R.Hash)
          continue;
        uint64_t At = *Base[SI] + R.Offset;
        problem("the bytes of " + (R.Name.empty() ? Sec.Name + "+" + hex(R.Offset) : R.Name) +
                " (" + Twine(R.Size) + " bytes at " + hex(At) +
                ") differ from the packed object, outside relocated fields");
      }
    }
  }
};

} // namespace

BlobCheckResult checkBlob(const Image &Img, const BlobManifest &M, uint64_t ManifestAddr,
                          const std::vector<uint64_t> &AnchorOffsets, const LiveContext *Live) {
  BlobChecker C(Img, M, ManifestAddr, AnchorOffsets, Live);
  C.run();
  BlobCheckResult R;
  R.Problems = std::move(C.Problems);
  R.Checked = C.Checked;
  R.Base0 = C.base0();
  return R;
}

} // namespace gotramp::verify
