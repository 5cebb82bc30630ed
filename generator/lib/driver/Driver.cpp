//===- Driver.cpp - the `generate` pipeline ---------------------------------===//
//
// frontend (per target) -> binding (bind/: lowering per function and
// target, overrides) -> symbol check -> packing (pack/) -> frames from the
// stack analysis and trampoline selection (bind/) -> emitters (emit/) ->
// files, written as one set (OutputSet.cpp) -> a warning when the user's
// go.mod cannot resolve the shim module the files import (GoModule.cpp).
// Every decision is made before any file is written, and the set is
// committed or not at all, so a failed run leaves the output directory as it
// was.
//
//===----------------------------------------------------------------------===//
#include "gotramp/driver/Driver.h"

#include "gotramp/BuildConfig.h"
#include "gotramp/abi/ABI.h"
#include "gotramp/bind/Bind.h"
#include "gotramp/driver/GoModule.h"
#include "gotramp/driver/OutputSet.h"
#include "gotramp/emit/Emitter.h"
#include "gotramp/frontend/DwarfFrontend.h"
#include "gotramp/frontend/HeaderFrontend.h"
#include "gotramp/ir/IRJson.h"
#include "gotramp/pack/Glibc.h"
#include "gotramp/pack/Packer.h"
#include "gotramp/pack/Reachability.h"
#include "gotramp/support/Diagnostics.h"
#include "gotramp/support/Naming.h"
#include "gotramp/support/Paths.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

#include <map>
#include <optional>
#include <set>

namespace gotramp {
namespace {

llvm::Error error(const llvm::Twine &Message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), Message);
}

bool isGoIdentifier(llvm::StringRef S) {
  if (S.empty() || !(llvm::isAlpha(S.front()) || S.front() == '_'))
    return false;
  return llvm::all_of(S, [](char C) { return llvm::isAlnum(C) || C == '_'; });
}

/// A name like Name that --package accepts: ASCII letters and digits,
/// lower-case, not starting with a digit.
std::string suggestPackageName(llvm::StringRef Name) {
  std::string Out;
  for (char C : Name)
    if (llvm::isAlnum(C))
      Out += llvm::toLower(C);
  size_t Digits = Out.find_first_not_of("0123456789");
  Out = Digits == std::string::npos ? "" : Out.substr(Digits);
  if (Out.empty() || Out == "main" || isGoKeyword(Out))
    Out += "lib";
  return Out;
}

/// --package (or the config's "package") names the Go package and the
/// files NAME.go and NAME_linux_GOARCH.s: it must be a Go identifier the go
/// tool builds and a program can import.
llvm::Error checkPackageName(const std::string &Name) {
  std::string Prefix = "--package '" + Name + "' (or the config's \"package\")";
  std::string Suggest = "; use, e.g., --package " + suggestPackageName(Name);
  if (!isGoIdentifier(Name))
    return error(Prefix + " is not a valid Go package name: it must be ASCII letters, digits "
                 "and '_', not starting with a digit" + Suggest);
  if (isGoKeyword(Name))
    return error(Prefix + " is not a valid Go package name: it is a Go keyword" + Suggest);
  if (Name.front() == '_')
    return error(Prefix + ": the go tool ignores files whose names start with '_', so " + Name +
                 ".go and " + Name + "_linux_amd64.s would never be built" + Suggest);
  if (Name == "main")
    return error(Prefix + ": a main package is a program, which cannot be imported, and the "
                 "generated package is imported by yours" + Suggest);
  return llvm::Error::success();
}

llvm::Error validate(GenerateOptions &Opts) {
  if (Opts.Headers.empty() && Opts.Objects.empty())
    return error("no --header and no --object given: gotramp binds the functions a header "
                 "declares, or, without one, those the objects' debug info describes");
  if (Opts.DumpIR && Opts.Check)
    return error("--dump-ir and --check cannot be combined");
  if (Opts.DumpIR)
    return llvm::Error::success();
  if (Opts.Package.empty())
    return error("no --package given");
  if (llvm::Error E = checkPackageName(Opts.Package))
    return E;
  // NAME.go would be build-constrained ("_amd64", "_linux") or a test file.
  llvm::StringRef Suffix = llvm::StringRef(Opts.Package).rsplit('_').second;
  if (llvm::is_contained(
          {"test", "amd64", "arm64", "386", "arm", "ppc64", "ppc64le", "riscv64", "s390x", "wasm",
           "loong64", "mips", "mipsle", "mips64", "mips64le", "linux", "darwin", "windows",
           "freebsd", "netbsd", "openbsd", "android", "ios", "js", "wasip1", "plan9", "solaris",
           "illumos", "aix", "dragonfly"},
          Suffix))
    return error("--package '" + Opts.Package + "' ends in '_" + Suffix +
                 "': the generated " + Opts.Package + ".go would be " +
                 (Suffix == "test" ? "a test file" : "built only for that GOOS/GOARCH") +
                 "; choose another name");
  if (Opts.OutDir.empty())
    return error("no --out directory given");
  if (Opts.Objects.empty() && Opts.SharedLibraries.empty())
    return error("no --object and no --shared-library given: gotramp packs the native code from "
                 "objects or archives, or calls it in shared libraries");
  if (!Opts.SharedLibraries.empty() && Opts.Link == LinkMode::Static)
    return error("\"shared_libraries\" (--shared-library) are loaded at run time, which needs "
                 "a dynamically linked binary, but \"link_mode\": \"static\" asks for a static "
                 "one; drop one of the two settings");
  if (Opts.FrameBytes && (*Opts.FrameBytes == 0 || *Opts.FrameBytes > (64u << 20)))
    return error("--frame-bytes must be between 1 and 67108864");
  if (Opts.Libc == LibcMode::Dynamic && Opts.Link == LinkMode::Static)
    return error("\"libc\": \"dynamic\" (--libc dynamic) imports glibc at run time, which "
                 "needs a dynamically linked binary, but \"link_mode\": \"static\" asks for a "
                 "static one; drop one of the two settings");
  if (Opts.Memory == MemoryRoutines::Libc && Opts.Libc != LibcMode::Dynamic)
    return error("\"memory_routines\": \"libc\" (--memory-routines libc) imports memcpy and "
                 "the other memory routines from glibc, which only libc mode does; add "
                 "\"libc\": \"dynamic\" (--libc dynamic)");
  return llvm::Error::success();
}

/// Objects for T: "linux/arm64=lib.a" names an object for one target only;
/// an object without a prefix serves every target.
std::vector<std::string> objectsFor(const std::vector<std::string> &Objects, const Target &T) {
  std::vector<std::string> Out;
  for (const std::string &O : Objects) {
    auto [Prefix, Path] = llvm::StringRef(O).split('=');
    if (Path.empty() || !Prefix.contains('/'))
      Out.push_back(O);
    else if (Prefix == T.goName())
      Out.push_back(Path.str());
  }
  return Out;
}

/// Generated files name inputs relative to the config's directory, as the
/// config itself does, or without a config relative to --out: the output then
/// does not depend on where gotramp runs (go:generate runs in the package
/// directory). Inputs outside the output's Go module are named by their file
/// name only, since their directory is machine-specific (support/Paths.h).
void relativizePaths(PackagePlan &Plan, llvm::StringRef ConfigPath, llvm::StringRef OutDir,
                     const std::vector<std::string> &Objects) {
  std::string Base = ConfigPath.empty() ? OutDir.str()
                                        : llvm::sys::path::parent_path(ConfigPath).str();
  if (Base.empty())
    Base = ".";
  llvm::SmallString<256> AbsOut(OutDir);
  llvm::sys::fs::make_absolute(AbsOut);
  std::string Root(llvm::sys::path::parent_path(findEnclosingGoMod(AbsOut)));
  auto portable = [&](const std::string &P) { return portablePath(P, Base, Root); };
  for (std::string &H : Plan.Headers)
    H = portable(H);
  auto fix = [&](SourceLocation &L) {
    if (L.isValid())
      L.File = portable(L.File);
  };
  for (TargetPlan &TP : Plan.Targets)
    for (BoundFunction &BF : TP.Functions)
      fix(BF.Fn.Location);
  // Skip reasons name objects as given on the command line; longest first so
  // that "lib/a.o" is rewritten before "a.o" could match inside it.
  std::vector<std::string> ObjectPaths;
  for (const std::string &O : Objects) {
    auto [Prefix, Path] = llvm::StringRef(O).split('=');
    ObjectPaths.push_back(Path.empty() || !Prefix.contains('/') ? O : Path.str());
  }
  llvm::sort(ObjectPaths, [](const std::string &A, const std::string &B) {
    return A.size() != B.size() ? A.size() > B.size() : A < B;
  });
  auto fixObjects = [&](std::string &Text) {
    std::string Out;
    for (size_t At = 0; At < Text.size();) {
      auto Match = llvm::find_if(ObjectPaths, [&](const std::string &O) {
        return !O.empty() && llvm::StringRef(Text).substr(At).starts_with(O);
      });
      if (Match == ObjectPaths.end()) {
        Out += Text[At++];
        continue;
      }
      Out += portable(*Match);
      At += Match->size();
    }
    Text = std::move(Out);
  };
  for (SkippedFunction &S : Plan.Skipped) {
    fix(S.Fn.Location);
    fixObjects(S.Reason);
  }
  for (GoRecordDecl &R : Plan.Go.Records)
    fix(R.C.Location);
  for (GoEnumDecl &E : Plan.Go.Enums)
    fix(E.C.Location);
  for (GoConstantDecl &C : Plan.Go.Constants)
    fix(C.C.Location);
}

/// The problems one target has with each binding (by index), worded once
/// per binding: "reason" when it is the same on every target that has it,
/// else each with its target.
void addSkip(std::map<size_t, std::vector<std::pair<std::string, std::string>>> &PerTarget,
             size_t Index, const Target &Tgt, std::string Reason) {
  PerTarget[Index].emplace_back(Tgt.goName(), std::move(Reason));
}

std::map<size_t, SkipRequest>
mergeSkips(const std::map<size_t, std::vector<std::pair<std::string, std::string>>> &PerTarget,
           size_t TargetCount) {
  std::map<size_t, SkipRequest> Out;
  for (const auto &[Index, Reasons] : PerTarget) {
    bool Same = llvm::all_of(Reasons, [&](const auto &R) { return R.second == Reasons[0].second; });
    std::string Reason;
    if (Same && (Reasons.size() == TargetCount || TargetCount == 1))
      Reason = Reasons[0].second;
    else
      for (const auto &[TargetName, Text] : Reasons)
        Reason += (Reason.empty() ? "" : "; ") + Text + " (on " + TargetName + ")";
    Out[Index] = {Reason, false};
  }
  return Out;
}

/// What gotramp packs freestanding code with, for messages on undefined
/// symbols. InGlibc: those of Problems the target's glibc exports (libc
/// mode "none" only: libc mode would import them).
std::string undefinedHint(const std::vector<RootProblem> &Problems,
                          const std::vector<std::string> &InGlibc) {
  std::string Hint = "gotramp packs freestanding code only (of libc it provides memcpy, "
                     "memmove, memset, memcmp, bcmp and strlen)";
  if (!InGlibc.empty())
    Hint += "; glibc exports " + llvm::join(InGlibc, ", ") + ": set \"libc\": \"dynamic\" to " +
            (InGlibc.size() == 1 ? "import it" : "import them") +
            " from glibc (or --libc dynamic)";
  if (llvm::any_of(Problems, [](const RootProblem &P) {
        return llvm::StringRef(P.Symbol).starts_with("__stack_chk_");
      }))
    Hint += "; compile with -fno-stack-protector";
  for (const RootProblem &P : Problems)
    if (P.Symbol == "__tls_get_addr")
      // -fPIC code reaches a thread-local variable through it.
      Hint += "; '__tls_get_addr' means a thread-local variable (in " + P.Object +
              "), which Go rules out: use no thread-local variables (__thread, _Thread_local, "
              "thread_local)";
  return Hint;
}

/// Libc mode: what '__tls_get_addr' among Problems means.
std::string libcTlsHint(const std::vector<RootProblem> &Problems) {
  for (const RootProblem &P : Problems)
    if (P.Symbol == "__tls_get_addr")
      return "; '__tls_get_addr' means a thread-local variable defined by the native code (in " +
             P.Object + "), which libc mode does not support either: glibc sets up TLS for "
             "itself, not for the packed code; use no thread-local variables (__thread, "
             "_Thread_local, thread_local)";
  return "";
}

/// Skips every bound function that a target's objects do not define, or
/// whose code reaches a symbol no object defines (with the chain that gets
/// there) or a weak undefined one: the packer could not link them.
llvm::Error skipUnlinkable(const GenerateOptions &Opts, PackagePlan &Plan) {
  std::map<size_t, std::vector<std::pair<std::string, std::string>>> PerTarget;
  // The packer supplies runtime-shims/mem unless glibc's own are asked for,
  // and in libc mode the stack protector's __stack_chk_fail.
  std::set<std::string> Provided;
  if (Opts.Memory != MemoryRoutines::Libc)
    Provided.insert(shimSymbols().begin(), shimSymbols().end());
  if (Opts.Libc == LibcMode::Dynamic)
    Provided.insert(StackChkFailSymbol);
  for (TargetPlan &TP : Plan.Targets) {
    std::vector<std::string> Objects = objectsFor(Opts.Objects, TP.Tgt);
    // The shared libraries of this target, in the order given: the first
    // that exports a symbol provides it, as the dynamic loader would.
    std::vector<SharedLibrary> Libraries;
    std::vector<std::string> LibraryNames;
    for (const std::string &L : objectsFor(Opts.SharedLibraries, TP.Tgt)) {
      auto Lib = SharedLibrary::load(L, TP.Tgt, objectsFor(Opts.SharedLibraryDirs, TP.Tgt));
      if (!Lib)
        return Lib.takeError();
      // By soname only: the reason goes into the report, which names no
      // machine's paths.
      LibraryNames.push_back(Lib->Soname);
      Libraries.push_back(std::move(*Lib));
    }
    auto exported = [&](llvm::StringRef Symbol) -> std::optional<GlibcSymbol> {
      for (const SharedLibrary &L : Libraries)
        if (auto S = L.lookup(Symbol))
          return S;
      return std::nullopt;
    };
    if (Objects.empty() && Libraries.empty())
      return error("no --object for " + TP.Tgt.goName() + " (use --object " + TP.Tgt.goName() +
                   "=FILE for an object of one target, or --shared-library " + TP.Tgt.goName() +
                   "=LIB)");
    std::map<std::string, std::string> Defined;
    if (!Objects.empty()) {
      auto D = listDefinedSymbols(Objects, TP.Tgt);
      if (!D)
        return D.takeError();
      Defined = std::move(*D);
    }
    std::vector<std::string> Roots;
    for (size_t I = 0; I < TP.Functions.size(); ++I) {
      BoundFunction &BF = TP.Functions[I];
      if (BF.ThroughPointer)
        continue;
      if (Defined.count(BF.Fn.Symbol)) {
        Roots.push_back(BF.Fn.Symbol);
        continue;
      }
      std::optional<GlibcSymbol> Shared = exported(BF.Fn.Symbol);
      if (Shared && !Shared->Data) {
        // Called in the library: the trampoline jumps through a thunk to
        // the imported symbol, with threads set up as for libc mode.
        BF.SharedLibrary = Shared->Library;
        TP.LibcImports[BF.Fn.Symbol] =
            DynamicImport{BF.Fn.Symbol, Shared->Library, Shared->Version, false};
        continue;
      }
      std::string Reason = "it is declared, but ";
      if (!Objects.empty())
        Reason += "no object (" + llvm::join(Objects, ", ") + ") defines symbol '" +
                  BF.Fn.Symbol + "'" + (Libraries.empty() ? "" : " and ");
      if (Shared)
        Reason += "shared library " + Shared->Library + " exports '" + BF.Fn.Symbol +
                  "' as data, not as a function";
      else if (!Libraries.empty())
        Reason += Libraries.size() == 1
                      ? "the shared library " + LibraryNames[0] + " does not export '" +
                            BF.Fn.Symbol + "'"
                      : "none of the shared libraries " + llvm::join(LibraryNames, ", ") +
                            " exports '" + BF.Fn.Symbol + "'";
      addSkip(PerTarget, I, TP.Tgt, Reason);
    }
    std::map<std::string, std::vector<RootProblem>> NoProblems;
    auto Problems = Objects.empty() ? llvm::Expected<decltype(NoProblems)>(NoProblems)
                                    : findRootProblems(Objects, TP.Tgt, Roots, Provided);
    if (!Problems)
      return Problems.takeError();
    // What the target's glibc exports: imported in libc mode, named as
    // importable in the message otherwise (when the libraries are there).
    std::optional<GlibcExports> Glibc;
    bool Dynamic = Opts.Libc == LibcMode::Dynamic;
    if (!Problems->empty()) {
      auto G = GlibcExports::load(glibcLibraryPaths(TP.Tgt), TP.Tgt);
      if (G)
        Glibc = std::move(*G);
      else if (Dynamic)
        return error("libc mode: " + llvm::toString(G.takeError()));
      else
        llvm::consumeError(G.takeError());
    }
    for (size_t I = 0; I < TP.Functions.size(); ++I) {
      const BoundFunction &BF = TP.Functions[I];
      auto It = BF.ThroughPointer ? Problems->end() : Problems->find(BF.Fn.Symbol);
      if (It == Problems->end())
        continue;
      std::vector<std::string> Undefined, Weak, Notes, InGlibc, TooNew;
      std::vector<RootProblem> Unimportable;
      std::vector<DynamicImport> Imports;
      for (const RootProblem &P : It->second) {
        // What the shared libraries export, the packed code may call too
        // (a mixed package), in any libc mode.
        if (P.What == RootProblem::Undefined)
          if (std::optional<GlibcSymbol> S = exported(P.Symbol)) {
            Imports.push_back({P.Symbol, S->Library, S->Version, S->Data});
            continue;
          }
        std::optional<GlibcSymbol> G;
        // __tls_get_addr is how -fPIC code reaches a thread-local variable
        // the library itself defines, which stays unsupported.
        if (Glibc && P.What == RootProblem::Undefined && P.Symbol != "__tls_get_addr")
          G = Glibc->lookup(P.Symbol);
        if (G && Dynamic && !glibcVersionNewer(G->Version, GlibcBaseline)) {
          Imports.push_back({P.Symbol, G->Library, G->Version, G->Data});
          continue;
        }
        if (G && Dynamic) {
          TooNew.push_back(P.describe() + ", which " + G->Library + " exports only at " +
                           G->Version);
          continue;
        }
        if (G)
          InGlibc.push_back("'" + P.Symbol + "'");
        Unimportable.push_back(P);
        (P.What == RootProblem::Undefined ? Undefined : Weak).push_back(P.describe());
        if (std::string Note = P.sharingNote(); !Note.empty())
          Notes.push_back(std::move(Note));
      }
      if (Undefined.empty() && Weak.empty() && TooNew.empty()) {
        for (DynamicImport &D : Imports)
          TP.LibcImports[D.Symbol] = std::move(D);
        continue;
      }
      std::string Reason;
      if (!Undefined.empty())
        Reason = "it needs " + std::string(Undefined.size() == 1 ? "symbol " : "symbols ") +
                 llvm::join(Undefined, ", ") + ", which no object defines" +
                 (Dynamic ? " and the " + TP.Tgt.goName() + " glibc (" +
                                (Glibc ? Glibc->describe() : std::string("")) +
                                ") does not export; libc mode imports only what glibc exports" +
                                libcTlsHint(Unimportable)
                          : "; " + undefinedHint(Unimportable, InGlibc));
      if (!TooNew.empty())
        Reason += (Reason.empty() ? "it" : "; it") + std::string(" needs ") +
                  llvm::join(TooNew, "; ") + ": newer than " + GlibcBaseline +
                  ", the oldest glibc gotramp's libc mode supports (README \"Libc mode\")";
      if (!Weak.empty())
        Reason += (Reason.empty() ? "it" : "; it") + std::string(" has a weak reference to ") +
                  llvm::join(Weak, ", ") + ", which no object defines (the packed code " +
                  "must define everything it references)";
      for (const std::string &Note : Notes)
        Reason += "; " + Note;
      addSkip(PerTarget, I, TP.Tgt, Reason);
    }
  }
  skipBindings(Plan, mergeSkips(PerTarget, Plan.Targets.size()));
  return llvm::Error::success();
}

/// Packs every target's native code and sizes its frames; returns the
/// functions whose stack bound is unknown (to skip).
llvm::Expected<std::map<size_t, SkipRequest>>
packAndSizeFrames(const GenerateOptions &Opts, PackagePlan &Plan, Diagnostics &Diag) {
  std::map<size_t, std::vector<std::pair<std::string, std::string>>> PerTarget;
  bool Bound = false;
  for (const BoundFunction &BF : Plan.Targets.front().Functions)
    Bound |= !BF.ThroughPointer;
  if (!Bound)
    return std::map<size_t, SkipRequest>{}; // nothing to pack; reportSkipped says so
  for (TargetPlan &TP : Plan.Targets) {
    PackRequest Request;
    Request.Tgt = TP.Tgt;
    Request.ObjectPaths = objectsFor(Opts.Objects, TP.Tgt);
    Request.LldPath = Opts.LldPath;
    Request.SymbolPrefix = defaultSymbolPrefix(Plan.Package);
    Request.Label = Plan.Package + " (" + TP.Tgt.goName() + ")";
    for (const BoundFunction &BF : TP.Functions) {
      if (BF.ThroughPointer)
        continue;
      if (BF.SharedLibrary.empty()) {
        Request.Roots.push_back(BF.Fn.Symbol);
        continue;
      }
      Request.Roots.push_back(callThunkName(BF.Fn.Symbol));
      if (!llvm::is_contained(Request.CallThunks, BF.Fn.Symbol))
        Request.CallThunks.push_back(BF.Fn.Symbol);
    }
    for (const auto &[Symbol, Import] : TP.LibcImports)
      Request.Imports.push_back(Import);
    Request.LibcMode = Opts.Libc == LibcMode::Dynamic;
    auto Packed = packObjects(Request);
    if (!Packed)
      return error("packing the native code for " + TP.Tgt.goName() + ": " +
                   llvm::toString(Packed.takeError()));
    TP.Pack = std::move(*Packed);
    for (BoundFunction &BF : TP.Functions)
      if (!BF.ThroughPointer)
        BF.CallSymbol = TP.Pack.symbolFor(
            BF.SharedLibrary.empty() ? BF.Fn.Symbol : callThunkName(BF.Fn.Symbol));
    if (TP.Pack.Strategy == PackStrategy::DynamicGlue && Opts.Link == LinkMode::Static)
      return error("link_mode \"static\": the native code for " + TP.Tgt.goName() + " needs " +
                   TP.Pack.Why + ", which a static blob cannot carry");
    auto Unknown = sizeFrames(TP, Request.SymbolPrefix, Opts.UnknownBound,
                              Opts.Strict, Diag);
    if (!Unknown)
      return Unknown.takeError();
    for (auto &[Index, Skip] : *Unknown)
      addSkip(PerTarget, Index, TP.Tgt, std::move(Skip.Reason));
  }
  std::map<size_t, SkipRequest> Out = mergeSkips(PerTarget, Plan.Targets.size());
  for (auto &[Index, Skip] : Out)
    Skip.UnknownBoundOnly = true;
  return Out;
}

/// One warning per skipped function (an error with --strict). Returns the
/// closing note: one config snippet that leaves them all out (empty when
/// nothing was skipped). Fails, after printing that note, with --strict and
/// when nothing is left to bind.
llvm::Expected<std::string> reportSkipped(const GenerateOptions &Opts, const PackagePlan &Plan,
                                          Diagnostics &Diag) {
  std::vector<std::string> Patterns;
  bool AllUnknownBound = true;
  for (const SkippedFunction &S : Plan.Skipped) {
    if (S.ByConfig)
      continue;
    std::string Message = "skipping '" + S.Fn.Name + "': " + S.Reason;
    if (Opts.Strict)
      Diag.error(S.Fn.Location, Message);
    else
      Diag.warning(S.Fn.Location, Message);
    Patterns.push_back("\"^" + S.ConfigName + "$\"");
    AllUnknownBound &= S.UnknownBoundOnly;
  }
  std::string Note;
  if (!Patterns.empty()) {
    Note = std::to_string(Patterns.size()) +
                       " function(s) skipped; to bind the rest without these messages, "
                       "add to the config: \"functions\": {\"exclude\": [" +
                       llvm::join(Patterns, ", ") + "]}";
    if (AllUnknownBound)
      Note += ", or let them run on their own stack: "
              "\"functions\": {\"unknown_bound\": \"own_stack\"} (the default)";
  }
  bool NothingBound = llvm::all_of(Plan.Targets.front().Functions,
                                   [](const BoundFunction &BF) { return BF.ThroughPointer; });
  if ((Diag.errorCount() || NothingBound) && !Note.empty())
    Diag.note(Note);
  if (Diag.errorCount())
    return error("--strict: " + llvm::Twine(Diag.errorCount()) + " function(s) cannot be bound");
  if (NothingBound) {
    size_t Excluded = llvm::count_if(Plan.Skipped, [](const SkippedFunction &S) {
      return S.ByConfig;
    });
    size_t Skipped = Plan.Skipped.size() - Excluded;
    std::vector<std::string> Callers;
    for (const BoundFunction &BF : Plan.Targets.front().Functions)
      Callers.push_back(BF.Low.GoName);
    std::string Why;
    if (!Callers.empty())
      // Every binding left is a caller of a function-pointer type.
      Why = "only callers of function-pointer types are left (" + llvm::join(Callers, ", ") +
            "), and there is no native function to pack";
    else if (Skipped && !Excluded)
      Why = (Skipped == 1 ? "its one function was" : "all " + std::to_string(Skipped) +
                                                          " functions were") +
            std::string(" skipped (the warnings above say why), so nothing is left to bind");
    else if (Skipped)
      Why = std::to_string(Skipped) + " function(s) were skipped (the warnings above say why) "
            "and the config excludes the other " + std::to_string(Excluded);
    else if (Excluded)
      Why = "the config's functions.include/exclude leave out all " +
            std::to_string(Excluded) + " declared function(s)";
    else
      Why = "the headers (" + llvm::join(Opts.Headers, ", ") + ") declare no functions";
    return error("nothing to bind: " + Why);
  }
  return Note;
}

} // namespace

llvm::Error runGenerate(GenerateOptions Opts, llvm::raw_ostream &Out, llvm::raw_ostream &DiagOS) {
  Diagnostics Diag(DiagOS);
  if (!Opts.ConfigPath.empty())
    if (llvm::Error E = applyConfigFile(Opts.ConfigPath, Opts, Diag))
      return E;
  if (llvm::Error E = validate(Opts))
    return E;
  if (Opts.Targets.empty())
    Opts.Targets.push_back("linux/amd64");
  if (Opts.LldPath.empty())
    Opts.LldPath = GOTRAMP_LLD;

  std::vector<Target> Targets;
  std::vector<std::unique_ptr<TargetABI>> ABIs;
  for (const std::string &Name : Opts.Targets) {
    auto T = parseTarget(Name);
    if (!T)
      return T.takeError();
    if (llvm::is_contained(Targets, *T))
      continue;
    auto ABI = createTargetABI(*T);
    if (!ABI)
      return ABI.takeError();
    Targets.push_back(*T);
    ABIs.push_back(std::move(*ABI));
  }

  std::vector<Module> Modules;
  for (const Target &T : Targets) {
    // Without a header the signatures come from the objects' DWARF (C built
    // with -g, Rust staticlibs).
    auto M = Opts.Headers.empty()
                 ? parseDwarf(DwarfInput{objectsFor(Opts.Objects, T), {}, {}}, T)
                 : parseHeaders(HeaderInput{Opts.Headers, Opts.ClangArgs, ""}, T);
    if (!M)
      return M.takeError();
    Modules.push_back(std::move(*M));
  }
  if (Opts.DumpIR) {
    if (Modules.size() == 1) {
      Out << moduleToJSONText(Modules.front());
    } else {
      nlohmann::ordered_json All = nlohmann::ordered_json::array();
      for (const Module &M : Modules)
        All.push_back(moduleToJSON(M));
      Out << All.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) << "\n";
    }
    return llvm::Error::success();
  }

  auto PlanOrError = bindPackage(Opts, Targets, Modules, ABIs);
  if (!PlanOrError)
    return PlanOrError.takeError();
  PackagePlan &Plan = *PlanOrError;

  // Every problem of every function, in one run: each stage skips what it
  // cannot bind and the rest goes on; everything is reported at the end.
  if (llvm::Error E = skipUnlinkable(Opts, Plan))
    return E;
  auto UnknownBounds = packAndSizeFrames(Opts, Plan, Diag);
  if (!UnknownBounds)
    return UnknownBounds.takeError();
  // Pack again without them, so their code is not carried along. The new
  // layout can leave another bound unknown (a jump table the analysis reads
  // past its end now meets other bytes), so repeat until none is: each round
  // removes at least one function.
  while (!UnknownBounds->empty()) {
    skipBindings(Plan, *UnknownBounds);
    UnknownBounds = packAndSizeFrames(Opts, Plan, Diag);
    if (!UnknownBounds)
      return UnknownBounds.takeError();
  }
  auto SkippedNote = reportSkipped(Opts, Plan, Diag);
  if (!SkippedNote)
    return SkippedNote.takeError();
  for (TargetPlan &TP : Plan.Targets) {
    if (TP.Pack.Strategy == PackStrategy::DynamicGlue)
      Diag.note(TP.Tgt.goName() + ": the native code needs " + TP.Pack.Why +
                "; the .syso keeps its relocations and " + glueFileName(Plan, TP.Tgt) +
                " makes the binary dynamically linked so cmd/link applies them");
    if (llvm::Error E = selectTrampolines(TP))
      return E;
  }

  // Render everything, then write. Diagnostics above used the paths as given.
  relativizePaths(Plan, Opts.ConfigPath, Opts.OutDir, Opts.Objects);
  Plan.CrashReport = Opts.CrashReport;
  std::vector<OutputFile> Files;
  auto GoFile = emitGoFile(Plan);
  if (!GoFile)
    return GoFile.takeError();
  Files.emplace_back(goFileName(Plan), std::move(*GoFile));
  for (const TargetPlan &TP : Plan.Targets) {
    auto Asm = emitAsmFile(Plan, TP);
    if (!Asm)
      return Asm.takeError();
    Files.emplace_back(asmFileName(Plan, TP.Tgt), std::move(*Asm));
    Files.emplace_back(sysoFileName(Plan, TP.Tgt),
                       std::string(TP.Pack.Syso.begin(), TP.Pack.Syso.end()));
    if (TP.Pack.Strategy == PackStrategy::DynamicGlue)
      Files.emplace_back(glueFileName(Plan, TP.Tgt), emitDynamicGlueFile(Plan, TP));
    if (emitsSymbolsFile(Plan, TP))
      Files.emplace_back(symbolsFileName(Plan, TP.Tgt), emitSymbolsFile(Plan, TP));
  }
  for (auto &[Name, Text] : emitLibcThreadFiles(Plan))
    Files.emplace_back(Name, std::move(Text));
  if (std::string Layout = emitLayoutTest(Plan); !Layout.empty())
    Files.emplace_back(layoutTestFileName(Plan), std::move(Layout));
  Files.emplace_back("gotramp-report.json", emitReport(Plan));

  // The names this package's files have for any target and configuration:
  // such a file that this run does not write is stale whatever it holds (a
  // glue file left from an earlier run would make a static package dynamic).
  // Other stale files are found by what they say (findStaleFiles).
  std::vector<std::string> Reserved = {goFileName(Plan), layoutTestFileName(Plan),
                                       "gotramp-report.json"};
  llvm::append_range(Reserved, libcThreadFileNames(Plan));
  for (Arch A : {Arch::AMD64, Arch::ARM64}) {
    Target T{A};
    for (std::string Name : {asmFileName(Plan, T), sysoFileName(Plan, T), glueFileName(Plan, T),
                             symbolsFileName(Plan, T)})
      Reserved.push_back(std::move(Name));
  }
  if (Opts.Check)
    return checkOutputSet(Opts.OutDir, Files, Reserved, Out, Diag);
  if (llvm::Error E = writeOutputSet(Opts.OutDir, Files, Reserved, Diag))
    return E;
  warnIfShimUnresolved(Opts.OutDir, Files, Opts.ExecutablePath, Diag);
  warnIfPuregoUnresolved(Opts.OutDir, Files, Diag);

  std::string Summary = Plan.Package + ": " +
                        std::to_string(Plan.Targets.front().Functions.size()) +
                        " function(s) bound, " + std::to_string(Plan.Skipped.size()) +
                        " skipped, for";
  for (const Target &T : Targets)
    Summary += " " + T.goName();
  Diag.note(Summary);
  if (!SkippedNote->empty())
    Diag.note(*SkippedNote);
  return llvm::Error::success();
}

} // namespace gotramp
