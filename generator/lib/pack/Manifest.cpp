//===- Manifest.cpp - the packed object's manifest and relocation masks ---===//
//
// The manifest codec (encodeManifest, decodeManifest) and the relocation
// fields a linker writes (isVerifiableRelocation, relocationName,
// maskRelocation, hashRange), shared by the packer (Packer.cpp) and the
// verifier (Verify.cpp); see Verify.h for the design.
//
//===----------------------------------------------------------------------===//

#include "gotramp/pack/Verify.h"

#include "PackCommon.h"

#include "llvm/ADT/Twine.h"
#include "llvm/BinaryFormat/ELF.h"
#include "llvm/Object/ELF.h"
#include "llvm/Support/Endian.h"
#include "llvm/Support/MathExtras.h"
#include "llvm/Support/xxhash.h"

#include <algorithm>
#include <cstring>
#include <optional>

using namespace llvm;

namespace gotramp {
namespace {

using pack::makeError;

//===-- Manifest encoding ---------------------------------------------------===//
//
//   0  magic[16]
//  16  u32 version, u32 total size (anchors included)
//  24  u64 xxh3 of bytes [32, anchors start)
//  32  u16 machine, u8 flags (1 static blob, 2 page aligned), u8 0,
//      u32 sections, u32 ranges, u32 relocs
//  48  u64 manifest offset in section 0
//  56  u32 anchors start, u32 0
//  64  str label, then the sections, ranges and relocs, then zero padding to
//      8, then one u64 anchor per section after the first.
// All little-endian; str is a u32 length and the bytes.

constexpr size_t HeaderSize = 64;
enum : uint8_t { FlagStatic = 1, FlagPageAligned = 2 };

class Writer {
public:
  std::vector<uint8_t> Out;
  void u8(uint8_t V) { Out.push_back(V); }
  void u16(uint16_t V) { put(&V, 2); }
  void u32(uint32_t V) { put(&V, 4); }
  void u64(uint64_t V) { put(&V, 8); }
  void str(StringRef S) {
    u32(S.size());
    Out.insert(Out.end(), S.begin(), S.end());
  }

private:
  void put(const void *P, size_t N) {
    uint8_t Buf[8];
    std::memcpy(Buf, P, N); // hosts are little-endian, as the targets
    if (sys::IsBigEndianHost)
      std::reverse(Buf, Buf + N);
    Out.insert(Out.end(), Buf, Buf + N);
  }
};

class Reader {
public:
  explicit Reader(ArrayRef<uint8_t> B, size_t Pos = 0) : Bytes(B), Pos(Pos) {}
  bool Failed = false;
  uint8_t u8() { return take(1) ? Bytes[Pos - 1] : 0; }
  uint16_t u16() { return take(2) ? support::endian::read16le(&Bytes[Pos - 2]) : 0; }
  uint32_t u32() { return take(4) ? support::endian::read32le(&Bytes[Pos - 4]) : 0; }
  uint64_t u64() { return take(8) ? support::endian::read64le(&Bytes[Pos - 8]) : 0; }
  std::string str() {
    uint32_t N = u32();
    if (Failed || !take(N))
      return "";
    return std::string(reinterpret_cast<const char *>(&Bytes[Pos - N]), N);
  }
  size_t pos() const { return Pos; }

private:
  bool take(size_t N) {
    if (Failed || N > Bytes.size() - Pos) {
      Failed = true;
      return false;
    }
    Pos += N;
    return true;
  }
  ArrayRef<uint8_t> Bytes;
  size_t Pos;
};

//===-- Relocation fields ---------------------------------------------------===//

/// Bytes [Begin, End) relative to the place, and for a 32-bit instruction
/// word the bits within it (arm64).
struct Field {
  int Begin = 0, End = 0;
  uint32_t WordMask = 0; // non-zero: mask these bits of the word at P
};

std::optional<Field> fieldOf(uint16_t Machine, uint32_t Type) {
  if (Machine == ELF::EM_X86_64) {
    switch (Type) {
    case ELF::R_X86_64_PC32:
    case ELF::R_X86_64_PLT32:
    case ELF::R_X86_64_32:
    case ELF::R_X86_64_32S:
      return Field{0, 4};
    case ELF::R_X86_64_64:
    case ELF::R_X86_64_PC64:
      return Field{0, 8};
    // Linkers relax GOT loads by rewriting the opcode and ModRM bytes (and
    // the REX prefix, for `mov $imm32, %r8-15`).
    case ELF::R_X86_64_GOTPCREL:
    case ELF::R_X86_64_GOTPCRELX:
      return Field{-2, 4};
    case ELF::R_X86_64_REX_GOTPCRELX:
      return Field{-3, 4};
    default:
      return std::nullopt;
    }
  }
  if (Machine == ELF::EM_AARCH64) {
    switch (Type) {
    case ELF::R_AARCH64_ABS64:
    case ELF::R_AARCH64_PREL64:
      return Field{0, 8};
    case ELF::R_AARCH64_PREL32:
      return Field{0, 4};
    case ELF::R_AARCH64_CALL26:
    case ELF::R_AARCH64_JUMP26:
      return Field{0, 4, 0x03ffffffu};
    case ELF::R_AARCH64_CONDBR19:
    case ELF::R_AARCH64_LD_PREL_LO19:
      return Field{0, 4, 0x00ffffe0u};
    case ELF::R_AARCH64_TSTBR14:
      return Field{0, 4, 0x0007ffe0u};
    case ELF::R_AARCH64_ADR_PREL_LO21:
      return Field{0, 4, 0x60ffffe0u};
    // Linkers relax ADRP + ADD into NOP + ADR, and the GOT pair ADRP + LDR
    // into ADRP + ADD or NOP + ADR: the whole words may change. The verifier
    // (Verify.cpp) checks each form against the instruction as packed (Before).
    case ELF::R_AARCH64_ADR_PREL_PG_HI21:
    case ELF::R_AARCH64_ADR_PREL_PG_HI21_NC:
    case ELF::R_AARCH64_ADD_ABS_LO12_NC:
    case ELF::R_AARCH64_ADR_GOT_PAGE:
    case ELF::R_AARCH64_LD64_GOT_LO12_NC:
      return Field{0, 4, 0xffffffffu};
    case ELF::R_AARCH64_LDST8_ABS_LO12_NC:
    case ELF::R_AARCH64_LDST16_ABS_LO12_NC:
    case ELF::R_AARCH64_LDST32_ABS_LO12_NC:
    case ELF::R_AARCH64_LDST64_ABS_LO12_NC:
    case ELF::R_AARCH64_LDST128_ABS_LO12_NC:
      return Field{0, 4, 0x003ffc00u};
    default:
      return std::nullopt;
    }
  }
  return std::nullopt;
}

} // namespace

//===-- Manifest -------------------------------------------------------------===//

EncodedManifest encodeManifest(const BlobManifest &M) {
  Writer W;
  W.Out.assign(ManifestMagic, ManifestMagic + sizeof(ManifestMagic));
  // Version 1 readers know neither init's slots nor imported targets
  // (libc mode): they must refuse such a manifest rather than misread it.
  const bool HasInit = M.WritableFrom != 0 || !M.InitSlots.empty() ||
                       llvm::any_of(M.Relocs, [](const ManifestReloc &R) {
                         return R.TargetSection == ManifestImportedTarget;
                       });
  W.u32(HasInit ? ManifestVersion : 1);
  W.u32(0); // total size, patched below
  W.u64(0); // checksum, patched below
  W.u16(M.Machine);
  W.u8((M.StaticBlob ? FlagStatic : 0) | (M.PageAligned ? FlagPageAligned : 0));
  W.u8(0);
  W.u32(M.Sections.size());
  W.u32(M.Ranges.size());
  W.u32(M.Relocs.size());
  W.u64(M.ManifestOffset);
  W.u32(0); // anchors start, patched below
  W.u32(0);
  W.str(M.Label);
  for (const ManifestSection &S : M.Sections) {
    W.str(S.Name);
    W.u64(S.Size);
    W.u32((S.NoBits ? 1 : 0) | (S.Writable ? 2 : 0) | (S.Executable ? 4 : 0));
  }
  for (const ManifestRange &R : M.Ranges) {
    W.u32(R.Section);
    W.u64(R.Offset);
    W.u64(R.Size);
    W.u64(R.Hash);
    W.str(R.Name);
  }
  for (const ManifestReloc &R : M.Relocs) {
    W.u32(R.Section);
    W.u64(R.Offset);
    W.u32(R.Type);
    W.u32(R.TargetSection);
    W.u64(R.TargetValue);
    W.u64(uint64_t(R.Addend));
    W.u32(R.Before);
    W.str(R.Target);
  }
  if (HasInit) {
    W.u64(M.WritableFrom);
    W.u32(M.InitSlots.size());
    for (uint64_t Slot : M.InitSlots)
      W.u64(Slot);
  }
  W.Out.resize(alignTo(W.Out.size(), 8), 0);
  uint32_t AnchorsStart = W.Out.size();
  EncodedManifest E;
  E.AnchorOffsets.assign(M.Sections.size(), 0);
  for (size_t I = 1; I < M.Sections.size(); ++I) {
    E.AnchorOffsets[I] = W.Out.size();
    W.u64(0);
  }
  support::endian::write32le(&W.Out[20], W.Out.size());
  support::endian::write32le(&W.Out[56], AnchorsStart);
  support::endian::write64le(
      &W.Out[24], xxh3_64bits(ArrayRef<uint8_t>(W.Out).slice(32, AnchorsStart - 32)));
  E.Bytes = std::move(W.Out);
  return E;
}

Expected<BlobManifest> decodeManifest(ArrayRef<uint8_t> Bytes,
                                      std::vector<uint64_t> *AnchorOffsets) {
  if (Bytes.size() < HeaderSize || std::memcmp(Bytes.data(), ManifestMagic, 16) != 0)
    return makeError("no gotramp manifest here");
  Reader H(Bytes, 16);
  uint32_t Version = H.u32(), Total = H.u32();
  uint64_t Checksum = H.u64();
  if (Version < 1 || Version > ManifestVersion)
    return makeError("gotramp manifest version " + Twine(Version) + " (this gotramp reads 1 to " +
                     Twine(ManifestVersion) + ")");
  if (Total < HeaderSize || Total > Bytes.size())
    return makeError("truncated gotramp manifest");
  ArrayRef<uint8_t> Body = Bytes.take_front(Total);
  BlobManifest M;
  Reader R(Body, 32);
  M.Machine = R.u16();
  uint8_t Flags = R.u8();
  R.u8();
  uint32_t NSec = R.u32(), NRange = R.u32(), NReloc = R.u32();
  M.ManifestOffset = R.u64();
  uint32_t AnchorsStart = R.u32();
  R.u32();
  if (AnchorsStart < HeaderSize || AnchorsStart > Total || AnchorsStart % 8 != 0 ||
      xxh3_64bits(Body.slice(32, AnchorsStart - 32)) != Checksum)
    return makeError("corrupt gotramp manifest (checksum mismatch)");
  M.StaticBlob = Flags & FlagStatic;
  M.PageAligned = Flags & FlagPageAligned;
  M.Label = R.str();
  // Every entry takes at least 4 bytes, which bounds the counts.
  if (NSec == 0 || NSec > Total / 4 || NRange > Total / 4 || NReloc > Total / 4)
    return makeError("corrupt gotramp manifest (counts)");
  for (uint32_t I = 0; I < NSec && !R.Failed; ++I) {
    ManifestSection S;
    S.Name = R.str();
    S.Size = R.u64();
    uint32_t F = R.u32();
    S.NoBits = F & 1;
    S.Writable = F & 2;
    S.Executable = F & 4;
    M.Sections.push_back(std::move(S));
  }
  for (uint32_t I = 0; I < NRange && !R.Failed; ++I) {
    ManifestRange X;
    X.Section = R.u32();
    X.Offset = R.u64();
    X.Size = R.u64();
    X.Hash = R.u64();
    X.Name = R.str();
    if (X.Section >= NSec)
      return makeError("corrupt gotramp manifest (range section)");
    M.Ranges.push_back(std::move(X));
  }
  for (uint32_t I = 0; I < NReloc && !R.Failed; ++I) {
    ManifestReloc X;
    X.Section = R.u32();
    X.Offset = R.u64();
    X.Type = R.u32();
    X.TargetSection = R.u32();
    X.TargetValue = R.u64();
    X.Addend = int64_t(R.u64());
    X.Before = R.u32();
    X.Target = R.str();
    if (X.Section >= NSec || (X.TargetSection >= NSec && X.TargetSection != ManifestImportedTarget))
      return makeError("corrupt gotramp manifest (relocation section)");
    M.Relocs.push_back(std::move(X));
  }
  if (Version >= 2 && !R.Failed) {
    M.WritableFrom = R.u64();
    uint32_t NSlots = R.u32();
    if (NSlots > Total / 8)
      return makeError("corrupt gotramp manifest (counts)");
    for (uint32_t I = 0; I < NSlots && !R.Failed; ++I)
      M.InitSlots.push_back(R.u64());
  }
  if (R.Failed || R.pos() > AnchorsStart || AnchorsStart + 8 * (NSec - 1) > Total)
    return makeError("corrupt gotramp manifest (truncated)");
  if (AnchorOffsets) {
    AnchorOffsets->assign(NSec, 0);
    for (uint32_t I = 1; I < NSec; ++I)
      (*AnchorOffsets)[I] = AnchorsStart + 8 * (I - 1);
  }
  return M;
}

bool isVerifiableRelocation(uint16_t Machine, uint32_t Type) {
  return fieldOf(Machine, Type).has_value();
}

std::string relocationName(uint16_t Machine, uint32_t Type) {
  StringRef Name = object::getELFRelocationTypeName(Machine, Type);
  if (Name == "Unknown")
    return "relocation type " + std::to_string(Type);
  return Name.str();
}

void maskRelocation(uint16_t Machine, uint32_t Type, MutableArrayRef<uint8_t> Data,
                    uint64_t Offset) {
  std::optional<Field> F = fieldOf(Machine, Type);
  if (!F)
    return;
  if (F->WordMask) {
    if (Offset + 4 > Data.size())
      return;
    uint32_t W = support::endian::read32le(&Data[Offset]);
    support::endian::write32le(&Data[Offset], W & ~F->WordMask);
    return;
  }
  for (int I = F->Begin; I < F->End; ++I) {
    int64_t At = int64_t(Offset) + I;
    if (At >= 0 && uint64_t(At) < Data.size())
      Data[At] = 0;
  }
}

uint64_t hashRange(ArrayRef<uint8_t> MaskedBytes) { return xxh3_64bits(MaskedBytes); }

} // namespace gotramp
