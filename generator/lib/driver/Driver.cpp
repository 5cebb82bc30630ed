//===- Driver.cpp - the `generate` pipeline ---------------------------------===//
//
// frontend (per target) -> binding (bind/: lowering per function and
// target, overrides) -> symbol check -> packing (pack/) -> frames from the
// stack analysis and trampoline selection (bind/) -> emitters (emit/) ->
// files -> a warning when the user's go.mod cannot resolve the shim module
// the files import (GoModule.cpp). Every decision is made before any file
// is written, so a failed run leaves the output directory untouched.
//
//===----------------------------------------------------------------------===//
#include "gotramp/driver/Driver.h"

#include "gotramp/BuildConfig.h"
#include "gotramp/abi/ABI.h"
#include "gotramp/bind/Bind.h"
#include "gotramp/driver/GoModule.h"
#include "gotramp/emit/Emitter.h"
#include "gotramp/frontend/DwarfFrontend.h"
#include "gotramp/frontend/HeaderFrontend.h"
#include "gotramp/ir/IRJson.h"
#include "gotramp/pack/Packer.h"
#include "gotramp/pack/Reachability.h"
#include "gotramp/support/Diagnostics.h"
#include "gotramp/support/Naming.h"
#include "gotramp/support/TextDiff.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"

#include <map>
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
  if (!isGoIdentifier(Opts.Package) || isGoKeyword(Opts.Package))
    return error("--package '" + Opts.Package + "' is not a valid Go package name");
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
  if (Opts.Objects.empty())
    return error("no --object given: gotramp packs the native code from objects or archives");
  if (Opts.FrameBytes && (*Opts.FrameBytes == 0 || *Opts.FrameBytes > (64u << 20)))
    return error("--frame-bytes must be between 1 and 67108864");
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

/// Writes Content to Path unless it already holds exactly that, so that
/// regenerating unchanged output does not touch Go's build cache.
llvm::Error writeIfChanged(const std::string &Path, llvm::StringRef Content) {
  if (auto Old = llvm::MemoryBuffer::getFile(Path, /*IsText=*/false))
    if ((*Old)->getBuffer() == Content)
      return llvm::Error::success();
  std::error_code EC;
  llvm::raw_fd_ostream OS(Path, EC, llvm::sys::fs::OF_None);
  if (EC)
    return llvm::createFileError(Path, EC);
  OS << Content;
  OS.close();
  if (OS.has_error())
    return llvm::createFileError(Path, OS.error());
  return llvm::Error::success();
}

std::string joinPath(llvm::StringRef Dir, llvm::StringRef File) {
  llvm::SmallString<256> P(Dir);
  llvm::sys::path::append(P, File);
  return std::string(P);
}

/// Path as seen from Base (both relative to the working directory or
/// absolute).
std::string relativeTo(llvm::StringRef Path, llvm::StringRef Base) {
  auto absolute = [](llvm::StringRef P) {
    llvm::SmallString<256> A(P);
    llvm::sys::fs::make_absolute(A);
    llvm::sys::path::remove_dots(A, /*remove_dot_dot=*/true);
    return A;
  };
  llvm::SmallString<256> AbsPath = absolute(Path), AbsBase = absolute(Base);
  auto PI = llvm::sys::path::begin(AbsPath), PE = llvm::sys::path::end(AbsPath);
  auto BI = llvm::sys::path::begin(AbsBase), BE = llvm::sys::path::end(AbsBase);
  while (PI != PE && BI != BE && *PI == *BI)
    ++PI, ++BI;
  llvm::SmallString<256> Rel;
  for (; BI != BE; ++BI)
    llvm::sys::path::append(Rel, "..");
  for (; PI != PE; ++PI)
    llvm::sys::path::append(Rel, *PI);
  return Rel.empty() ? "." : std::string(Rel);
}

/// With a config file, generated files name inputs relative to the config's
/// directory, as the config itself does: the output then does not depend on
/// where gotramp runs (go:generate runs in the package directory). Without
/// one, paths stay as given on the command line.
void relativizePaths(PackagePlan &Plan, llvm::StringRef ConfigPath) {
  if (ConfigPath.empty())
    return;
  llvm::StringRef Base = llvm::sys::path::parent_path(ConfigPath);
  if (Base.empty())
    Base = ".";
  for (std::string &H : Plan.Headers)
    H = relativeTo(H, Base);
  auto fix = [&](SourceLocation &L) {
    if (L.isValid())
      L.File = relativeTo(L.File, Base);
  };
  for (TargetPlan &TP : Plan.Targets)
    for (BoundFunction &BF : TP.Functions)
      fix(BF.Fn.Location);
  for (SkippedFunction &S : Plan.Skipped)
    fix(S.Fn.Location);
}

/// --check: the files in OutDir must be exactly what this run would write.
llvm::Error checkOutput(const std::string &OutDir,
                        const std::vector<std::pair<std::string, std::string>> &Files,
                        const std::vector<std::string> &Stale, llvm::raw_ostream &Out) {
  unsigned Differ = 0;
  for (const auto &[Name, Content] : Files) {
    std::string Path = joinPath(OutDir, Name);
    auto Old = llvm::MemoryBuffer::getFile(Path, /*IsText=*/false);
    if (!Old) {
      Out << Path << ": missing\n";
      ++Differ;
      continue;
    }
    llvm::StringRef Current = (*Old)->getBuffer();
    if (Current == Content)
      continue;
    ++Differ;
    if (llvm::StringRef(Name).ends_with(".syso"))
      Out << Path << ": native code differs (" << Current.size() << " bytes on disk, "
          << Content.size() << " bytes generated)\n";
    else
      Out << lineDiff(Current, Content, Path + " (on disk)", Path + " (generated)");
  }
  for (const std::string &Name : Stale)
    if (llvm::sys::fs::exists(joinPath(OutDir, Name))) {
      Out << joinPath(OutDir, Name) << ": stale, would be removed\n";
      ++Differ;
    }
  if (Differ)
    return error(llvm::Twine(Differ) + " generated file(s) in " + OutDir +
                 " are out of date; run the same command without --check to update them");
  return llvm::Error::success();
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
/// symbols.
std::string undefinedHint(const std::vector<RootProblem> &Problems) {
  std::string Hint = "gotramp packs freestanding code only (of libc it provides memcpy, "
                     "memmove, memset, memcmp, bcmp and strlen)";
  if (llvm::any_of(Problems, [](const RootProblem &P) {
        return llvm::StringRef(P.Symbol).starts_with("__stack_chk_");
      }))
    Hint += "; compile with -fno-stack-protector";
  return Hint;
}

/// Skips every bound function that a target's objects do not define, or
/// whose code reaches a symbol no object defines (with the chain that gets
/// there) or a weak undefined one: the packer could not link them.
llvm::Error skipUnlinkable(const GenerateOptions &Opts, PackagePlan &Plan) {
  std::map<size_t, std::vector<std::pair<std::string, std::string>>> PerTarget;
  std::set<std::string> Provided(shimSymbols().begin(), shimSymbols().end());
  for (TargetPlan &TP : Plan.Targets) {
    std::vector<std::string> Objects = objectsFor(Opts.Objects, TP.Tgt);
    if (Objects.empty())
      return error("no --object for " + TP.Tgt.goName() + " (use --object " + TP.Tgt.goName() +
                   "=FILE for an object of one target)");
    auto Defined = listDefinedSymbols(Objects, TP.Tgt);
    if (!Defined)
      return Defined.takeError();
    std::vector<std::string> Roots;
    for (size_t I = 0; I < TP.Functions.size(); ++I) {
      const BoundFunction &BF = TP.Functions[I];
      if (BF.ThroughPointer)
        continue;
      if (Defined->count(BF.Fn.Symbol))
        Roots.push_back(BF.Fn.Symbol);
      else
        addSkip(PerTarget, I, TP.Tgt,
                "it is declared, but no object (" + llvm::join(Objects, ", ") +
                    ") defines symbol '" + BF.Fn.Symbol + "'");
    }
    auto Problems = findRootProblems(Objects, TP.Tgt, Roots, Provided);
    if (!Problems)
      return Problems.takeError();
    for (size_t I = 0; I < TP.Functions.size(); ++I) {
      const BoundFunction &BF = TP.Functions[I];
      auto It = BF.ThroughPointer ? Problems->end() : Problems->find(BF.Fn.Symbol);
      if (It == Problems->end())
        continue;
      std::vector<std::string> Undefined, Weak, Notes;
      for (const RootProblem &P : It->second) {
        (P.What == RootProblem::Undefined ? Undefined : Weak).push_back(P.describe());
        if (std::string Note = P.sharingNote(); !Note.empty())
          Notes.push_back(std::move(Note));
      }
      std::string Reason;
      if (!Undefined.empty())
        Reason = "it needs " + std::string(Undefined.size() == 1 ? "symbol " : "symbols ") +
                 llvm::join(Undefined, ", ") + ", which no object defines; " +
                 undefinedHint(It->second);
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
    for (const BoundFunction &BF : TP.Functions)
      if (!BF.ThroughPointer)
        Request.Roots.push_back(BF.Fn.Symbol);
    auto Packed = packObjects(Request);
    if (!Packed)
      return error("packing the native code for " + TP.Tgt.goName() + ": " +
                   llvm::toString(Packed.takeError()));
    TP.Pack = std::move(*Packed);
    for (BoundFunction &BF : TP.Functions)
      if (!BF.ThroughPointer)
        BF.CallSymbol = TP.Pack.symbolFor(BF.Fn.Symbol);
    if (TP.Pack.Strategy == PackStrategy::DynamicGlue && Opts.Link == LinkMode::Static)
      return error("link_mode \"static\": the native code for " + TP.Tgt.goName() + " needs " +
                   TP.Pack.Why + ", which a static blob cannot carry");
    auto Unknown = sizeFrames(TP, Request.SymbolPrefix, Opts.UnknownBoundToOwnStack, Diag);
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
              "\"functions\": {\"unknown_bound\": \"own_stack\"}";
  }
  bool NothingBound = llvm::all_of(Plan.Targets.front().Functions,
                                   [](const BoundFunction &BF) { return BF.ThroughPointer; });
  if ((Diag.errorCount() || NothingBound) && !Note.empty())
    Diag.note(Note);
  if (Diag.errorCount())
    return error("--strict: " + llvm::Twine(Diag.errorCount()) + " function(s) cannot be bound");
  if (NothingBound)
    return error("nothing to bind: every function was skipped or excluded");
  return Note;
}

} // namespace

llvm::Error runGenerate(GenerateOptions Opts, llvm::raw_ostream &Out, llvm::raw_ostream &DiagOS) {
  if (!Opts.ConfigPath.empty())
    if (llvm::Error E = applyConfigFile(Opts.ConfigPath, Opts))
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
      Out << All.dump(2, ' ', false,
                      nlohmann::ordered_json::error_handler_t::replace)
          << "\n";
    }
    return llvm::Error::success();
  }

  Diagnostics Diag(DiagOS);
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
  if (!UnknownBounds->empty()) {
    // Pack again without them, so their code is not carried along.
    skipBindings(Plan, *UnknownBounds);
    UnknownBounds = packAndSizeFrames(Opts, Plan, Diag);
    if (!UnknownBounds)
      return UnknownBounds.takeError();
    if (!UnknownBounds->empty())
      return error("the stack bounds changed when the native code was packed again");
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
  relativizePaths(Plan, Opts.ConfigPath);
  Plan.CrashReport = Opts.CrashReport;
  std::vector<std::pair<std::string, std::string>> Files;
  auto GoFile = emitGoFile(Plan);
  if (!GoFile)
    return GoFile.takeError();
  Files.emplace_back(goFileName(Plan), std::move(*GoFile));
  std::vector<std::string> Stale;
  for (const TargetPlan &TP : Plan.Targets) {
    auto Asm = emitAsmFile(Plan, TP);
    if (!Asm)
      return Asm.takeError();
    Files.emplace_back(asmFileName(Plan, TP.Tgt), std::move(*Asm));
    Files.emplace_back(sysoFileName(Plan, TP.Tgt),
                       std::string(TP.Pack.Syso.begin(), TP.Pack.Syso.end()));
    if (TP.Pack.Strategy == PackStrategy::DynamicGlue)
      Files.emplace_back(glueFileName(Plan, TP.Tgt), emitDynamicGlueFile(Plan, TP));
    else
      Stale.push_back(glueFileName(Plan, TP.Tgt));
    if (emitsCrashReport(Plan, TP))
      Files.emplace_back(symbolsFileName(Plan, TP.Tgt), emitSymbolsFile(Plan, TP));
    else
      Stale.push_back(symbolsFileName(Plan, TP.Tgt));
  }
  if (std::string Layout = emitLayoutTest(Plan); !Layout.empty())
    Files.emplace_back(layoutTestFileName(Plan), std::move(Layout));
  else
    Stale.push_back(layoutTestFileName(Plan));
  Files.emplace_back("gotramp-report.json", emitReport(Plan));

  if (Opts.Check)
    return checkOutput(Opts.OutDir, Files, Stale, Out);
  if (std::error_code EC = llvm::sys::fs::create_directories(Opts.OutDir))
    return llvm::createFileError(Opts.OutDir, EC);
  for (const auto &[Name, Content] : Files)
    if (llvm::Error E = writeIfChanged(joinPath(Opts.OutDir, Name), Content))
      return E;
  // A glue file left from an earlier run would make a static package dynamic.
  for (const std::string &Name : Stale)
    llvm::sys::fs::remove(joinPath(Opts.OutDir, Name));
  warnIfShimUnresolved(Opts.OutDir, Files, Opts.ExecutablePath, Diag);

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
