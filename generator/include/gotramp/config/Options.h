//===- Options.h - the settings of `gotramp generate` ------------------------===//
//
// Everything a run of `generate` is told: the command line and the config
// file (gotramp.json, docs/config.md) fill the same GenerateOptions, the
// command line winning. Only the config reader and the later stages' inputs
// live here; nothing in this folder knows the IR or the targets' ABIs.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "gotramp/support/Diagnostics.h"

#include "llvm/Support/Error.h"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace gotramp {

/// Per-function settings from the config's "functions.overrides".
/// One fixed Go signature for a variadic C function: the C types of the
/// arguments after the fixed ones, as the call passes them (after C's
/// default promotions: int, long, double, pointers, ...).
struct VariadicShape {
  std::string GoName;
  std::vector<std::string> Args;
};

struct FunctionOverride {
  std::optional<std::string> GoName;
  std::optional<std::string> CallPath; // only "direct" is implemented
  std::optional<uint64_t> FrameBytes;  // stack bound, replaces the default
  std::vector<std::string> Retain;     // pointer params the native side keeps
  std::vector<VariadicShape> Variadic; // call shapes of a variadic function
};

/// Which native code to link and how (config "link_mode").
enum class LinkMode {
  Auto,   // static blob when possible, else relocations + dynamic-import glue
  Static, // static blob or an error
};

/// Where undefined libc symbols of the native code come from (config
/// "libc", --libc).
enum class LibcMode {
  None,    // freestanding: nothing but the runtime-shims/mem routines
  Dynamic, // imported from the target's glibc at run time (Glibc.h)
};

/// Where memcpy, memset, strlen and the other routines of runtime-shims/mem
/// come from in libc mode (config "memory_routines", --memory-routines).
enum class MemoryRoutines {
  Shims, // packed from runtime-shims/mem: callers keep an analysable bound
  Libc,  // imported from glibc, like every other libc symbol
};

struct GenerateOptions {
  std::vector<std::string> Headers;
  std::vector<std::string> Objects; // "[linux/ARCH=]path"
  std::vector<std::string> Targets; // "linux/amd64"; empty: linux/amd64
  /// Shared libraries whose exported functions the headers declare
  /// ("shared_libraries", --shared-library): "[linux/ARCH=]libz.so.1" (looked
  /// for in SharedLibraryDirs, then the target's library directories) or
  /// "[linux/ARCH=]path/libz.so.1".
  std::vector<std::string> SharedLibraries;
  /// "[linux/ARCH=]dir" searched first for SharedLibraries given by name
  /// ("shared_library_dirs", --shared-library-dir).
  std::vector<std::string> SharedLibraryDirs;
  std::vector<std::string> ClangArgs;
  std::string Package;
  std::string OutDir;
  std::string ConfigPath;
  std::string LldPath; // empty: the ld.lld gotramp was built with
  std::optional<uint64_t> FrameBytes;
  bool Strict = false;
  std::optional<LibcMode> Libc; // unset: the config's, else None
  std::optional<MemoryRoutines> Memory; // unset: the config's, else Shims
  bool DumpIR = false;
  /// --check: compare with the files in OutDir instead of writing them.
  bool Check = false;
  /// The running gotramp (main sets it; empty when not known): the Go
  /// runtime module is installed relative to it.
  std::string ExecutablePath;

  // Config-only settings (docs/config.md).
  std::vector<std::string> IncludeFunctions, ExcludeFunctions; // regexes on C names
  std::vector<std::string> IncludeTypes, ExcludeTypes; // enums and constants
  std::map<std::string, std::string> Renames;          // C name -> Go name
  std::map<std::string, FunctionOverride> Overrides;   // by C function name
  LinkMode Link = LinkMode::Auto;
  /// "functions.unknown_bound": the call path the stack analysis gives a
  /// function whose bound it cannot compute and whose frame the config does
  /// not give. "own_stack" (the default, so that a first run binds it) or
  /// "blocking_own_stack" (the same in syscall state); "error" skips it.
  /// A function marked blocking gets blocking_own_stack unless "error".
  std::string UnknownBound = "own_stack";
  /// "crash_report": false leaves out PACKAGE_symbols_linux_ARCH.go, so a
  /// native fault is reported by Go alone, without the native name.
  bool CrashReport = true;
};

/// Reads a config file (JSON; every key documented in docs/config.md) into
/// Opts. Values already set in Opts (from the command line) win. Paths in the
/// file are relative to the file. Unknown keys are errors naming the key.
/// A text that is not JSON, or repeats a key in an object, is an error
/// reported on Diag at its line and column.
llvm::Error applyConfigFile(const std::string &Path, GenerateOptions &Opts, Diagnostics &Diag);

} // namespace gotramp
