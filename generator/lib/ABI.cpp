//===- ABI.cpp - lowering a C signature to a trampoline plan ---------------===//
#include "gotramp/ABI.h"

#include "gotramp/Naming.h"

#include "llvm/ADT/Twine.h"

#include <array>

namespace gotramp {

static llvm::Error reason(const llvm::Twine &Why) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), Why);
}

static uint64_t alignTo(uint64_t V, uint64_t A) { return A ? (V + A - 1) / A * A : V; }

ABI0Frame layoutABI0(const std::vector<std::pair<std::string, GoType>> &Params,
                     const std::optional<GoType> &Result, uint64_t PtrSize) {
  ABI0Frame Frame;
  uint64_t Offset = 0;
  for (const auto &[Name, Ty] : Params) {
    Offset = alignTo(Offset, Ty.Align);
    Frame.Params.push_back({Name, Offset, Ty.Size});
    Offset += Ty.Size;
  }
  if (Result) {
    Offset = alignTo(Offset, PtrSize);
    Offset = alignTo(Offset, Result->Align);
    // asmdecl names a single unnamed result "ret".
    Frame.Result = FrameSlot{"ret", Offset, Result->Size};
    Offset += Result->Size;
  }
  Frame.ArgsSize = Offset;
  return Frame;
}

std::string Lowering::goSignature() const {
  std::string S = "func " + GoName + "(";
  for (size_t I = 0; I < GoParams.size(); ++I) {
    if (I)
      S += ", ";
    S += GoParams[I].first + " " + GoParams[I].second.Spelling;
  }
  S += ")";
  if (GoResult)
    S += " " + GoResult->Spelling;
  return S;
}

TargetABI::~TargetABI() = default;

namespace {

/// Integer-class values narrower than 32 bits are widened as clang-compiled
/// callees assume (sign for signed types, zero for unsigned and bool).
Extension extensionFor(const Type &T) {
  if (T.Kind == TypeKind::Bool)
    return Extension::Zero;
  bool IsIntegral = T.Kind == TypeKind::Integer || T.Kind == TypeKind::Enum;
  if (!IsIntegral || T.Size >= 4)
    return Extension::None;
  return T.IsSigned ? Extension::Sign : Extension::Zero;
}

/// Register-only conventions shared by System V x86-64 and AAPCS64 for the
/// scalar cases: arguments take the next register of their class in order.
class RegisterOnlyABI : public TargetABI {
public:
  RegisterOnlyABI(Target T, std::vector<std::string> IntArgs, std::vector<std::string> FloatArgs,
                  std::string IntResult, std::string FloatResult)
      : Tgt(T), IntArgs(std::move(IntArgs)), FloatArgs(std::move(FloatArgs)),
        IntResult(std::move(IntResult)), FloatResult(std::move(FloatResult)) {}

  const Target &target() const override { return Tgt; }

  llvm::Error assign(const Function &F, Lowering &L) const override {
    if (F.IsVariadic)
      return reason("variadic functions need call shapes declared in the config, which this "
                    "version does not support yet");
    unsigned NextInt = 0, NextFloat = 0;
    for (size_t I = 0; I < F.Params.size(); ++I) {
      const GoType &GT = L.GoParams[I].second;
      ArgMove Move;
      Move.From = L.Frame.Params[I];
      Move.Ext = extensionFor(F.Params[I].Ty);
      Move.IsFloat32 = GT.IsFloat && GT.Size == 4;
      if (GT.IsFloat) {
        if (NextFloat == FloatArgs.size())
          return reason("more than " + llvm::Twine(FloatArgs.size()) +
                        " floating-point arguments: stack arguments are not supported yet");
        Move.To = {RegClass::Float, NextFloat, FloatArgs[NextFloat]};
        ++NextFloat;
      } else {
        if (NextInt == IntArgs.size())
          return reason("more than " + llvm::Twine(IntArgs.size()) +
                        " integer or pointer arguments: stack arguments are not supported yet");
        Move.To = {RegClass::Integer, NextInt, IntArgs[NextInt]};
        ++NextInt;
      }
      L.Args.push_back(Move);
    }
    if (L.GoResult) {
      const GoType &GT = *L.GoResult;
      ResultMove Move;
      Move.To = *L.Frame.Result;
      Move.IsFloat32 = GT.IsFloat && GT.Size == 4;
      Move.From = GT.IsFloat ? NativeLoc{RegClass::Float, 0, FloatResult}
                             : NativeLoc{RegClass::Integer, 0, IntResult};
      L.Result = Move;
    }
    return llvm::Error::success();
  }

private:
  Target Tgt;
  std::vector<std::string> IntArgs, FloatArgs;
  std::string IntResult, FloatResult;
};

} // namespace

llvm::Expected<std::unique_ptr<TargetABI>> createTargetABI(const Target &T) {
  switch (T.Architecture) {
  case Arch::AMD64:
    // System V x86-64: RDI RSI RDX RCX R8 R9, XMM0-7; results in RAX / XMM0.
    return std::make_unique<RegisterOnlyABI>(
        T, std::vector<std::string>{"DI", "SI", "DX", "CX", "R8", "R9"},
        std::vector<std::string>{"X0", "X1", "X2", "X3", "X4", "X5", "X6", "X7"}, "AX", "X0");
  case Arch::ARM64:
    break;
  }
  return reason("target " + T.goName() +
                " has no trampoline emitter yet; supported: linux/amd64");
}

llvm::Expected<Lowering> lowerFunction(const Function &F, const Module &M, const TargetABI &ABI) {
  Lowering L;
  L.GoName = goExportedName(F.Name);
  for (size_t I = 0; I < F.Params.size(); ++I) {
    const Parameter &P = F.Params[I];
    auto GT = goTypeFor(P.Ty, M);
    if (!GT)
      return reason("parameter " + llvm::Twine(I + 1) +
                    (P.Name.empty() ? "" : " '" + P.Name + "'") + ": " +
                    llvm::toString(GT.takeError()));
    L.HasPointerParams |= GT->ContainsPointer;
    L.GoParams.emplace_back(goParamName(P.Name, I), *GT);
  }
  if (F.Result.Kind != TypeKind::Void) {
    auto GT = goTypeFor(F.Result, M);
    if (!GT)
      return reason("result: " + llvm::toString(GT.takeError()));
    L.GoResult = *GT;
  }
  L.Frame = layoutABI0(L.GoParams, L.GoResult);
  if (llvm::Error E = ABI.assign(F, L))
    return std::move(E);
  return L;
}

} // namespace gotramp
