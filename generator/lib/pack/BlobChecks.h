//===- BlobChecks.h - what Go cannot run, and which strategy --------------===//
//
// Inspecting the outputs of the two links (Link.h) before anything is
// written: link 1's relocatable merge for what Go cannot run at all (TLS,
// static constructors, weak undefined references, roots that are not
// functions, arm64 code writing x28, amd64 code using the FS or GS segment),
// link 2's blob for what keeps it from being a StaticBlob: dynamic
// relocations other than relative ones into the blob's own data, relocations
// in code, writable or read-only sections the image has no place for. Data, a
// GOT and relative relocations become the image's relocated pages
// (BlobRelocation).
//
//===----------------------------------------------------------------------===//
#pragma once

#include "PackCommon.h"
#include "Symbols.h"

#include "gotramp/pack/Packer.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/Support/Error.h"

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace gotramp::pack {

struct FoundSymbol {
  uint64_t Value = 0;
  uint64_t Size = 0;
  uint16_t Section = 0;
};

/// What link 1 (the -r merge) says about the code the roots reach.
struct MergeInfo {
  bool PageRelative = false;
  std::set<std::string> Undefined; // global undefined symbols
  uint64_t ReadOnlyBytes = 0;
  uint64_t WritableBytes = 0;
  std::map<std::string, FoundSymbol> Roots;
};

/// Checks link 1's output and measures it; an error says what Go cannot run.
llvm::Expected<MergeInfo> inspectMerged(const ELFFile &File,
                                        const PackRequest &Req);

/// What link 2 (the pre-linked blob) contains.
struct BlobInfo {
  /// `.text` (code and read-only data), followed, when the code has data, by
  /// the pages of Relocation: the bytes the .syso's `.text` holds.
  std::vector<uint8_t> Image;
  uint64_t TextBytes = 0; // the `.text` part of Image
  BlobRelocation Relocation;
  uint64_t TextAlign = 1;
  std::vector<std::string> Reasons; // empty: StaticBlob is possible
  std::vector<BlobSymbol> Roots;    // in request order
  std::vector<BlobSymbol> Locals;   // sorted by offset, then name
};

/// Checks link 2's output and collects why it cannot be a StaticBlob
/// (BlobInfo::Reasons), its `.text`, and its roots and local functions
/// (findBlobSymbols, Symbols.cpp).
llvm::Expected<BlobInfo> inspectBlob(const ELFFile &File,
                                     const PackRequest &Req);

/// arm64: an error naming every function of File that writes x28 (Go's g).
llvm::Error checkX28(const ELFFile &File);

/// amd64: an error naming every function of File that reads or writes
/// through the FS or GS segment (Go's TLS holds g at %fs:-8), or changes
/// their bases, with the offset and the instruction. AllowCanary (libc mode,
/// glibc's TLS set up) lets reads of the stack protector's %fs:0x28 pass;
/// the result says whether there were any.
llvm::Expected<bool> checkSegmentAccess(const ELFFile &File, bool AllowCanary);

} // namespace gotramp::pack
