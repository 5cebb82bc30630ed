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
// Either way every symbol but the exported roots is local, and the roots are
// renamed with a package prefix (PackRequest::SymbolPrefix), so two gotramp
// packages, or a gotramp package and cgo code, can define the same C symbol
// in one binary. memcpy, memmove, memset, memcmp, bcmp and strlen, when the
// native code references them and defines none, come from runtime-shims/mem
// (embedded in gotramp, compiled per target with the clang next to ld.lld).
// On arm64 the code is disassembled and rejected if it writes x28 (Go's g).
// Every .syso carries a manifest (Verify.h) that `gotramp verify` checks in
// the built binary.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "gotramp/support/Target.h"

#include "llvm/Support/Error.h"
#include "llvm/Support/MemoryBufferRef.h"

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

/// A symbol the packed code leaves undefined for the dynamic loader (libc
/// mode): the generated glue imports it as
/// `//go:cgo_import_dynamic Symbol Symbol#Version "Library"`.
struct DynamicImport {
  std::string Symbol;
  std::string Library; // "libc.so.6"
  std::string Version; // "GLIBC_2.2.5"
  /// An object (stderr, __stack_chk_guard), not a function: code may load
  /// its address from the GOT, but data cannot hold it (Syso.cpp).
  bool Data = false;

  bool operator==(const DynamicImport &) const = default;
};

struct PackRequest {
  Target Tgt;
  std::vector<std::string> ObjectPaths; // .o and .a files
  std::vector<std::string> Roots;       // symbols the Go side calls
  std::string LldPath;                  // ld.lld executable
  /// Prepended to every root's name in the .syso (the only global symbols
  /// it defines): "gotramp_mathlib_" makes `add_i64` `gotramp_mathlib_add_i64`.
  /// Letters, digits and '_' only. Empty keeps the C names, which then clash
  /// with any other definition of the same symbol in the binary.
  std::string SymbolPrefix;
  /// Names the packed object in `gotramp verify` reports (the Go package);
  /// empty: SymbolPrefix.
  std::string Label;
  /// clang used to compile the mem* shims; empty: the `clang` next to LldPath.
  std::string ClangPath;
  /// Libc mode: symbols the code may leave undefined, imported from glibc
  /// at run time. Non-empty also tells the checks that glibc's TLS and
  /// iscgo are set up (the generated package imports runtime/cgo or
  /// purego's fake cgo): the canary read %fs:0x28 and x28 writes are
  /// allowed then. Any use makes the strategy DynamicGlue.
  std::vector<DynamicImport> Imports;
  /// Functions of Imports that Go calls straight (a shared library's,
  /// "shared_libraries"): the packer adds, for each, a root
  /// callThunkName(symbol) that jumps to it, so the call takes the same
  /// path through cmd/link's PLT as the packed code's calls into glibc.
  /// Those roots need no object; ObjectPaths may then be empty.
  std::vector<std::string> CallThunks;
  /// Libc mode: the binary sets up glibc's threads whenever the code needs
  /// them. The stack protector's __stack_chk_fail then comes from
  /// runtime-shims/mem (glibc's message and SIGABRT, with a stack bound the
  /// analysis sees) unless an input defines it, and the canary read alone
  /// (%fs:0x28, glibc's thread control block) makes the package set up
  /// glibc's threads (PackResult::GlibcThreads) even with nothing imported.
  bool LibcMode = false;
};

/// The stack protector's failure routine, which runtime-shims/mem provides in
/// libc mode (PackRequest::LibcMode).
inline constexpr const char *StackChkFailSymbol = "__stack_chk_fail";

/// True for the libraries libc mode imports from (libc.so.6, libm.so.6, the
/// dynamic loader), false for other shared libraries.
inline bool isGlibcLibrary(const std::string &Library) {
  return Library == "libc.so.6" || Library == "libm.so.6" || Library.rfind("ld-linux", 0) == 0;
}

/// The root that calls the imported function Symbol (PackRequest::CallThunks).
inline std::string callThunkName(const std::string &Symbol) { return "gotramp_call_" + Symbol; }

struct PackedSymbol {
  std::string Name;   // the C symbol, as in PackRequest::Roots
  std::string Symbol; // its name in the .syso: SymbolPrefix + Name. The Go
                      // assembly must call this one: `CALL Symbol(SB)`.
  /// Offset in the `.syso`'s `.text` (both strategies: DynamicGlue merges all
  /// code into one `.text` too).
  uint64_t Offset = 0;
  uint64_t Size = 0;
};

/// A function in the packed `.text`, for the crash report of a native fault
/// (the generated symbol table the shim's signal handler searches).
struct PackedFunction {
  uint64_t Offset = 0; // in the .syso's .text
  uint64_t Size = 0;   // 0 when the object did not say
  std::string Name;    // the native symbol (a root's C name, a static function's name)
  std::string Symbol;  // the .syso's global symbol for roots, empty for the others

  bool operator==(const PackedFunction &) const = default;
};

/// A StaticBlob whose native code has data (issue 16): `.text` of the .syso
/// is one image, [0, RelroOffset) code and read-only data, [RelroOffset,
/// DataOffset) read-only data that holds addresses (.data.rel.ro, .got),
/// [DataOffset, DataEnd) writable and zero-initialised data (.data, .bss),
/// every boundary a multiple of PageAlign. Go links it as code (read+execute,
/// no relocation for cmd/link to drop); the generated package's init makes
/// [RelroOffset, DataEnd) read+write, adds the image's run-time address to
/// every slot, then makes [RelroOffset, DataOffset) read-only.
struct BlobRelocation {
  uint64_t PageAlign = 0; // the page size the layout holds for (4096)
  uint64_t RelroOffset = 0, DataOffset = 0, DataEnd = 0;
  /// Offsets of the 8-byte slots that hold an image offset and must hold
  /// the run-time address instead, sorted.
  std::vector<uint64_t> Slots;
  /// The sections laid out from RelroOffset on, with their sizes, for the
  /// report: {".data.rel.ro", 24}.
  std::vector<std::pair<std::string, uint64_t>> Sections;
  /// Zero-initialised bytes (.bss) the image stores as zeros.
  uint64_t ZeroBytes = 0;
  bool empty() const { return DataEnd == 0; }
};

struct PackResult {
  PackStrategy Strategy = PackStrategy::StaticBlob;
  std::vector<uint8_t> Syso;         // ELF relocatable object bytes
  std::vector<PackedSymbol> Roots;   // in the order of PackRequest::Roots
  uint64_t TextBytes = 0;            // code + read-only data
  uint64_t DataBytes = 0;            // data + bss (DynamicGlue; StaticBlob: its data pages)
  /// The manifest for `gotramp verify`, after the code in `.text` (not
  /// counted in TextBytes).
  uint64_t ManifestBytes = 0;
  /// runtime-shims/mem routines packed in because the code references them
  /// ("memcpy", ..., and "__stack_chk_fail" in libc mode), sorted.
  std::vector<std::string> Shims;
  std::string Why;                   // why DynamicGlue was needed
  /// The PackRequest::Imports the packed code references, by symbol.
  std::vector<DynamicImport> Imports;
  /// The code needs glibc's thread set-up (the generated package imports
  /// runtime/cgo or purego's fake cgo): it imports something, or it reads
  /// the stack protector's canary from glibc's thread control block.
  bool GlibcThreads = false;
  /// StaticBlob only: the data the image carries; empty() for code and
  /// read-only data alone.
  BlobRelocation Relocation;
  /// Every function symbol in `.text`, roots and local (static) ones, one
  /// per address (a root's name wins over an alias), sorted by offset.
  std::vector<PackedFunction> Functions;
  /// Bytes of `.text` before the manifest: [0, CodeBytes) is the native
  /// code a crash report covers.
  uint64_t CodeBytes = 0;

  /// The .syso symbol for C symbol Name (SymbolPrefix + Name), or Name if
  /// it is not a root.
  std::string symbolFor(const std::string &Name) const;
};

/// A deterministic symbol prefix for a Go package: "gotramp_<package>_", and
/// when Disambiguator (e.g. the package's import path) is not empty,
/// "gotramp_<package>_<8 hex digits of its hash>_".
std::string defaultSymbolPrefix(const std::string &GoPackage,
                                const std::string &Disambiguator = "");

/// The routines runtime-shims/mem provides: memcpy, memmove, memset, memcmp,
/// bcmp, strlen.
const std::vector<std::string> &shimSymbols();

/// An error saying what the file in Buf is, when it is not native code
/// gotramp reads: a shared library, an executable (static or PIE), a core
/// file, an archive with no members; success for an ELF relocatable object
/// and a non-empty archive (and for what is not ELF at all, which the
/// callers word themselves). Messages name Display and say what to pass
/// instead.
llvm::Error checkInputKind(llvm::MemoryBufferRef Buf, const std::string &Display);

/// Symbols defined (global, non-weak-undefined) by the objects, mapped to the
/// path of the object or archive member that defines them. Errors name the
/// file: unreadable, not ELF, or built for another architecture than Tgt.
llvm::Expected<std::map<std::string, std::string>>
listDefinedSymbols(const std::vector<std::string> &ObjectPaths, const Target &Tgt);

/// Pre-links and packs. Undefined references other than the shims are an
/// error naming each symbol and the function that references it.
llvm::Expected<PackResult> packObjects(const PackRequest &Request);

} // namespace gotramp
