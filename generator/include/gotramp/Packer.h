//===- Packer.h - native objects -> .syso ----------------------------------===//
//
// Go's internal linker silently drops every ELF relocation in a .syso when the
// binary imports nothing dynamic (golang/go#24321, ARCHITECTURE.md fact 2). The
// packer therefore pre-links the native code with ld.lld into one
// position-independent blob, garbage-collected from the exported roots, and
// writes it as a relocatable object with no relocations left. Native code that
// needs writable data or absolute addresses cannot be a single read-only blob;
// it is packed with its relocations and the Go side gets a dynamic-import glue
// file so cmd/link applies them.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "gotramp/Target.h"

#include "llvm/Support/Error.h"

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace gotramp {

enum class PackStrategy {
  /// One read-only executable section, every reference resolved: correct
  /// under every Go link mode, binary stays static.
  StaticBlob,
  /// Relocations kept; needs the dynamic-import glue (binary is dynamic).
  DynamicGlue,
};

struct PackRequest {
  Target Tgt;
  std::vector<std::string> ObjectPaths; // .o and .a files
  std::vector<std::string> Roots;       // symbols the Go side calls
  std::string LldPath;                  // ld.lld executable
};

struct PackedSymbol {
  std::string Name;
  /// StaticBlob: offset in the packed `.text`. DynamicGlue: the symbol's
  /// value within its own section of the relocatable object (0 for code
  /// built with -ffunction-sections).
  uint64_t Offset = 0;
  uint64_t Size = 0;
};

struct PackResult {
  PackStrategy Strategy = PackStrategy::StaticBlob;
  std::vector<uint8_t> Syso;         // ELF relocatable object bytes
  std::vector<PackedSymbol> Roots;   // in the order of PackRequest::Roots
  uint64_t TextBytes = 0;            // code + read-only data
  uint64_t DataBytes = 0;            // writable data + bss (DynamicGlue only)
  std::string Why;                   // why DynamicGlue was needed
};

/// Symbols defined (global, non-weak-undefined) by the objects, mapped to the
/// path of the object or archive member that defines them. Errors name the
/// file: unreadable, not ELF, or built for another architecture than Tgt.
llvm::Expected<std::map<std::string, std::string>>
listDefinedSymbols(const std::vector<std::string> &ObjectPaths, const Target &Tgt);

/// Pre-links and packs. Undefined references are an error naming each symbol.
llvm::Expected<PackResult> packObjects(const PackRequest &Request);

} // namespace gotramp
