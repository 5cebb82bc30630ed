//===- VerifyImage.h - a binary's memory image and one blob's checks -------===//
//
// Private to generator/lib/pack: what Verify.cpp (the checks of one packed
// object against its manifest) and VerifyCommand.cpp (binaries, running
// processes, the command) share.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "gotramp/pack/Verify.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Object/ELF.h"
#include "llvm/Support/Endian.h"
#include "llvm/Support/Error.h"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <optional>
#include <string>
#include <vector>

namespace gotramp::verify {

using llvm::support::endian::read32le;
using llvm::support::endian::read64le;

inline std::string hex(uint64_t V) { return "0x" + llvm::utohexstr(V, /*LowerCase=*/true); }

//===-- The binary's memory image ------------------------------------------===//

struct Region {
  uint64_t Addr = 0;
  std::vector<uint8_t> Bytes;
  bool Exec = false;
};

class Image {
public:
  std::vector<Region> Regions; // sorted by address

  const Region *find(uint64_t Addr, uint64_t N) const {
    auto It = std::upper_bound(Regions.begin(), Regions.end(), Addr,
                               [](uint64_t A, const Region &R) { return A < R.Addr; });
    if (It == Regions.begin())
      return nullptr;
    --It;
    if (Addr - It->Addr > It->Bytes.size() || N > It->Bytes.size() - (Addr - It->Addr))
      return nullptr;
    return &*It;
  }
  bool read(uint64_t Addr, uint8_t *Out, uint64_t N) const {
    const Region *R = find(Addr, N);
    if (!R)
      return false;
    std::memcpy(Out, R->Bytes.data() + (Addr - R->Addr), N);
    return true;
  }
  std::optional<uint64_t> u64(uint64_t Addr) const {
    uint8_t B[8];
    if (!read(Addr, B, 8))
      return std::nullopt;
    return llvm::support::endian::read64le(B);
  }
  std::optional<uint32_t> u32(uint64_t Addr) const {
    uint8_t B[4];
    if (!read(Addr, B, 4))
      return std::nullopt;
    return llvm::support::endian::read32le(B);
  }
  std::optional<uint8_t> u8(uint64_t Addr) const {
    uint8_t B;
    if (!read(Addr, &B, 1))
      return std::nullopt;
    return B;
  }
  void write64(uint64_t Addr, uint64_t V) {
    const Region *R = find(Addr, 8);
    if (R)
      llvm::support::endian::write64le(const_cast<uint8_t *>(R->Bytes.data()) + (Addr - R->Addr), V);
  }
};

using ELFT = llvm::object::ELF64LE;

/// Loads the allocated sections of an executable, with its dynamic
/// relocations applied for a load address of 0 (PIE) so that GOT slots and
/// pointers read as link-time addresses.
llvm::Expected<Image> loadImage(const llvm::object::ELFFile<ELFT> &File, uint16_t &Machine);

/// One line of /proc/PID/maps.
struct Mapping {
  uint64_t Start = 0, End = 0;
  std::string Perms; // "r-xp"
};

/// What checking a running process adds: the image is the process's memory
/// at run-time addresses; File is the executable's own image at the same
/// addresses (its bytes as linked), Maps the process's mappings.
struct LiveContext {
  const Image *File = nullptr;
  std::vector<Mapping> Maps;
};

/// The checks of one packed object: its manifest M at ManifestAddr in Img,
/// with the anchor offsets decodeManifest returned; Live for a running
/// process.
struct BlobCheckResult {
  std::vector<std::string> Problems;
  unsigned Checked = 0; // relocations and address slots
  uint64_t Base0 = 0;   // where section 0 is
};
BlobCheckResult checkBlob(const Image &Img, const BlobManifest &M, uint64_t ManifestAddr,
                          const std::vector<uint64_t> &AnchorOffsets, const LiveContext *Live);

} // namespace gotramp::verify
