//===- Syso.h - writing the .syso -----------------------------------------===//
//
// The relocatable object packObjects returns, for either strategy, with the
// manifest `gotramp verify` reads (Verify.h) at the end of `.text`.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "BlobChecks.h"
#include "PackCommon.h"

#include "gotramp/pack/Packer.h"

#include "llvm/Support/Error.h"

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace gotramp::pack {

struct GlueObject {
  std::vector<uint8_t> Syso;
  std::map<std::string, std::pair<uint64_t, uint64_t>> Roots; // offset, size
  uint64_t ManifestBytes = 0;
  std::vector<PackedFunction> Functions; // unsorted (sortFunctions, Symbols.h)
  uint64_t CodeBytes = 0;
};

/// DynamicGlue: link 1's output, rewritten (see the definition).
llvm::Expected<GlueObject> rewriteMerged(const ELFFile &File,
                                         const PackRequest &Req);

/// StaticBlob: a fresh relocatable object holding link 2's `.text` and no
/// relocations; fills Result's Syso, Roots, Functions, CodeBytes,
/// ManifestBytes and TextBytes.
void writeStaticBlob(const PackRequest &Req, const BlobInfo &Blob,
                     const MergeInfo &Merged, PackResult &Result);

/// A relocatable object of Machine defining, for each symbol in Imports, the
/// function callThunkName(symbol), a tail jump to the imported symbol
/// (PackRequest::CallThunks).
std::vector<uint8_t> writeCallThunks(uint16_t Machine, const std::vector<std::string> &Imports);

} // namespace gotramp::pack
