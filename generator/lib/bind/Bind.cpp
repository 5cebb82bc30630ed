//===- Bind.cpp - what the package binds, lowered on every target ----------===//
//
// One binding loop (bindOnEveryTarget) serves the three kinds of binding: a
// declared function, the caller of a function-pointer type and a variadic
// function's call shape. For each it finds the declaration in every
// target's module, lowers it, checks that the Go signature agrees across
// targets, applies the header annotations and the config's overrides and
// claims the Go name. The kinds differ only in where the declaration lives,
// how it is lowered and whether a failure skips the binding or is a config
// error.
//
//===----------------------------------------------------------------------===//
#include "gotramp/bind/Bind.h"

#include "gotramp/abi/GoTypes.h"
#include "gotramp/support/Naming.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/Regex.h"

#include <functional>
#include <map>
#include <optional>

namespace gotramp {

// Patterns match anywhere; anchor them with ^ and $ (Bind.h).
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

namespace {

llvm::Error error(const llvm::Twine &Message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), Message);
}

bool isASCIIIdentifier(llvm::StringRef S) {
  return !S.empty() && !llvm::isDigit(S.front()) &&
         llvm::all_of(S, [](char C) { return llvm::isAlnum(C) || C == '_'; });
}

/// S with each non-ASCII character (a UTF-8 lead byte and its continuation
/// bytes) replaced by '_': a suggestion for an ASCII name.
std::string asciiSpelling(llvm::StringRef S) {
  std::string Out;
  for (char C : S) {
    unsigned char B = static_cast<unsigned char>(C);
    if (B < 0x80)
      Out += C;
    else if ((B & 0xC0) != 0x80)
      Out += '_';
  }
  return Out;
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
  return Path == CallPathDirect || Path == CallPathBlocking || Path == CallPathOwnStack ||
         Path == CallPathBlockingOwnStack || Path == CallPathCallback;
}

/// Where F takes a function pointer: "parameter 'compar'", or a field of a
/// struct passed by value ("parameter 'mem', field 'alloc'"); "" when it
/// takes none. Native code given one may call Go through it.
std::string functionPointerParameter(const Function &F, const Module &M) {
  // The path to a function pointer inside T ("" for T itself), if any.
  std::function<std::optional<std::string>(const Type &, unsigned)> Inside =
      [&](const Type &T, unsigned Depth) -> std::optional<std::string> {
    if (T.Kind == TypeKind::FunctionPointer)
      return std::string();
    const Record *R = T.Kind == TypeKind::Record && Depth < 8 ? M.findRecord(T.Name) : nullptr;
    if (R)
      for (const Field &Fld : R->Fields)
        if (auto In = Inside(Fld.Ty, Depth + 1))
          return ", field '" + Fld.Name + "'" + *In;
    return std::nullopt;
  };
  for (size_t I = 0; I < F.Params.size(); ++I)
    if (auto In = Inside(F.Params[I].Ty, 0))
      return "parameter " +
             (F.Params[I].Name.empty() ? std::to_string(I + 1) : "'" + F.Params[I].Name + "'") +
             *In;
  return "";
}

/// The callback path for F when it takes a function pointer (the
/// annotations and the config's call_path still win), with the reason. A
/// frame_bytes in the config keeps F on the goroutine stack: the user knows
/// its stack, so the pointer is never a Go callback.
void chooseCallbackPath(const GenerateOptions &Opts, const Function &F, const Module &M,
                        std::string &Path, std::string &Reason) {
  if (auto O = Opts.Overrides.find(F.Name); O != Opts.Overrides.end() && O->second.FrameBytes)
    return;
  std::string Where = functionPointerParameter(F, M);
  if (Where.empty())
    return;
  Path = CallPathCallback;
  Reason = "takes a function pointer (" + Where +
           "): native frames stay off the goroutine stack while Go callbacks run";
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
    if (Key == "call_path" && isCallPath(Value)) {
      BF.CallPath = Value.str();
      BF.CallPathReason = "set by the header annotation gotramp:call_path=" + Value.str();
    }
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
    BF.CallPathReason = "set by " + Key + ".call_path";
  }
  if (onOwnStack(BF.CallPath) && O.FrameBytes)
    return error("config: " + Key + ".frame_bytes does not apply to the " + BF.CallPath +
                 " call path, whose native stack comes from the shim");
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
    auto NamedType = [&](const Function &F) { return !F.InlineParameter && Named(F); };
    return llvm::any_of(M.Functions, Named) || llvm::any_of(M.FunctionTypes, NamedType);
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

/// Why a target's lowering of a declaration cannot share the Go file's
/// single declaration with the first target's (First, as lowered, before
/// renames and overrides), or "" when their Go signatures agree.
std::string signatureMismatch(const std::optional<Lowering> &First, const Lowering &L) {
  if (!First || L.goSignature() == First->goSignature())
    return "";
  return "its Go signature differs between targets: '" + First->goSignature() + "' vs '" +
         L.goSignature() + "'";
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

/// The Lowering of a call through a pointer of type F: F's own, with
/// `fn uintptr` in front of the Go parameters (the C side never sees it).
llvm::Expected<Lowering> lowerPointerCaller(const Function &F, const Module &M,
                                            const TargetABI &ABI) {
  auto L = lowerFunction(F, M, ABI);
  if (!L)
    return L.takeError();
  L->GoName = "Call" + goExportedName(F.Name);
  for (auto &[Name, Ty] : L->GoParams)
    if (Name == "fn") {
      Name = "fn_";
      auto Taken = [&] {
        return llvm::any_of(L->GoParams,
                            [&](const auto &P) { return &P.first != &Name && P.first == Name; });
      };
      while (Taken())
        Name += "_";
    }
  L->GoParams.insert(L->GoParams.begin(), {"fn", GoType{"uintptr", 8, 8}});
  L->Frame = layoutABI0(L->GoParams, L->GoResult);
  // Every slot moves by the 8 bytes of fn (all are at most 8-aligned).
  for (size_t I = 0; I < L->Args.size(); ++I)
    L->Args[I].From = L->Frame.Params[I + 1];
  if (L->Result)
    L->Result->To = *L->Frame.Result;
  return L;
}

/// Why a binding could not be made, for the caller to word as the reason a
/// function is skipped or as a config error.
struct BindFailure {
  enum Kind { NotDeclared, LoweringFailed, Mismatch, NameTaken, NonASCIIGoName } What;
  size_t Target = 0;  // NotDeclared, LoweringFailed: the target's index
  std::string Detail; // the lowering error, the mismatch, or the Go name taken
  std::string Holder; // NameTaken: the C name that holds the Go name
};

/// One binding to make on every target.
struct Binding {
  explicit Binding(const Function &Decl) : Decl(Decl) {}

  const Function &Decl; // as the first target's module declares it
  /// A function-pointer type (Module::FunctionTypes) rather than a function.
  bool ThroughPointer = false;
  /// The call path before the annotations and the config, and why.
  std::string CallPath = CallPathDirect;
  std::string CallPathReason;
  /// A Go name that wins over the renames and overrides (a call shape's).
  std::optional<std::string> GoName;
  /// Lowers the declaration as target TI declares it.
  std::function<llvm::Expected<Lowering>(const Function &Decl, size_t TI)> Lower;
};

/// What every binding of one package shares.
struct BindContext {
  const GenerateOptions &Opts;
  const std::vector<Target> &Targets;
  const std::vector<Module> &Modules;
  const std::vector<std::unique_ptr<TargetABI>> &ABIs;
  FramePlan Frame;                            // every binding starts from it
  std::map<std::string, std::string> GoNames; // Go name -> C name
};

/// The binding loop: B on every target, in Ctx.Targets' order, or why it
/// cannot be made. A config error (an override that does not apply) is an
/// Error.
llvm::Expected<std::vector<BoundFunction>> bindOnEveryTarget(BindContext &Ctx, const Binding &B,
                                                             std::optional<BindFailure> &Failure) {
  std::vector<BoundFunction> PerTarget;
  std::optional<Lowering> First; // compared before renames: they apply to every target
  for (size_t TI = 0; TI < Ctx.Targets.size(); ++TI) {
    const Module &M = Ctx.Modules[TI];
    const std::vector<Function> &Decls = B.ThroughPointer ? M.FunctionTypes : M.Functions;
    auto It = llvm::find_if(Decls, [&](const Function &G) { return G.Name == B.Decl.Name; });
    if (It == Decls.end()) {
      Failure = BindFailure{BindFailure::NotDeclared, TI, "", ""};
      return std::vector<BoundFunction>{};
    }
    auto L = B.Lower(*It, TI);
    if (!L) {
      Failure = BindFailure{BindFailure::LoweringFailed, TI, llvm::toString(L.takeError()), ""};
      return std::vector<BoundFunction>{};
    }
    if (std::string Mismatch = signatureMismatch(First, *L); !Mismatch.empty()) {
      Failure = BindFailure{BindFailure::Mismatch, TI, Mismatch, ""};
      return std::vector<BoundFunction>{};
    }
    if (!First)
      First = *L;
    BoundFunction BF;
    BF.Fn = *It;
    BF.Low = std::move(*L);
    BF.Frame = Ctx.Frame;
    BF.ThroughPointer = B.ThroughPointer;
    BF.CallPath = B.CallPath;
    BF.CallPathReason = B.CallPathReason;
    if (llvm::Error E = applyOverride(Ctx.Opts, BF))
      return E;
    // The goroutine stack moves while Go callbacks run and the native code
    // holds the pointers: they must point to the heap.
    if (BF.CallPath == CallPathCallback)
      BF.NoEscape = false;
    if (B.GoName)
      BF.Low.GoName = *B.GoName;
    PerTarget.push_back(std::move(BF));
  }
  if (!isASCIIIdentifier(PerTarget.front().Low.GoName)) {
    Failure = BindFailure{BindFailure::NonASCIIGoName, 0, PerTarget.front().Low.GoName,
                          B.Decl.Name};
    return std::vector<BoundFunction>{};
  }
  auto [It, Inserted] = Ctx.GoNames.emplace(PerTarget.front().Low.GoName, B.Decl.Name);
  if (!Inserted) {
    Failure = BindFailure{BindFailure::NameTaken, 0, It->first, It->second};
    return std::vector<BoundFunction>{};
  }
  return PerTarget;
}

/// A failed binding of a function or a function-pointer caller, worded as
/// the reason it is skipped.
std::string skipReason(const BindContext &Ctx, const BindFailure &F, bool NameLoweringTarget) {
  switch (F.What) {
  case BindFailure::NotDeclared:
    return "not declared when the headers are parsed for " + Ctx.Targets[F.Target].goName();
  case BindFailure::LoweringFailed:
    if (NameLoweringTarget && Ctx.Targets.size() > 1)
      return F.Detail + " (on " + Ctx.Targets[F.Target].goName() + ")";
    return F.Detail;
  case BindFailure::Mismatch:
    return F.Detail;
  case BindFailure::NameTaken:
    return "its Go name " + F.Detail + " is already taken by '" + F.Holder + "'";
  case BindFailure::NonASCIIGoName:
    return "its Go name '" + F.Detail + "' is not ASCII, and gotramp binds ASCII Go names "
           "only (C takes characters in identifiers that Go does not, such as U+00B7 '\xC2\xB7'); "
           "give it one in the config: \"renames\": {\"" + F.Holder + "\": \"" +
           asciiSpelling(F.Detail) + "\"}";
  }
  llvm_unreachable("unknown BindFailure kind");
}

void addBinding(PackagePlan &Plan, std::vector<BoundFunction> PerTarget) {
  for (size_t TI = 0; TI < PerTarget.size(); ++TI)
    Plan.Targets[TI].Functions.push_back(std::move(PerTarget[TI]));
}

/// A declared function, lowered as declared on each target.
llvm::Error bindFunction(BindContext &Ctx, const Function &F, PackagePlan &Plan) {
  if (!F.UnsupportedReason.empty()) {
    Plan.Skipped.push_back({F, F.UnsupportedReason, false, false, F.Name});
    return llvm::Error::success();
  }
  // The packer exports the symbol by name to a linker script and to Go
  // assembly (`CALL gotramp_pkg_SYMBOL(SB)`): plain ASCII only.
  if (!isASCIIIdentifier(F.Symbol)) {
    Plan.Skipped.push_back({F,
                            "its symbol '" + F.Symbol +
                                "' is not ASCII, and the packed code is called by symbol "
                                "name from Go assembly; give it an ASCII one: " +
                                cPrototype(F) + " __asm__(\"" + asciiSpelling(F.Symbol) +
                                "\")",
                            false, false, F.Name});
    return llvm::Error::success();
  }
  Binding B(F);
  chooseCallbackPath(Ctx.Opts, F, Ctx.Modules.front(), B.CallPath, B.CallPathReason);
  B.Lower = [&](const Function &Decl, size_t TI) {
    return lowerFunction(Decl, Ctx.Modules[TI], *Ctx.ABIs[TI]);
  };
  std::optional<BindFailure> Failure;
  auto PerTarget = bindOnEveryTarget(Ctx, B, Failure);
  if (!PerTarget)
    return PerTarget.takeError();
  if (Failure)
    Plan.Skipped.push_back(
        {F, skipReason(Ctx, *Failure, /*NameLoweringTarget=*/true), false, false, F.Name});
  else
    addBinding(Plan, std::move(*PerTarget));
  return llvm::Error::success();
}

/// A Go caller for a function-pointer typedef. Its callee is unknown, so it
/// runs on the own-stack path unless the config gives a frame
/// (functions.overrides.TYPEDEF).
llvm::Error bindPointerCaller(BindContext &Ctx, const Function &F, PackagePlan &Plan) {
  Binding B(F);
  B.ThroughPointer = true;
  // A frame in the config means the user knows the callees' stack.
  auto O = Ctx.Opts.Overrides.find(F.Name);
  bool FrameGiven = O != Ctx.Opts.Overrides.end() && O->second.FrameBytes;
  if (!FrameGiven) {
    B.CallPath = Ctx.Opts.UnknownBound == CallPathBlockingOwnStack ? CallPathBlockingOwnStack
                                                                   : CallPathOwnStack;
    B.CallPathReason = "function-pointer caller: the callee, known only at run time, has no "
                       "stack bound";
    chooseCallbackPath(Ctx.Opts, F, Ctx.Modules.front(), B.CallPath, B.CallPathReason);
  }
  B.Lower = [&](const Function &Decl, size_t TI) {
    return lowerPointerCaller(Decl, Ctx.Modules[TI], *Ctx.ABIs[TI]);
  };
  std::optional<BindFailure> Failure;
  auto PerTarget = bindOnEveryTarget(Ctx, B, Failure);
  if (!PerTarget)
    return PerTarget.takeError();
  if (!Failure) {
    addBinding(Plan, std::move(*PerTarget));
    return llvm::Error::success();
  }
  Function Caller = F;
  Caller.Name = "(*" + F.Name + ")";
  Plan.Skipped.push_back({Caller,
                          "no caller for function-pointer type '" + F.Name +
                              "': " + skipReason(Ctx, *Failure, false),
                          false, false, F.Name});
  return llvm::Error::success();
}

/// One binding per call shape of a variadic function: the fixed parameters
/// plus the shape's, lowered as an ordinary call (AAPCS64 on Linux passes
/// variadic arguments like named ones) with AL set on System V. The shapes
/// are the config's, so any failure is a config error.
llvm::Error bindVariadicShapes(BindContext &Ctx, const Function &F,
                               const std::vector<VariadicShape> &Shapes, PackagePlan &Plan) {
  std::string Key = "config: functions.overrides." + F.Name + ".variadic";
  for (size_t SI = 0; SI < Shapes.size(); ++SI) {
    const VariadicShape &Shape = Shapes[SI];
    std::string Where = Key + "[" + std::to_string(SI) + "]";
    std::vector<Parameter> ShapeParams;
    for (size_t AI = 0; AI < Shape.Args.size(); ++AI) {
      auto T = variadicArgType(Shape.Args[AI]);
      if (!T)
        return error(Where + ".args[" + std::to_string(AI) + "]: " +
                     llvm::toString(T.takeError()));
      ShapeParams.push_back({"v" + std::to_string(AI), *T});
    }
    Binding B(F);
    chooseCallbackPath(Ctx.Opts, F, Ctx.Modules.front(), B.CallPath, B.CallPathReason);
    B.GoName = Shape.GoName;
    B.Lower = [&](const Function &Decl, size_t TI) -> llvm::Expected<Lowering> {
      Function Fixed = Decl;
      Fixed.IsVariadic = false;
      llvm::append_range(Fixed.Params, ShapeParams);
      auto L = lowerFunction(Fixed, Ctx.Modules[TI], *Ctx.ABIs[TI]);
      if (!L)
        return L.takeError();
      if (Ctx.Targets[TI].Architecture == Arch::AMD64) {
        unsigned Vector = 0; // XMM registers carrying arguments
        for (const ArgMove &M : L->Args) {
          Vector += M.Mode == PassMode::Scalar && !M.To.OnStack && M.To.Class == RegClass::Float;
          for (const Piece &P : M.Pieces)
            Vector += P.Loc.Class == RegClass::Float;
        }
        L->VectorCount = Vector;
      }
      L->GoName = Shape.GoName;
      return L;
    };
    std::optional<BindFailure> Failure;
    auto PerTarget = bindOnEveryTarget(Ctx, B, Failure);
    if (!PerTarget)
      return PerTarget.takeError();
    if (!Failure) {
      addBinding(Plan, std::move(*PerTarget));
      continue;
    }
    switch (Failure->What) {
    case BindFailure::NotDeclared:
      return error(Key + ": '" + F.Name + "' is not declared for " +
                   Ctx.Targets[Failure->Target].goName());
    case BindFailure::LoweringFailed:
      return error(F.Location.str() + ": " + Where + " (" + Shape.GoName + "): " +
                   Failure->Detail);
    case BindFailure::Mismatch:
      return error(F.Location.str() + ": " + Where + ": " + Failure->Detail);
    case BindFailure::NameTaken:
      return error(Where + ": Go name " + Shape.GoName + " is already taken by '" +
                   Failure->Holder + "'");
    case BindFailure::NonASCIIGoName:
      return error(Where + ": Go name '" + Shape.GoName + "' is not ASCII");
    }
  }
  return llvm::Error::success();
}

} // namespace

void skipBindings(PackagePlan &Plan, const std::map<size_t, SkipRequest> &Skips) {
  if (Skips.empty())
    return;
  for (const auto &[Index, Skip] : Skips) {
    const BoundFunction &BF = Plan.Targets.front().Functions[Index];
    Plan.Skipped.push_back({BF.Fn, Skip.Reason, false, Skip.UnknownBoundOnly, BF.Fn.Name});
  }
  for (TargetPlan &TP : Plan.Targets) {
    std::vector<BoundFunction> Kept;
    for (size_t I = 0; I < TP.Functions.size(); ++I)
      if (!Skips.count(I))
        Kept.push_back(std::move(TP.Functions[I]));
    TP.Functions = std::move(Kept);
  }
}

llvm::Expected<PackagePlan> bindPackage(const GenerateOptions &Opts,
                                        const std::vector<Target> &Targets,
                                        const std::vector<Module> &Modules,
                                        const std::vector<std::unique_ptr<TargetABI>> &ABIs) {
  if (llvm::Error E = checkConfigNames(Opts, Modules.front()))
    return E;
  PackagePlan Plan;
  Plan.Package = Opts.Package;
  Plan.Headers = Opts.Headers;
  Module Types = filterTypes(Opts, Modules.front());
  for (const Target &T : Targets)
    Plan.Targets.push_back(TargetPlan{T, {}, {}});

  BindContext Ctx{Opts, Targets, Modules, ABIs, FramePlan{}, {}};
  if (Opts.FrameBytes) {
    Ctx.Frame.Bytes = (*Opts.FrameBytes + 15) / 16 * 16;
    Ctx.Frame.Origin = FrameOrigin::Global;
  }

  for (const Record &R : Types.Records) {
    Ctx.GoNames.emplace(goRecordTypeName(R), (R.IsUnion ? "union " : "struct ") + R.Name);
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
  for (const Enum &E : Types.Enums)
    Ctx.GoNames.emplace(goEnumTypeName(E), "enum " + E.Name);

  for (const Function &F : Modules.front().Functions) {
    std::string Excluded =
        filteredOut(F.Name, Opts.IncludeFunctions, Opts.ExcludeFunctions, "functions");
    if (!Excluded.empty()) {
      Plan.Skipped.push_back({F, Excluded, /*ByConfig=*/true, false, F.Name});
      continue;
    }
    auto O = Opts.Overrides.find(F.Name);
    llvm::Error E = F.IsVariadic && O != Opts.Overrides.end() && !O->second.Variadic.empty()
                        ? bindVariadicShapes(Ctx, F, O->second.Variadic, Plan)
                        : bindFunction(Ctx, F, Plan);
    if (E)
      return E;
  }
  for (const Function &F : Modules.front().FunctionTypes) {
    // Only typedefs get callers: an inline type has no name to call it by.
    if (F.InlineParameter)
      continue;
    // A typedef is not a function the user asked for: excluded silently.
    if (!filteredOut(F.Name, Opts.IncludeFunctions, Opts.ExcludeFunctions, "functions").empty())
      continue;
    if (llvm::Error E = bindPointerCaller(Ctx, F, Plan))
      return E;
  }
  Plan.Go = resolveGoDecls(Types, Opts.Renames);
  // After everything else: an existing Go name never moves for a callback.
  bindCallbacks(Opts, Modules, ABIs, Ctx.GoNames, Plan);
  return Plan;
}

} // namespace gotramp
