//===- Callbacks.cpp - Go constructors of C-callable values ----------------===//
//
// For every function-pointer type the package sees (typedefs and types
// spelled inline in parameters), the Go file gets a constructor that wraps
// a Go function as a C function pointer (shim.NewCallback, issue 19). The
// shim hands the Go side the native arguments by ABI location (a
// CallbackFrame: the k-th integer or FP argument register, the stack
// argument area); which location holds which argument is exactly what the
// lowering of the type computes for a caller, so the decoder is read off
// the same Lowering, once per target: AMD64 has 6 integer argument
// registers and arm64 8, so their stack arguments differ.
//
// Only scalars are decoded: a struct by value, a variadic type, a result
// in memory or in two registers give no constructor (the report says why).
//
//===----------------------------------------------------------------------===//
#include "gotramp/bind/Bind.h"

#include "gotramp/support/Naming.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"

namespace gotramp {
namespace {

llvm::Error error(const llvm::Twine &Message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), Message);
}

constexpr const char *VariadicReason =
    "it is variadic: a Go callback cannot know which variadic arguments it got";

std::string paramWhat(const Function &F, size_t I) {
  return F.Params[I].Name.empty() ? "parameter " + std::to_string(I + 1)
                                  : "parameter '" + F.Params[I].Name + "'";
}

/// The Go expression of one scalar argument, of Go type Go, from its
/// native location.
llvm::Expected<std::string> decodeArg(const Type &C, const std::string &Go, const ArgMove &M,
                                      CallbackDecoder &D) {
  const NativeLoc &L = M.To;
  const std::string Raw = L.OnStack ? "fr.Stack(" + std::to_string(L.StackOffset) + ")"
                          : L.Class == RegClass::Float ? "fr.Float(" + std::to_string(L.Index) + ")"
                                                       : "fr.Int(" + std::to_string(L.Index) + ")";
  switch (C.Kind) {
  case TypeKind::Bool:
    // C's _Bool is one byte; the bits above it are unspecified.
    return Raw + "&0xff != 0";
  case TypeKind::Integer:
  case TypeKind::Enum:
  case TypeKind::FunctionPointer:
    // A conversion to a narrower Go integer truncates: the unspecified
    // upper bits of a narrow argument (AAPCS64) go.
    return Go == "uint64" ? Raw : Go + "(" + Raw + ")";
  case TypeKind::Float:
    D.UsesMath = true;
    if (C.Size == 4)
      return "math.Float32frombits(uint32(" + Raw + "))";
    return "math.Float64frombits(" + Raw + ")";
  case TypeKind::Pointer: {
    // Through unsafe.Pointer accessors: a uintptr converted in Go code
    // would be a vet warning.
    std::string Ptr = L.OnStack ? "fr.StackPointer(" + std::to_string(L.StackOffset) + ")"
                                : "fr.IntPointer(" + std::to_string(L.Index) + ")";
    return Go == "unsafe.Pointer" ? Ptr : "(" + Go + ")(" + Ptr + ")";
  }
  default:
    return error("its type '" + C.Spelling + "' (Go " + Go +
                 ") is not a scalar a callback can decode");
  }
}

/// The statements that store the Go result `r` of Go type Go.
llvm::Error storeResult(const Type &C, const std::string &Go, CallbackDecoder &D) {
  std::vector<std::string> &S = D.StoreResult;
  switch (C.Kind) {
  case TypeKind::Bool:
    S = {"var v uint64", "if r {", "\tv = 1", "}", "fr.SetInt(v)"};
    return llvm::Error::success();
  case TypeKind::Integer:
  case TypeKind::Enum:
  case TypeKind::FunctionPointer: {
    // The full register, sign- or zero-extended (the contract of SetInt).
    if (!C.IsSigned || C.Size == 8) {
      S = {Go == "uint64" ? "fr.SetInt(r)" : "fr.SetInt(uint64(r))"};
      return llvm::Error::success();
    }
    std::string Fixed = "int" + std::to_string(C.Size * 8);
    S = {"fr.SetInt(uint64(int64(" + (Go == Fixed ? "r" : Fixed + "(r)") + ")))"};
    return llvm::Error::success();
  }
  case TypeKind::Float:
    D.UsesMath = true;
    S = {C.Size == 4 ? "fr.SetFloat(uint64(math.Float32bits(r)))"
                     : "fr.SetFloat(math.Float64bits(r))"};
    return llvm::Error::success();
  case TypeKind::Pointer:
    if (Go == "unsafe.Pointer") {
      S = {"fr.SetInt(uint64(uintptr(r)))"};
    } else {
      D.UsesUnsafe = true;
      S = {"fr.SetInt(uint64(uintptr(unsafe.Pointer(r))))"};
    }
    return llvm::Error::success();
  default:
    return error("its result type '" + C.Spelling + "' is not a scalar a callback can return");
  }
}

/// The constructor's Go name: New + the type's Go name, an inline type's
/// from its function's and its parameter's ("sqlite3_exec.callback" ->
/// NewSqlite3ExecCallback).
std::string constructorName(const Function &F) {
  std::string Name = "New";
  for (llvm::StringRef Part : llvm::split(F.Name, '.'))
    Name += goExportedName(Part);
  return Name;
}

std::string funcType(const Lowering &L) {
  std::string Out = "func(";
  for (size_t I = 0; I < L.GoParams.size(); ++I)
    Out += (I ? ", " : "") + L.GoParams[I].first + " " + L.GoParams[I].second.Spelling;
  Out += ")";
  if (L.GoResult)
    Out += " " + L.GoResult->Spelling;
  return Out;
}

} // namespace

llvm::Expected<CallbackDecoder> lowerCallbackDecoder(const Function &F, const Lowering &L) {
  if (F.IsVariadic)
    return error(VariadicReason);
  if (L.Args.size() != F.Params.size())
    return error("its lowering has " + std::to_string(L.Args.size()) + " arguments for " +
                 std::to_string(F.Params.size()) + " parameters");
  CallbackDecoder D;
  for (size_t I = 0; I < F.Params.size(); ++I) {
    const ArgMove &M = L.Args[I];
    if (M.Mode != PassMode::Scalar)
      return error(paramWhat(F, I) + " is a struct or union passed by value, which callbacks "
                   "do not decode");
    auto E = decodeArg(F.Params[I].Ty, L.GoParams[I].second.Spelling, M, D);
    if (!E)
      return error(paramWhat(F, I) + ": " + llvm::toString(E.takeError()));
    D.Args.push_back(std::move(*E));
  }
  if (L.Result) {
    if (L.Result->Mode != PassMode::Scalar)
      return error("its result is a struct or union (returned " +
                   std::string(L.Result->Mode == PassMode::Reference ? "in memory"
                                                                     : "in registers") +
                   "), which callbacks do not return");
    if (llvm::Error E = storeResult(F.Result, L.GoResult->Spelling, D))
      return E;
  }
  return D;
}

void bindCallbacks(const GenerateOptions &Opts, const std::vector<Module> &Modules,
                   const std::vector<std::unique_ptr<TargetABI>> &ABIs,
                   std::map<std::string, std::string> &GoNames, PackagePlan &Plan) {
  // Go constants are not in GoNames (they live in Plan.Go, resolved once).
  std::map<std::string, std::string> Constants;
  for (const GoConstantDecl &C : Plan.Go.Constants)
    Constants.emplace(C.GoName, C.C.Name);
  for (const GoEnumDecl &E : Plan.Go.Enums)
    for (size_t I = 0; I < E.ConstantNames.size(); ++I)
      Constants.emplace(E.ConstantNames[I], E.C.Constants[I].Name);

  for (const Function &F : Modules.front().FunctionTypes) {
    // What the config leaves out of the package takes its callbacks along.
    std::string Owner = F.InlineParameter ? F.Name.substr(0, F.Name.find('.')) : F.Name;
    if (!filteredOut(Owner, Opts.IncludeFunctions, Opts.ExcludeFunctions, "functions").empty())
      continue;
    auto skip = [&](const std::string &Why) {
      Plan.SkippedCallbacks.push_back({F, "no callback constructor: " + Why});
    };
    CallbackConstructor C;
    C.Fn = F;
    C.GoName = constructorName(F);
    std::string Failure;
    for (size_t TI = 0; TI < Modules.size() && Failure.empty(); ++TI) {
      auto It = llvm::find_if(Modules[TI].FunctionTypes,
                              [&](const Function &G) { return G.Name == F.Name; });
      if (It == Modules[TI].FunctionTypes.end()) {
        Failure = "not declared when the headers are parsed for " +
                  ABIs[TI]->target().goName();
        break;
      }
      // Before lowering, whose reason for a variadic type is about callers.
      if (It->IsVariadic) {
        Failure = VariadicReason;
        break;
      }
      auto L = lowerFunction(*It, Modules[TI], *ABIs[TI]);
      if (!L) {
        Failure = llvm::toString(L.takeError());
        break;
      }
      std::string Type = funcType(*L);
      if (TI == 0) {
        C.FuncType = Type;
        C.HasResult = L->GoResult.has_value();
        if (C.HasResult)
          C.GoResult = L->GoResult->Spelling;
        C.FuncTypeUsesUnsafe = llvm::any_of(L->GoParams, [](const auto &P) {
          return P.second.UsesUnsafe;
        }) || (L->GoResult && L->GoResult->UsesUnsafe);
      } else if (Type != C.FuncType) {
        Failure = "its Go signature differs between targets: '" + C.FuncType + "' vs '" + Type +
                  "'";
        break;
      }
      auto D = lowerCallbackDecoder(*It, *L);
      if (!D) {
        Failure = llvm::toString(D.takeError());
        if (Modules.size() > 1)
          Failure += " (on " + ABIs[TI]->target().goName() + ")";
        break;
      }
      C.Decoders.push_back(std::move(*D));
    }
    if (!Failure.empty()) {
      skip(Failure);
      continue;
    }
    // Both end up in Go source: the Go name and the C name as a string.
    auto ASCII = [](llvm::StringRef S) {
      return llvm::all_of(S, [](char Ch) { return llvm::isAlnum(Ch) || Ch == '_' || Ch == '.'; });
    };
    if (!ASCII(C.GoName) || !ASCII(F.Name)) {
      skip("its name '" + F.Name + "' is not ASCII");
      continue;
    }
    if (auto K = Constants.find(C.GoName); K != Constants.end()) {
      skip("its Go name " + C.GoName + " is already taken by the constant '" + K->second + "'");
      continue;
    }
    auto [It, Inserted] = GoNames.emplace(C.GoName, F.Name);
    if (!Inserted) {
      skip("its Go name " + C.GoName + " is already taken by '" + It->second + "'");
      continue;
    }
    Plan.Callbacks.push_back(std::move(C));
  }
}

} // namespace gotramp
