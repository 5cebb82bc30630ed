//===- main.cpp - the gotramp command ---------------------------------------===//
//
// Parses the command line and runs the pipeline in the library; nothing else.
//
//===----------------------------------------------------------------------===//
#include "gotramp/BuildConfig.h"
#include "gotramp/driver/Driver.h"
#include "gotramp/driver/Inspect.h"
#include "gotramp/stack/StackAnalysis.h"
#include "gotramp/support/Target.h"
#include "gotramp/pack/Verify.h"

#include "llvm/ADT/StringRef.h"
#include "llvm/Config/llvm-config.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/Support/raw_ostream.h"

#include <exception>
#include <string>
#include <vector>

namespace {

constexpr const char *TopHelp = R"(gotramp - call native code from Go through assembly trampolines, without cgo

USAGE: gotramp <command> [options]

COMMANDS:
  generate    write a Go package that calls the functions of C headers and objects
  verify      check the native code packed into a built Go binary: every call,
              branch and data reference lands where the packed blob says
  inspect     print the stack analysis of an object: per function its own frame,
              callees, and stack bound or why it is unknown

OPTIONS:
  --help      show this help (`gotramp generate --help` for the command's options)
  --version   print the version

Run `gotramp generate --help` or `gotramp inspect --help` for their options.
)";

constexpr const char *GenerateHelp = R"(USAGE: gotramp generate --header F.h --object F.o --package NAME --out DIR [options] [-- CLANG_ARGS...]
       gotramp generate --object F.a --package NAME --out DIR [options]   (signatures from DWARF)
       gotramp generate --header F.h --shared-library LIB --package NAME --out DIR [options]

Writes into DIR:
  NAME.go                      declarations, enum types, constants, doc comments
  NAME_linux_ARCH.s            one trampoline per function (Go ABI0 -> C ABI)
  NAME_linux_ARCH.syso         the native code, pre-linked into one blob
  NAME_dynimport_linux_ARCH.go only when the native code keeps relocations
  NAME_symbols_linux_ARCH.go   native symbol table for crash reports
  NAME_libc_cgo.go, NAME_libc_purego.go
                               --libc dynamic only: glibc's TLS on every thread
  NAME_layout_test.go          checks every struct against the C layout
  gotramp-report.json          per function: C and Go signatures, call path,
                               frame reserved and its source, or why skipped

OPTIONS:
  --header FILE       C header declaring the functions to bind (repeatable);
                      only functions declared in these files are bound. Without
                      any, the exported functions the objects' DWARF describes
                      are bound (C built with -g, Rust staticlibs)
  --object [T=]FILE   ELF object (.o) or archive (.a) defining them (repeatable);
                      with a "linux/arm64=" prefix the file serves that target only
  --shared-library [T=]LIB
                      a shared library (libz.so.1, or a path) whose exported
                      functions the headers declare (repeatable): those no
                      object defines are called in it directly, imported at
                      run time (the binary needs LIB). A name is looked for
                      in --shared-library-dir, then the target's library
                      directories; a "linux/arm64=" prefix limits it to one
                      target
  --shared-library-dir [T=]DIR
                      a directory searched first for --shared-library names
                      (repeatable; "linux/arm64=DIR" for one target)
  --package NAME      Go package name
  --out DIR           output directory (created if missing). The files are
                      replaced as one set, under a lock on DIR; files gotramp
                      wrote there before and no longer writes are removed,
                      other files are left alone
  --target GOOS/ARCH  target to generate for (repeatable: one package serves
                      all); default linux/amd64. Supported: linux/amd64,
                      linux/arm64
  --config FILE       JSON config; every key and its default is in docs/config.md.
                      Paths in it are relative to the file; command-line values win
  --frame-bytes N     stack reserved for native code whose stack bound the analysis
                      cannot compute (recursion, indirect calls, alloca); without
                      it such a function is an error. Rounded up to 16. Bounded
                      functions always get their analysed frame
  --libc none|dynamic where undefined libc symbols come from: "none" (default)
                      packs freestanding code only; "dynamic" imports what
                      the target's glibc exports (libc.so.6, libm.so.6) at
                      run time, making the binary dynamically linked
  --memory-routines shims|libc
                      with --libc dynamic: memcpy, memset, strlen, ... from
                      runtime-shims/mem ("shims", default: their callers keep
                      an analysable stack bound) or from glibc ("libc")
  --strict            a function that cannot be bound is an error, not a warning
  --check             write nothing; exit 1 and print a diff when the files in DIR
                      differ from what would be generated, or name the stale
                      files generate would remove (for CI)
  --dump-ir           print the parsed module as JSON and stop (needs only --header)
  --lld PATH          ld.lld used to pre-link the native code (default: the one
                      gotramp was built with)
  -- CLANG_ARGS...    extra arguments for parsing the headers (-I, -D, ...)
  --help              show this help
)";

constexpr const char *InspectHelp = R"(USAGE: gotramp inspect --object F.o|F.syso [--target linux/amd64|linux/arm64] [--json]

Disassembles the object and prints, per function: its offset and size, its own
stack use (return address, pushes, frame, realignment, red zone), its direct
callees, and its whole-call-graph stack bound, or why the bound is unknown
(recursion with the cycle, indirect call or jump with the address, dynamic
stack adjustment, unresolved external call).

OPTIONS:
  --object FILE   ELF relocatable object or packed .syso (for an archive,
                  inspect the .syso gotramp generate packed from it)
  --target T      linux/amd64 (default) or linux/arm64
  --json          JSON instead of a table
  --help          show this help
)";

/// Accepts "--flag value" and "--flag=value".
bool takeValue(llvm::StringRef Arg, llvm::StringRef Flag, int &I, int Argc, char **Argv,
               std::string &Value, bool &Missing) {
  if (Arg == Flag) {
    if (I + 1 >= Argc) {
      Missing = true;
      return true;
    }
    Value = Argv[++I];
    return true;
  }
  if (Arg.starts_with(Flag) && Arg.size() > Flag.size() && Arg[Flag.size()] == '=') {
    Value = Arg.substr(Flag.size() + 1).str();
    return true;
  }
  return false;
}

int usageError(const std::string &Message) {
  llvm::errs() << "gotramp: error: " << Message << "\nRun `gotramp generate --help` for usage.\n";
  return 2;
}

int runGenerateCommand(int Argc, char **Argv) {
  gotramp::GenerateOptions Opts;
  for (int I = 2; I < Argc; ++I) {
    llvm::StringRef Arg = Argv[I];
    std::string Value;
    bool Missing = false;
    if (Arg == "--") {
      Opts.ClangArgs.assign(Argv + I + 1, Argv + Argc);
      break;
    }
    if (Arg == "--help" || Arg == "-h") {
      llvm::outs() << GenerateHelp;
      return 0;
    }
    if (Arg == "--strict") {
      Opts.Strict = true;
      continue;
    }
    if (Arg == "--dump-ir") {
      Opts.DumpIR = true;
      continue;
    }
    if (Arg == "--check") {
      Opts.Check = true;
      continue;
    }
    if (takeValue(Arg, "--header", I, Argc, Argv, Value, Missing))
      Opts.Headers.push_back(Value);
    else if (takeValue(Arg, "--object", I, Argc, Argv, Value, Missing))
      Opts.Objects.push_back(Value);
    else if (takeValue(Arg, "--shared-library", I, Argc, Argv, Value, Missing))
      Opts.SharedLibraries.push_back(Value);
    else if (takeValue(Arg, "--shared-library-dir", I, Argc, Argv, Value, Missing))
      Opts.SharedLibraryDirs.push_back(Value);
    else if (takeValue(Arg, "--target", I, Argc, Argv, Value, Missing))
      Opts.Targets.push_back(Value);
    else if (takeValue(Arg, "--package", I, Argc, Argv, Value, Missing))
      Opts.Package = Value;
    else if (takeValue(Arg, "--out", I, Argc, Argv, Value, Missing))
      Opts.OutDir = Value;
    else if (takeValue(Arg, "--config", I, Argc, Argv, Value, Missing))
      Opts.ConfigPath = Value;
    else if (takeValue(Arg, "--libc", I, Argc, Argv, Value, Missing)) {
      if (!Missing && Value != "none" && Value != "dynamic")
        return usageError("--libc takes none or dynamic, not '" + Value + "'");
      if (!Missing)
        Opts.Libc = Value == "dynamic" ? gotramp::LibcMode::Dynamic : gotramp::LibcMode::None;
    } else if (takeValue(Arg, "--memory-routines", I, Argc, Argv, Value, Missing)) {
      if (!Missing && Value != "shims" && Value != "libc")
        return usageError("--memory-routines takes shims or libc, not '" + Value + "'");
      if (!Missing)
        Opts.Memory =
            Value == "libc" ? gotramp::MemoryRoutines::Libc : gotramp::MemoryRoutines::Shims;
    } else if (takeValue(Arg, "--lld", I, Argc, Argv, Value, Missing))
      Opts.LldPath = Value;
    else if (takeValue(Arg, "--frame-bytes", I, Argc, Argv, Value, Missing)) {
      uint64_t N;
      if (!Missing && llvm::StringRef(Value).getAsInteger(10, N))
        return usageError("--frame-bytes takes a number, not '" + Value + "'");
      if (!Missing)
        Opts.FrameBytes = N;
    } else
      return usageError("unknown option '" + Arg.str() + "'");
    if (Missing)
      return usageError(Arg.str() + " needs a value");
  }
  // Any function of this executable serves as the address getMainExecutable
  // falls back on where /proc/self/exe is missing.
  Opts.ExecutablePath = llvm::sys::fs::getMainExecutable(
      Argv[0], reinterpret_cast<void *>(reinterpret_cast<intptr_t>(&runGenerateCommand)));
  if (llvm::Error E = gotramp::runGenerate(std::move(Opts), llvm::outs(), llvm::errs())) {
    llvm::errs() << "gotramp: error: " << llvm::toString(std::move(E)) << "\n";
    return 1;
  }
  return 0;
}

int runInspectCommand(int Argc, char **Argv) {
  std::string Object, TargetName = "linux/amd64";
  bool Json = false;
  for (int I = 2; I < Argc; ++I) {
    llvm::StringRef Arg = Argv[I];
    std::string Value;
    bool Missing = false;
    if (Arg == "--help" || Arg == "-h") {
      llvm::outs() << InspectHelp;
      return 0;
    }
    if (Arg == "--json") {
      Json = true;
      continue;
    }
    if (takeValue(Arg, "--object", I, Argc, Argv, Value, Missing))
      Object = Value;
    else if (takeValue(Arg, "--target", I, Argc, Argv, Value, Missing))
      TargetName = Value;
    else
      return usageError("unknown option '" + Arg.str() + "'");
    if (Missing)
      return usageError(Arg.str() + " needs a value");
  }
  if (Object.empty())
    return usageError("inspect needs --object");
  auto T = gotramp::parseTarget(TargetName);
  if (!T) {
    llvm::errs() << "gotramp: error: " << llvm::toString(T.takeError()) << "\n";
    return 2;
  }
  if (llvm::Error E = gotramp::runInspect(Object, *T, Json, llvm::outs())) {
    llvm::errs() << "gotramp: error: " << llvm::toString(std::move(E)) << "\n";
    return 1;
  }
  return 0;
}

int runCommand(int Argc, char **Argv) {
  if (Argc < 2) {
    llvm::errs() << TopHelp;
    return 2;
  }
  llvm::StringRef Command = Argv[1];
  if (Command == "--help" || Command == "-h" || Command == "help") {
    llvm::outs() << TopHelp;
    return 0;
  }
  if (Command == "--version") {
    llvm::outs() << "gotramp " << GOTRAMP_VERSION << " (LLVM " << LLVM_VERSION_STRING << ")\n";
    return 0;
  }
  if (Command == "generate")
    return runGenerateCommand(Argc, Argv);
  if (Command == "inspect")
    return runInspectCommand(Argc, Argv);
  if (Command == "verify")
    return gotramp::runVerifyCommand(std::vector<std::string>(Argv + 2, Argv + Argc), llvm::outs(),
                                     llvm::errs());
  return usageError("unknown command '" + Command.str() + "'");
}

} // namespace

int main(int Argc, char **Argv) {
  llvm::InitLLVM X(Argc, Argv);
  llvm::InitializeAllTargetInfos();
  llvm::InitializeAllTargetMCs();
  llvm::InitializeAllDisassemblers();
  // The library reports bad input as llvm::Error; an exception escaping it
  // (nlohmann::json, the standard library) is a gotramp bug, but it should
  // end the run with a message and status 1, not an abort.
  try {
    return runCommand(Argc, Argv);
  } catch (const std::exception &E) {
    llvm::errs() << "gotramp: internal error: " << E.what()
                 << "\nPlease report this, with the command line and inputs.\n";
    return 1;
  }
}
