//===- Driver.cpp - the `generate` pipeline ---------------------------------===//
//
// frontend (per target) -> lowering (per function, per target) -> symbol
// check -> packing -> emitters -> files. Every decision is made before any
// file is written, so a failed run leaves the output directory untouched.
//
//===----------------------------------------------------------------------===//
#include "gotramp/Driver.h"

#include "gotramp/ABI.h"
#include "gotramp/BuildConfig.h"
#include "gotramp/Diagnostics.h"
#include "gotramp/Emitter.h"
#include "gotramp/HeaderFrontend.h"
#include "gotramp/IRJson.h"
#include "gotramp/Naming.h"
#include "gotramp/Packer.h"
#include "gotramp/Plan.h"

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
  if (Opts.Headers.empty())
    return error("no --header given: gotramp needs the C declarations to bind");
  if (Opts.DumpIR)
    return llvm::Error::success();
  if (Opts.Package.empty())
    return error("no --package given");
  if (!isGoIdentifier(Opts.Package) || isGoKeyword(Opts.Package))
    return error("--package '" + Opts.Package + "' is not a valid Go package name");
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

/// Binds every function of Modules[0] that lowers on every target.
PackagePlan planPackage(const GenerateOptions &Opts, const std::vector<Target> &Targets,
                        const std::vector<Module> &Modules,
                        const std::vector<std::unique_ptr<TargetABI>> &ABIs, Diagnostics &Diag) {
  PackagePlan Plan;
  Plan.Package = Opts.Package;
  Plan.Headers = Opts.Headers;
  Plan.Primary = Modules.front();
  for (const Target &T : Targets)
    Plan.Targets.push_back(TargetPlan{T, {}, {}});

  FramePlan Frame;
  Frame.Bytes = (Opts.FrameBytes.value_or(DefaultFrameBytes) + 15) / 16 * 16;
  Frame.Source = Opts.FrameBytes ? "set by --frame-bytes or frame_bytes, not analysed"
                                 : "default, not analysed";

  std::map<std::string, std::string> GoNames; // Go name -> C name
  for (const Function &F : Modules.front().Functions) {
    std::string Reason = F.UnsupportedReason;
    std::vector<BoundFunction> PerTarget;
    for (size_t TI = 0; TI < Targets.size() && Reason.empty(); ++TI) {
      const Module &M = Modules[TI];
      auto It = llvm::find_if(M.Functions, [&](const Function &G) { return G.Name == F.Name; });
      if (It == M.Functions.end()) {
        Reason = "not declared when the headers are parsed for " + Targets[TI].goName();
        break;
      }
      auto L = lowerFunction(*It, M, *ABIs[TI]);
      if (!L) {
        Reason = llvm::toString(L.takeError());
        if (Targets.size() > 1)
          Reason += " (on " + Targets[TI].goName() + ")";
        break;
      }
      if (!PerTarget.empty() && L->goSignature() != PerTarget.front().Low.goSignature()) {
        Reason = "its Go signature differs between targets: '" +
                 PerTarget.front().Low.goSignature() + "' vs '" + L->goSignature() + "'";
        break;
      }
      PerTarget.push_back(BoundFunction{*It, std::move(*L), Frame});
    }
    if (Reason.empty()) {
      auto [It, Inserted] = GoNames.emplace(PerTarget.front().Low.GoName, F.Name);
      if (!Inserted)
        Reason = "its Go name " + It->first + " is already taken by '" + It->second + "'";
    }
    if (!Reason.empty()) {
      Plan.Skipped.push_back({F, Reason});
      continue;
    }
    for (size_t TI = 0; TI < Targets.size(); ++TI)
      Plan.Targets[TI].Functions.push_back(std::move(PerTarget[TI]));
  }
  return Plan;
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
    auto M = parseHeaders(HeaderInput{Opts.Headers, Opts.ClangArgs, ""}, T);
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
      Out << All.dump(2) << "\n";
    }
    return llvm::Error::success();
  }

  Diagnostics Diag(DiagOS);
  PackagePlan Plan = planPackage(Opts, Targets, Modules, ABIs, Diag);
  for (const SkippedFunction &S : Plan.Skipped) {
    std::string Message = "skipping '" + S.Fn.Name + "': " + S.Reason;
    if (Opts.Strict)
      Diag.error(S.Fn.Location, Message);
    else
      Diag.warning(S.Fn.Location, Message);
  }
  if (Diag.errorCount())
    return error("--strict: " + llvm::Twine(Diag.errorCount()) + " function(s) cannot be bound");

  // Every bound function must exist in the native code of every target.
  for (TargetPlan &TP : Plan.Targets) {
    std::vector<std::string> Objects = objectsFor(Opts.Objects, TP.Tgt);
    if (Objects.empty())
      return error("no --object for " + TP.Tgt.goName() + " (use --object " + TP.Tgt.goName() +
                   "=FILE for an object of one target)");
    auto Defined = listDefinedSymbols(Objects, TP.Tgt);
    if (!Defined)
      return Defined.takeError();
    for (const BoundFunction &BF : TP.Functions)
      if (!Defined->count(BF.Fn.Symbol))
        Diag.error(BF.Fn.Location, "'" + BF.Fn.Name + "' is declared here, but no object (" +
                                       llvm::join(Objects, ", ") + ") defines symbol '" +
                                       BF.Fn.Symbol + "' for " + TP.Tgt.goName());
  }
  if (Diag.errorCount())
    return error("missing native symbols; exclude those functions or add the objects that "
                 "define them");

  for (TargetPlan &TP : Plan.Targets) {
    PackRequest Request{TP.Tgt, objectsFor(Opts.Objects, TP.Tgt), {}, Opts.LldPath};
    for (const BoundFunction &BF : TP.Functions)
      Request.Roots.push_back(BF.Fn.Symbol);
    auto Packed = packObjects(Request);
    if (!Packed)
      return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                     "packing the native code for " + TP.Tgt.goName() + ": " +
                                         llvm::toString(Packed.takeError()));
    TP.Pack = std::move(*Packed);
    if (TP.Pack.Strategy == PackStrategy::DynamicGlue)
      Diag.note(TP.Tgt.goName() + ": the native code needs " + TP.Pack.Why +
                "; the .syso keeps its relocations and " + glueFileName(Plan, TP.Tgt) +
                " makes the binary dynamically linked so cmd/link applies them");
  }

  // Render everything, then write.
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
  }
  Files.emplace_back("gotramp-report.json", emitReport(Plan));

  if (std::error_code EC = llvm::sys::fs::create_directories(Opts.OutDir))
    return llvm::createFileError(Opts.OutDir, EC);
  for (const auto &[Name, Content] : Files)
    if (llvm::Error E = writeIfChanged(joinPath(Opts.OutDir, Name), Content))
      return E;
  // A glue file left from an earlier run would make a static package dynamic.
  for (const std::string &Name : Stale)
    llvm::sys::fs::remove(joinPath(Opts.OutDir, Name));

  std::string Summary = Plan.Package + ": " +
                        std::to_string(Plan.Targets.front().Functions.size()) +
                        " function(s) bound, " + std::to_string(Plan.Skipped.size()) +
                        " skipped, for";
  for (const Target &T : Targets)
    Summary += " " + T.goName();
  Diag.note(Summary);
  return llvm::Error::success();
}

} // namespace gotramp
