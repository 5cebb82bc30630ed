//===- PackCommon.h - what every file of the packer uses ------------------===//
//
// Private to generator/lib/pack/: the ELF flavour the packer reads and writes
// (64-bit little-endian, amd64 and arm64 alike), the error helper, the ELF
// machine of a target, and reading a whole file. Each part of the packer has
// its own private header next to its .cpp (Link.h, BlobChecks.h, Symbols.h,
// Syso.h); Packer.cpp ties them together. The manifest codec (Manifest.cpp)
// and the verifier (Verify.cpp) use the error helper too.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "gotramp/support/Target.h"

#include "llvm/ADT/StringRef.h"
#include "llvm/ADT/Twine.h"
#include "llvm/BinaryFormat/ELF.h"
#include "llvm/Object/ELF.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/MemoryBuffer.h"

#include <cstdint>
#include <memory>

namespace gotramp::pack {

using ELFT = llvm::object::ELF64LE;
using ELFFile = llvm::object::ELFFile<ELFT>;

inline llvm::Error makeError(const llvm::Twine &Msg) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), Msg.str());
}

inline uint16_t elfMachine(const Target &Tgt) {
  return Tgt.Architecture == Arch::AMD64 ? llvm::ELF::EM_X86_64
                                         : llvm::ELF::EM_AARCH64;
}

/// The page size a blob with data is laid out for: its code, relocated
/// read-only data and writable data each start on such a page, and the
/// .syso's `.text` is aligned to it. 4 KiB on both targets: amd64 has no
/// other, and on arm64 cmd/link (go1.26) writes broken binaries when a
/// .syso's `.text` asks for more than 4 KiB alignment (a test binary built
/// that way crashes in flag parsing), so 16 KiB and 64 KiB kernels cannot be
/// served by alignment; the generated init refuses to run on them.
inline uint64_t dataPageSize(const Target &) { return 4096; }
/// Static constructors: Go's loader drops them silently (ARCHITECTURE.md
/// fact 3), so they would never run.
inline bool isConstructorSection(llvm::StringRef Name, uint32_t Type, uint64_t Size) {
  return Size != 0 && (Type == llvm::ELF::SHT_INIT_ARRAY || Type == llvm::ELF::SHT_PREINIT_ARRAY ||
                       Name.starts_with(".init_array") || Name.starts_with(".ctors") ||
                       Name.starts_with(".preinit_array"));
}

/// Sections -mcmodel=large (and medium, for large data) puts code and data
/// in: `.ltext`, `.lrodata`, `.ldata`, `.lbss`, flagged SHF_X86_64_LARGE.
inline bool isLargeModelSection(llvm::StringRef Name, uint64_t Flags, const Target &Tgt) {
  for (llvm::StringRef Base : {".ltext", ".lrodata", ".ldata", ".lbss"})
    if (Name == Base || (Name.starts_with(Base) && Name.drop_front(Base.size()).starts_with(".")))
      return true;
  return Tgt.Architecture == Arch::AMD64 && (Flags & llvm::ELF::SHF_X86_64_LARGE);
}

/// The whole file at Path; errors name it. Defined in Link.cpp.
llvm::Expected<std::unique_ptr<llvm::MemoryBuffer>>
readFile(llvm::StringRef Path);

} // namespace gotramp::pack
