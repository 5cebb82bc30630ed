//===- Glibc.h - what the target's glibc exports, and at which version ----===//
//
// In libc mode ("libc": "dynamic") an undefined symbol of the native code is
// imported from the target's glibc at run time, as cgo's internal linking
// does: one `//go:cgo_import_dynamic SYM SYM#VERSION "LIB"` line per symbol,
// with the version a static linker would bind (the symbol's default, `@@`,
// version). GlibcExports reads it from the shared libraries themselves
// (.dynsym, .gnu.version, .gnu.version_d): the host's for linux/amd64,
// Debian's cross libraries (libc6-arm64-cross) for linux/arm64, so the
// answer is the target's, not the machine's gotramp runs on.
//
// SharedLibrary reads any other shared library the same way
// ("shared_libraries"): its functions are called from Go directly and its
// symbols may be called by the packed code, imported with the library's own
// default versions, or none when it has no version definitions.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "gotramp/support/Target.h"

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace gotramp {

/// The oldest glibc a libc-mode binary runs on: symbols whose default
/// version is newer are refused. 2.34 is where libpthread, libdl and librt
/// moved into libc.so.6 (pthread_create@@GLIBC_2.34): code built against a
/// newer glibc binds those versions, as cgo binaries built there do, and it
/// is what RHEL 9, Ubuntu 22.04 (2.35) and Debian 12 (2.36) all provide.
inline constexpr const char *GlibcBaseline = "GLIBC_2.34";

/// One symbol a glibc library exports.
struct GlibcSymbol {
  std::string Library; // the library's file name: "libc.so.6", "libm.so.6"
  std::string Version; // its default version: "GLIBC_2.2.5"
  bool Data = false;   // an object (stderr, __stack_chk_guard), not a function
};

/// The libraries libc mode imports from, for Tgt: libc.so.6 and libm.so.6
/// of the target (see the file comment), and on arm64 the dynamic loader,
/// which defines the stack protector's __stack_chk_guard there.
std::vector<std::string> glibcLibraryPaths(const Target &Tgt);

/// True when glibc version A ("GLIBC_2.36") is newer than B ("GLIBC_2.34").
/// Versions compare numerically part by part (2.2.5 < 2.17 < 2.34).
bool glibcVersionNewer(llvm::StringRef A, llvm::StringRef B);

/// The symbols some shared libraries export with their default version.
class GlibcExports {
public:
  /// Reads each library in Paths (ELF shared objects of Tgt's machine).
  /// Errors name the file: missing (with the Debian package that brings
  /// it), not ELF, not a shared object, another machine.
  static llvm::Expected<GlibcExports> load(const std::vector<std::string> &Paths,
                                           const Target &Tgt);

  /// The symbol as the first library that exports it with a public default
  /// version has it; nullopt when none does (not exported, only compat or
  /// GLIBC_PRIVATE versions).
  std::optional<GlibcSymbol> lookup(llvm::StringRef Name) const;

  /// What was read, for messages: "libc.so.6, libm.so.6".
  std::string describe() const;

private:
  std::map<std::string, GlibcSymbol, std::less<>> Symbols;
  std::vector<std::string> Libraries;
};

/// The directories a shared library named without a '/' is looked for in,
/// for Tgt: the host's multiarch directories for linux/amd64; Debian's cross
/// directory (/usr/aarch64-linux-gnu/lib) and the multiarch ones for
/// linux/arm64.
std::vector<std::string> sharedLibraryDirs(const Target &Tgt);

/// A shared library the generated package calls into ("shared_libraries",
/// --shared-library): what it exports, at each symbol's default version
/// (none for an unversioned library), read at generate time from the
/// target's build of it.
struct SharedLibrary {
  std::string Path;   // the file read
  std::string Soname; // DT_SONAME, else the file name: the binary's DT_NEEDED
  std::map<std::string, GlibcSymbol, std::less<>> Exports; // Library is Soname

  /// Entry is a file name ("libz.so.1"), looked for in ExtraDirs and then
  /// sharedLibraryDirs(Tgt), or a path (it has a '/'). Errors name the
  /// entry and the directories, or the file and what is wrong with it
  /// (not ELF, not a shared library, another machine).
  static llvm::Expected<SharedLibrary> load(llvm::StringRef Entry, const Target &Tgt,
                                            const std::vector<std::string> &ExtraDirs);
  std::optional<GlibcSymbol> lookup(llvm::StringRef Name) const;
};

} // namespace gotramp
