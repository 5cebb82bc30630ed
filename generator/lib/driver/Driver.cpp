//===- Driver.cpp - the `generate` pipeline ---------------------------------===//
//
// frontend (per target) -> lowering (per function, per target) -> symbol
// check -> packing -> emitters -> files. Every decision is made before any
// file is written, so a failed run leaves the output directory untouched.
//
//===----------------------------------------------------------------------===//
#include "gotramp/driver/Driver.h"

#include "gotramp/abi/ABI.h"
#include "gotramp/BuildConfig.h"
#include "gotramp/support/Diagnostics.h"
#include "gotramp/frontend/DwarfFrontend.h"
#include "gotramp/emit/Emitter.h"
#include "gotramp/abi/GoTypes.h"
#include "gotramp/frontend/HeaderFrontend.h"
#include "gotramp/ir/IRJson.h"
#include "gotramp/support/Naming.h"
#include "gotramp/pack/Packer.h"
#include "gotramp/plan/Plan.h"
#include "gotramp/stack/StackAnalysis.h"
#include "gotramp/emit/Trampolines.h"
#include "gotramp/support/TextDiff.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Regex.h"

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

/// Why the config leaves Name out, or "" when it is in: an include list
/// keeps only names matching one of its patterns, an exclude list drops names
/// matching any (patterns match anywhere; anchor them with ^ and $).
std::string filteredOut(const std::string &Name, const std::vector<std::string> &Include,
                        const std::vector<std::string> &Exclude, const char *Key) {
  for (const std::string &Pattern : Exclude)
    if (llvm::Regex(Pattern).match(Name))
      return std::string("excluded by ") + Key + ".exclude '" + Pattern + "'";
  if (Include.empty())
    return "";
  for (const std::string &Pattern : Include)
    if (llvm::Regex(Pattern).match(Name))
      return "";
  return std::string("not matched by ") + Key + ".include";
}

/// Applies the config's per-function settings to a lowered function.
/// Checks that Param names a pointer parameter of BF and marks it retained:
/// the native side keeps it, so Go must heap-allocate what it points to.
llvm::Error retainParam(BoundFunction &BF, const std::string &Param, const std::string &Where) {
  auto P = llvm::find_if(BF.Fn.Params, [&](const Parameter &X) { return X.Name == Param; });
  if (P == BF.Fn.Params.end())
    return error(Where + ": '" + BF.Fn.Name + "' has no parameter '" + Param + "'");
  if (P->Ty.Kind != TypeKind::Pointer)
    return error(Where + ": parameter '" + Param + "' of '" + BF.Fn.Name + "' is not a pointer");
  BF.NoEscape = false;
  return llvm::Error::success();
}

bool isCallPath(llvm::StringRef Path) {
  return Path == CallPathDirect || Path == CallPathBlocking || Path == CallPathOwnStack;
}

/// Header annotations from runtime-shims/c/gotramp.h
/// (__attribute__((annotate("gotramp:KEY=VALUE")))): local defaults that the
/// config overrides.
llvm::Error applyAnnotations(BoundFunction &BF) {
  std::string Where = BF.Fn.Location.str() + ": annotation on '" + BF.Fn.Name + "'";
  for (llvm::StringRef A : BF.Fn.Annotations) {
    if (!A.consume_front("gotramp:"))
      continue; // somebody else's annotation
    auto [Key, Value] = A.split('=');
    if (Key == "call_path" && isCallPath(Value))
      BF.CallPath = Value.str();
    else if (Key == "retain") {
      if (llvm::Error E = retainParam(BF, Value.str(), Where))
        return E;
    } else
      return error(Where + ": unknown gotramp annotation 'gotramp:" + A +
                   "' (see runtime-shims/c/gotramp.h)");
  }
  return llvm::Error::success();
}

/// Applies the header annotations, then the config's per-function settings.
llvm::Error applyOverride(const GenerateOptions &Opts, BoundFunction &BF) {
  const std::string &Name = BF.Fn.Name;
  if (auto It = Opts.Renames.find(Name); It != Opts.Renames.end())
    BF.Low.GoName = It->second;
  BF.NoEscape = BF.Low.HasPointerParams;
  if (llvm::Error E = applyAnnotations(BF))
    return E;
  auto It = Opts.Overrides.find(Name);
  if (It == Opts.Overrides.end())
    return llvm::Error::success();
  const FunctionOverride &O = It->second;
  std::string Key = "functions.overrides." + Name;
  if (O.GoName)
    BF.Low.GoName = *O.GoName;
  if (O.CallPath) {
    if (!isCallPath(*O.CallPath))
      return error("config: " + Key + ".call_path: unknown call path \"" + *O.CallPath + "\"");
    BF.CallPath = *O.CallPath;
  }
  if (BF.CallPath == CallPathOwnStack && O.FrameBytes)
    return error("config: " + Key + ".frame_bytes does not apply to the own_stack call path, "
                 "whose native stack comes from the shim's pool");
  if (O.FrameBytes) {
    if (*O.FrameBytes == 0 || *O.FrameBytes > (64u << 20))
      return error("config: " + Key + ".frame_bytes must be between 1 and 67108864");
    BF.Frame.Bytes = (*O.FrameBytes + 15) / 16 * 16;
    BF.Frame.Source = "set by " + Key + ".frame_bytes";
    BF.Frame.Origin = FrameOrigin::Override;
  }
  for (const std::string &Param : O.Retain)
    if (llvm::Error E = retainParam(BF, Param, "config: " + Key + ".retain"))
      return E;
  return llvm::Error::success();
}

/// Every name in renames or overrides must exist: a typo would otherwise
/// silently do nothing.
llvm::Error checkConfigNames(const GenerateOptions &Opts, const Module &M) {
  auto declared = [&](const std::string &Name) {
    auto Named = [&](const Function &F) { return F.Name == Name; };
    return llvm::any_of(M.Functions, Named) || llvm::any_of(M.FunctionTypes, Named);
  };
  auto constant = [&](const std::string &Name) {
    if (llvm::any_of(M.Constants, [&](const Constant &C) { return C.Name == Name; }))
      return true;
    return llvm::any_of(M.Enums, [&](const Enum &E) {
      return llvm::any_of(E.Constants, [&](const EnumConstant &C) { return C.Name == Name; });
    });
  };
  for (const auto &[Name, Override] : Opts.Overrides)
    if (!declared(Name))
      return error("config: functions.overrides." + Name + ": no function '" + Name +
                   "' is declared in the headers");
  for (const auto &[Name, GoName] : Opts.Renames)
    if (!declared(Name) && !constant(Name))
      return error("config: renames." + Name + ": no function or constant '" + Name +
                   "' is declared in the headers");
  return llvm::Error::success();
}

/// The constants and enums the config keeps.
Module filterTypes(const GenerateOptions &Opts, Module M) {
  auto keep = [&](const std::string &Name) {
    return filteredOut(Name, Opts.IncludeTypes, Opts.ExcludeTypes, "types").empty();
  };
  llvm::erase_if(M.Constants, [&](const Constant &C) { return !keep(C.Name); });
  llvm::erase_if(M.Enums, [&](const Enum &E) { return !keep(E.Name); });
  return M;
}

/// Why per-target lowerings of one declaration cannot share the Go file's
/// single declaration, or "" when their Go signatures agree.
std::string signatureMismatch(const std::vector<BoundFunction> &PerTarget, const Lowering &L) {
  if (PerTarget.empty() || L.goSignature() == PerTarget.front().Low.goSignature())
    return "";
  return "its Go signature differs between targets: '" + PerTarget.front().Low.goSignature() +
         "' vs '" + L.goSignature() + "'";
}

/// The C type of a variadic argument as a call shape names it. Only types
/// that survive C's default argument promotions are accepted: a `float` or
/// `short` is never passed to `...`.
llvm::Expected<Type> variadicArgType(llvm::StringRef Spelling) {
  struct Known {
    const char *Spelling;
    TypeKind Kind;
    uint64_t Size;
    bool Signed;
    IntegerFlavor Flavor;
  };
  static const Known Table[] = {
      {"int", TypeKind::Integer, 4, true, IntegerFlavor::Plain},
      {"unsigned int", TypeKind::Integer, 4, false, IntegerFlavor::Plain},
      {"int32_t", TypeKind::Integer, 4, true, IntegerFlavor::Plain},
      {"uint32_t", TypeKind::Integer, 4, false, IntegerFlavor::Plain},
      {"long", TypeKind::Integer, 8, true, IntegerFlavor::Plain},
      {"unsigned long", TypeKind::Integer, 8, false, IntegerFlavor::Plain},
      {"long long", TypeKind::Integer, 8, true, IntegerFlavor::Plain},
      {"unsigned long long", TypeKind::Integer, 8, false, IntegerFlavor::Plain},
      {"int64_t", TypeKind::Integer, 8, true, IntegerFlavor::Plain},
      {"uint64_t", TypeKind::Integer, 8, false, IntegerFlavor::Plain},
      {"size_t", TypeKind::Integer, 8, false, IntegerFlavor::Size},
      {"ptrdiff_t", TypeKind::Integer, 8, true, IntegerFlavor::PtrDiff},
      {"double", TypeKind::Float, 8, false, IntegerFlavor::Plain},
      {"void *", TypeKind::Pointer, 8, false, IntegerFlavor::Plain},
      {"const char *", TypeKind::Pointer, 8, false, IntegerFlavor::Plain},
      {"char *", TypeKind::Pointer, 8, false, IntegerFlavor::Plain},
  };
  for (const Known &K : Table) {
    if (Spelling != K.Spelling)
      continue;
    Type T;
    T.Kind = K.Kind;
    T.Spelling = K.Spelling;
    T.Size = T.Align = K.Size;
    T.IsSigned = K.Signed;
    T.Flavor = K.Flavor;
    if (K.Kind == TypeKind::Pointer && Spelling != "void *") {
      Type Char;
      Char.Kind = TypeKind::Integer;
      Char.Flavor = IntegerFlavor::Char;
      Char.Spelling = "char";
      Char.Size = Char.Align = 1;
      T.PointeeConst = Spelling.starts_with("const");
      T.Element.push_back(Char);
    }
    return T;
  }
  std::string Accepted;
  for (const Known &K : Table)
    Accepted += std::string(Accepted.empty() ? "" : ", ") + "\"" + K.Spelling + "\"";
  return error("'" + Spelling + "' cannot be a variadic argument type here (C promotes float "
               "to double and narrow integers to int); use one of " + Accepted);
}

/// One binding per call shape of a variadic function: the fixed parameters
/// plus the shape's, lowered as an ordinary call (AAPCS64 on Linux passes
/// variadic arguments like named ones) with AL set on System V.
llvm::Error planVariadicShapes(const GenerateOptions &Opts, const std::vector<Target> &Targets,
                               const std::vector<Module> &Modules,
                               const std::vector<std::unique_ptr<TargetABI>> &ABIs,
                               const FramePlan &Frame, const Function &F,
                               const std::vector<VariadicShape> &Shapes,
                               std::map<std::string, std::string> &GoNames, PackagePlan &Plan) {
  std::string Key = "config: functions.overrides." + F.Name + ".variadic";
  for (size_t SI = 0; SI < Shapes.size(); ++SI) {
    const VariadicShape &Shape = Shapes[SI];
    std::vector<BoundFunction> PerTarget;
    for (size_t TI = 0; TI < Targets.size(); ++TI) {
      auto It = llvm::find_if(Modules[TI].Functions,
                              [&](const Function &G) { return G.Name == F.Name; });
      if (It == Modules[TI].Functions.end())
        return error(Key + ": '" + F.Name + "' is not declared for " + Targets[TI].goName());
      Function Fixed = *It;
      Fixed.IsVariadic = false;
      for (size_t AI = 0; AI < Shape.Args.size(); ++AI) {
        auto T = variadicArgType(Shape.Args[AI]);
        if (!T)
          return error(Key + "[" + std::to_string(SI) + "].args[" + std::to_string(AI) + "]: " +
                       llvm::toString(T.takeError()));
        Fixed.Params.push_back({"v" + std::to_string(AI), *T});
      }
      auto L = lowerFunction(Fixed, Modules[TI], *ABIs[TI]);
      if (!L)
        return error(F.Location.str() + ": " + Key + "[" + std::to_string(SI) + "] (" +
                     Shape.GoName + "): " + llvm::toString(L.takeError()));
      if (Targets[TI].Architecture == Arch::AMD64) {
        unsigned Vector = 0; // XMM registers carrying arguments
        for (const ArgMove &M : L->Args) {
          Vector += M.Mode == PassMode::Scalar && !M.To.OnStack && M.To.Class == RegClass::Float;
          for (const Piece &P : M.Pieces)
            Vector += P.Loc.Class == RegClass::Float;
        }
        L->VectorCount = Vector;
      }
      L->GoName = Shape.GoName;
      if (std::string Mismatch = signatureMismatch(PerTarget, *L); !Mismatch.empty())
        return error(F.Location.str() + ": " + Key + "[" + std::to_string(SI) + "]: " + Mismatch);
      BoundFunction BF{*It, std::move(*L), Frame};
      if (llvm::Error E = applyOverride(Opts, BF))
        return E;
      BF.Low.GoName = Shape.GoName;
      PerTarget.push_back(std::move(BF));
    }
    auto [It, Inserted] = GoNames.emplace(Shape.GoName, F.Name);
    if (!Inserted)
      return error(Key + "[" + std::to_string(SI) + "]: Go name " + Shape.GoName +
                   " is already taken by '" + It->second + "'");
    for (size_t TI = 0; TI < Targets.size(); ++TI)
      Plan.Targets[TI].Functions.push_back(std::move(PerTarget[TI]));
  }
  return llvm::Error::success();
}

/// The Lowering of a call through a pointer of type F: F's own, with
/// `fn uintptr` in front of the Go parameters (the C side never sees it).
llvm::Expected<Lowering> lowerPointerCaller(const Function &F, const Module &M,
                                            const TargetABI &ABI) {
  auto L = lowerFunction(F, M, ABI);
  if (!L)
    return L.takeError();
  L->GoName = "Call" + goExportedName(F.Name);
  for (auto &[Name, Ty] : L->GoParams)
    if (Name == "fn")
      Name = "fn_";
  L->GoParams.insert(L->GoParams.begin(), {"fn", GoType{"uintptr", 8, 8}});
  L->Frame = layoutABI0(L->GoParams, L->GoResult);
  // Every slot moves by the 8 bytes of fn (all are at most 8-aligned).
  for (size_t I = 0; I < L->Args.size(); ++I)
    L->Args[I].From = L->Frame.Params[I + 1];
  if (L->Result)
    L->Result->To = *L->Frame.Result;
  return L;
}

/// A Go caller for every function-pointer typedef that lowers on every
/// target. Their callee is unknown, so they run on the own-stack path
/// unless the config gives a frame (functions.overrides.TYPEDEF).
llvm::Error planPointerCallers(const GenerateOptions &Opts, const std::vector<Target> &Targets,
                               const std::vector<Module> &Modules,
                               const std::vector<std::unique_ptr<TargetABI>> &ABIs,
                               const FramePlan &Frame, std::map<std::string, std::string> &GoNames,
                               PackagePlan &Plan) {
  for (const Function &F : Modules.front().FunctionTypes) {
    std::string Excluded =
        filteredOut(F.Name, Opts.IncludeFunctions, Opts.ExcludeFunctions, "functions");
    if (!Excluded.empty())
      continue; // a typedef is not a function the user asked for
    std::string Reason;
    std::vector<BoundFunction> PerTarget;
    for (size_t TI = 0; TI < Targets.size() && Reason.empty(); ++TI) {
      auto It = llvm::find_if(Modules[TI].FunctionTypes,
                              [&](const Function &G) { return G.Name == F.Name; });
      if (It == Modules[TI].FunctionTypes.end()) {
        Reason = "not declared when the headers are parsed for " + Targets[TI].goName();
        break;
      }
      auto L = lowerPointerCaller(*It, Modules[TI], *ABIs[TI]);
      if (!L) {
        Reason = llvm::toString(L.takeError());
        break;
      }
      if (Reason = signatureMismatch(PerTarget, *L); !Reason.empty())
        break;
      BoundFunction BF{*It, std::move(*L), Frame};
      BF.ThroughPointer = true;
      // A frame in the config means the user knows the callees' stack.
      auto O = Opts.Overrides.find(F.Name);
      bool FrameGiven = O != Opts.Overrides.end() && O->second.FrameBytes;
      BF.CallPath = FrameGiven ? CallPathDirect : CallPathOwnStack;
      if (llvm::Error E = applyOverride(Opts, BF))
        return E;
      PerTarget.push_back(std::move(BF));
    }
    if (Reason.empty()) {
      auto [It, Inserted] = GoNames.emplace(PerTarget.front().Low.GoName, F.Name);
      if (!Inserted)
        Reason = "its Go name " + It->first + " is already taken by '" + It->second + "'";
    }
    if (!Reason.empty()) {
      Function Caller = F;
      Caller.Name = "(*" + F.Name + ")";
      Plan.Skipped.push_back({Caller, "no caller for function-pointer type '" + F.Name +
                                          "': " + Reason});
      continue;
    }
    for (size_t TI = 0; TI < Targets.size(); ++TI)
      Plan.Targets[TI].Functions.push_back(std::move(PerTarget[TI]));
  }
  return llvm::Error::success();
}

/// Binds every function of Modules[0] that lowers on every target.
llvm::Expected<PackagePlan> planPackage(const GenerateOptions &Opts,
                                        const std::vector<Target> &Targets,
                                        const std::vector<Module> &Modules,
                                        const std::vector<std::unique_ptr<TargetABI>> &ABIs) {
  if (llvm::Error E = checkConfigNames(Opts, Modules.front()))
    return std::move(E);
  PackagePlan Plan;
  Plan.Package = Opts.Package;
  Plan.Headers = Opts.Headers;
  Plan.Primary = filterTypes(Opts, Modules.front());
  Plan.Renames = Opts.Renames;
  for (const Target &T : Targets)
    Plan.Targets.push_back(TargetPlan{T, {}, {}});

  FramePlan Frame;
  if (Opts.FrameBytes) {
    Frame.Bytes = (*Opts.FrameBytes + 15) / 16 * 16;
    Frame.Origin = FrameOrigin::Global;
  }

  std::map<std::string, std::string> GoNames; // Go name -> C name
  for (const Record &R : Plan.Primary.Records) {
    GoNames.emplace(goRecordTypeName(R), (R.IsUnion ? "union " : "struct ") + R.Name);
    // One Go struct serves every target: the C layouts must agree.
    for (size_t TI = 1; TI < Targets.size(); ++TI) {
      const Record *Other = Modules[TI].findRecord(R.Name);
      if (Other && (Other->Size != R.Size || Other->Align != R.Align ||
                    Other->Fields.size() != R.Fields.size() ||
                    !llvm::equal(Other->Fields, R.Fields, [](const Field &A, const Field &B) {
                      return A.Offset == B.Offset && A.Ty.Size == B.Ty.Size;
                    })))
        return error(R.Location.str() + ": struct '" + R.Name + "' is laid out differently on " +
                     Targets.front().goName() + " and " + Targets[TI].goName() +
                     "; one Go type cannot match both (generate one package per target)");
    }
  }
  for (const Enum &E : Plan.Primary.Enums)
    GoNames.emplace(goEnumTypeName(E), "enum " + E.Name);
  for (const Function &F : Modules.front().Functions) {
    std::string Excluded =
        filteredOut(F.Name, Opts.IncludeFunctions, Opts.ExcludeFunctions, "functions");
    if (!Excluded.empty()) {
      Plan.Skipped.push_back({F, Excluded, /*ByConfig=*/true});
      continue;
    }
    if (auto O = Opts.Overrides.find(F.Name);
        F.IsVariadic && O != Opts.Overrides.end() && !O->second.Variadic.empty()) {
      if (llvm::Error E = planVariadicShapes(Opts, Targets, Modules, ABIs, Frame, F,
                                             O->second.Variadic, GoNames, Plan))
        return std::move(E);
      continue;
    }
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
      if (Reason = signatureMismatch(PerTarget, *L); !Reason.empty())
        break;
      BoundFunction BF{*It, std::move(*L), Frame};
      if (llvm::Error E = applyOverride(Opts, BF))
        return std::move(E);
      PerTarget.push_back(std::move(BF));
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
  if (llvm::Error E = planPointerCallers(Opts, Targets, Modules, ABIs, Frame, GoNames, Plan))
    return std::move(E);
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

/// A call through a pointer has no bound: the own stack, or the frame the
/// config gives (functions.overrides.TYPEDEF.frame_bytes).
llvm::Error sizePointerCallerFrame(BoundFunction &BF) {
  FramePlan &F = BF.Frame;
  F.Stack = "no stack bound: the callee is only known at run time";
  F.NoSplit = false;
  if (BF.CallPath == CallPathOwnStack) {
    F.Bytes = OwnStackBytes;
    F.Origin = FrameOrigin::Override;
    F.Source = F.Stack;
    return llvm::Error::success();
  }
  if (F.Origin != FrameOrigin::Override)
    return error(BF.Fn.Location.str() + ": the " + BF.CallPath + " call path for '" +
                 BF.Low.GoName + "' (function-pointer type '" + BF.Fn.Name +
                 "') needs a frame: \"functions\": {\"overrides\": {\"" + BF.Fn.Name +
                 "\": {\"frame_bytes\": N}}}");
  return llvm::Error::success();
}

/// Sizes every trampoline of TP from the stack analysis of its packed code
/// (ARCHITECTURE.md fact 4: the frame must cover everything the native code
/// and its callees use). An unknown bound is an error unless the config
/// gives a number; a frame that fits Go's nosplit budget skips the check.
llvm::Error sizeFrames(TargetPlan &TP, const std::string &SymbolPrefix, bool UnknownToOwnStack,
                       Diagnostics &Diag) {
  // The blob names roots "<prefix><symbol>"; messages use the C names.
  auto cNames = [&](std::string S) {
    for (size_t At; !SymbolPrefix.empty() && (At = S.find(SymbolPrefix)) != std::string::npos;)
      S.erase(At, SymbolPrefix.size());
    return S;
  };
  auto Report = analyzeStack(TP.Pack.Syso, TP.Tgt);
  if (!Report)
    return error("stack analysis of the native code for " + TP.Tgt.goName() + ": " +
                 llvm::toString(Report.takeError()));
  for (BoundFunction &BF : TP.Functions) {
    if (BF.ThroughPointer) {
      if (llvm::Error E = sizePointerCallerFrame(BF))
        return E;
      continue;
    }
    // The packed blob names each root by its call symbol (PackResult::symbolFor).
    auto Bound = boundFor(*Report, BF.callSymbol());
    if (!Bound)
      return error("stack analysis: '" + BF.Fn.Name + "' on " + TP.Tgt.goName() + ": " +
                   llvm::toString(Bound.takeError()));
    FramePlan &F = BF.Frame;
    F.Stack = cNames(describeStackBound(*Bound));
    // functions.unknown_bound = "own_stack": the analysis picks the path that
    // needs no bound (a guard-paged native stack) when it cannot find one.
    bool ChosenByAnalysis = !Bound->Known && F.Origin == FrameOrigin::Analysis &&
                            BF.CallPath == CallPathDirect && UnknownToOwnStack;
    if (ChosenByAnalysis)
      BF.CallPath = CallPathOwnStack;
    if (BF.CallPath == CallPathOwnStack) {
      // The native code runs on a pooled native stack with a guard page, so
      // no bound is needed and an overflow faults instead of corrupting.
      F.Bytes = OwnStackBytes;
      F.Origin = FrameOrigin::Override;
      F.NoSplit = false;
      F.Source = ChosenByAnalysis ? "own stack chosen by functions.unknown_bound; " + F.Stack
                                  : F.Stack;
      if (Bound->Known && Bound->Bytes > OwnStackBytes)
        Diag.warning(BF.Fn.Location, "'" + BF.Fn.Name + "' on " + TP.Tgt.goName() + ": " +
                                         F.Stack + " exceeds the own stack's " +
                                         std::to_string(OwnStackBytes) + " bytes");
      continue;
    }
    std::string Override = "\"functions\": {\"overrides\": {\"" + BF.Fn.Name +
                           "\": {\"frame_bytes\": N}}}";
    switch (F.Origin) {
    case FrameOrigin::Override:
      if (Bound->Known && trampolineFrameBytes(Bound->Bytes) > F.Bytes)
        Diag.warning(BF.Fn.Location,
                     "'" + BF.Fn.Name + "' on " + TP.Tgt.goName() + ": frame_bytes " +
                         std::to_string(F.Bytes) + " is below what the analysis found (" +
                         F.Stack + ", " + std::to_string(trampolineFrameBytes(Bound->Bytes)) +
                         " with the margin); the native code may overrun its frame");
      break;
    case FrameOrigin::Analysis:
      if (!Bound->Known) {
        Diag.error(BF.Fn.Location, "the stack bound of '" + BF.Fn.Name + "' on " +
                                       TP.Tgt.goName() + " is unknown: " + cNames(Bound->Reason));
        Diag.noteAt(BF.Fn.Location, "give its frame in the config: " + Override +
                                        ", or let such functions run on their own stack: "
                                        "\"functions\": {\"unknown_bound\": \"own_stack\"}");
        continue;
      }
      F.Bytes = trampolineFrameBytes(Bound->Bytes);
      F.Source = "analysed: " + F.Stack + " + " + std::to_string(StackMarginBytes) +
                 " bytes margin";
      break;
    case FrameOrigin::Global:
      if (Bound->Known) {
        F.Bytes = trampolineFrameBytes(Bound->Bytes);
        F.Source = "analysed: " + F.Stack + " + " + std::to_string(StackMarginBytes) +
                   " bytes margin";
        F.Origin = FrameOrigin::Analysis;
      } else {
        F.Source = "set by --frame-bytes or frame_bytes because the " + F.Stack;
      }
      break;
    }
    if (F.Origin != FrameOrigin::Analysis)
      continue;
    // NOSPLIT is provably safe when the whole declared frame fits the
    // nosplit budget (StackAnalysis.h, NosplitMaxFrameBytes).
    auto Body = TP.Tgt.Architecture == Arch::AMD64 ? trampolineBodyAMD64(BF)
                                                   : trampolineBodyARM64(BF);
    if (!Body)
      return Body.takeError();
    // Blocking trampolines keep the stack check: the frame also hosts the
    // calls to entersyscall/exitsyscall, and it must be in place before
    // entersyscall forbids any stack growth.
    F.NoSplit = BF.CallPath == CallPathDirect && Body->FrameBytes <= NosplitMaxFrameBytes;
  }
  return llvm::Error::success();
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
      Out << All.dump(2) << "\n";
    }
    return llvm::Error::success();
  }

  Diagnostics Diag(DiagOS);
  auto PlanOrError = planPackage(Opts, Targets, Modules, ABIs);
  if (!PlanOrError)
    return PlanOrError.takeError();
  PackagePlan &Plan = *PlanOrError;
  for (const SkippedFunction &S : Plan.Skipped) {
    if (S.ByConfig)
      continue;
    std::string Message = "skipping '" + S.Fn.Name + "': " + S.Reason;
    if (Opts.Strict)
      Diag.error(S.Fn.Location, Message);
    else
      Diag.warning(S.Fn.Location, Message);
    Diag.noteAt(S.Fn.Location, "to bind the rest without this message, exclude it in "
                               "the config: \"functions\": {\"exclude\": [\"^" +
                                   S.Fn.Name + "$\"]}");
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
      if (!BF.ThroughPointer && !Defined->count(BF.Fn.Symbol))
        Diag.error(BF.Fn.Location, "'" + BF.Fn.Name + "' is declared here, but no object (" +
                                       llvm::join(Objects, ", ") + ") defines symbol '" +
                                       BF.Fn.Symbol + "' for " + TP.Tgt.goName());
  }
  if (Diag.errorCount())
    return error("missing native symbols; add the objects that define them, or exclude the "
                 "functions in the config (\"functions\": {\"exclude\": [...]})");

  for (TargetPlan &TP : Plan.Targets) {
    PackRequest Request{TP.Tgt, objectsFor(Opts.Objects, TP.Tgt), {}, Opts.LldPath};
    Request.SymbolPrefix = defaultSymbolPrefix(Plan.Package);
    Request.Label = Plan.Package + " (" + TP.Tgt.goName() + ")";
    for (const BoundFunction &BF : TP.Functions)
      if (!BF.ThroughPointer)
        Request.Roots.push_back(BF.Fn.Symbol);
    auto Packed = packObjects(Request);
    if (!Packed)
      return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                     "packing the native code for " + TP.Tgt.goName() + ": " +
                                         llvm::toString(Packed.takeError()));
    TP.Pack = std::move(*Packed);
    for (BoundFunction &BF : TP.Functions)
      if (!BF.ThroughPointer)
        BF.CallSymbol = TP.Pack.symbolFor(BF.Fn.Symbol);
    if (TP.Pack.Strategy == PackStrategy::DynamicGlue && Opts.Link == LinkMode::Static)
      return error("link_mode \"static\": the native code for " + TP.Tgt.goName() + " needs " +
                   TP.Pack.Why + ", which a static blob cannot carry");
    if (TP.Pack.Strategy == PackStrategy::DynamicGlue)
      Diag.note(TP.Tgt.goName() + ": the native code needs " + TP.Pack.Why +
                "; the .syso keeps its relocations and " + glueFileName(Plan, TP.Tgt) +
                " makes the binary dynamically linked so cmd/link applies them");
    if (llvm::Error E = sizeFrames(TP, Request.SymbolPrefix, Opts.UnknownBoundToOwnStack, Diag))
      return E;
  }
  if (Diag.errorCount())
    return error("unknown stack bounds; the native code runs on the goroutine stack, which "
                 "has no guard page, so gotramp will not guess");

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
