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

/// Sign or zero extension for an integer-class value of T that is narrower
/// than WidenBelow bytes; None for wider values and non-integers.
Extension extensionFor(const Type &T, uint64_t WidenBelow) {
  if (T.Kind == TypeKind::Bool)
    return Extension::Zero;
  bool IsIntegral = T.Kind == TypeKind::Integer || T.Kind == TypeKind::Enum;
  if (!IsIntegral || T.Size >= WidenBelow)
    return Extension::None;
  return T.IsSigned ? Extension::Sign : Extension::Zero;
}

/// The register and stack rules for scalar arguments that System V x86-64
/// and AAPCS64 (Linux) share: each argument takes the next argument
/// register of its class (integer/pointer or floating-point, counted
/// separately); once a class has run out, its arguments take the next
/// 8-byte slot of the stack-argument area, in argument order, whatever
/// their class. Slots are 8-byte aligned because no scalar is wider (Linux
/// AAPCS64 rounds every stack argument up to 8 bytes; Apple's packing does
/// not apply). Narrow values are extended to the whole slot: clang's
/// callees on both targets load just the argument's own width from a slot,
/// so this only makes every byte of the area defined.
struct ScalarConvention {
  std::vector<std::string> IntArgs, FloatArgs;
  std::string IntResult, FloatResult;
  /// Integer arguments narrower than this many bytes are extended in their
  /// register: 4 on amd64 (clang's callees assume 32-bit extension), 8 on
  /// arm64 (AAPCS64 does not require it; done defensively, at no cost: a
  /// widening load is one instruction like a plain one).
  uint64_t RegisterWidenBelow = 4;
};

class ScalarABI : public TargetABI {
public:
  ScalarABI(Target T, ScalarConvention CC) : Tgt(T), CC(std::move(CC)) {}

  const Target &target() const override { return Tgt; }

  llvm::Error assign(const Function &F, Lowering &L) const override {
    if (F.IsVariadic)
      return reason("variadic functions need call shapes declared in the config, which this "
                    "version does not support yet");
    unsigned NextInt = 0, NextFloat = 0, NextSlot = 0;
    for (size_t I = 0; I < F.Params.size(); ++I) {
      const GoType &GT = L.GoParams[I].second;
      ArgMove Move;
      Move.From = L.Frame.Params[I];
      Move.IsFloat32 = GT.IsFloat && GT.Size == 4;
      RegClass Class = GT.IsFloat ? RegClass::Float : RegClass::Integer;
      const std::vector<std::string> &Regs = GT.IsFloat ? CC.FloatArgs : CC.IntArgs;
      unsigned &Next = GT.IsFloat ? NextFloat : NextInt;
      if (GT.Size > StackSlotBytes)
        return reason("parameter " + llvm::Twine(I + 1) + " is " + llvm::Twine(GT.Size) +
                      " bytes wide; only scalars of up to 8 bytes are supported");
      if (Next < Regs.size()) {
        Move.To = {Class, Next, Regs[Next]};
        Move.Ext = extensionFor(F.Params[I].Ty, CC.RegisterWidenBelow);
        ++Next;
      } else {
        Move.To.Class = Class;
        Move.To.Index = NextSlot;
        Move.To.OnStack = true;
        Move.To.StackOffset = NextSlot * StackSlotBytes;
        Move.Ext = extensionFor(F.Params[I].Ty, StackSlotBytes);
        ++NextSlot;
      }
      L.Args.push_back(Move);
    }
    L.StackArgsBytes = NextSlot * StackSlotBytes;
    if (L.GoResult) {
      const GoType &GT = *L.GoResult;
      ResultMove Move;
      Move.To = *L.Frame.Result;
      Move.IsFloat32 = GT.IsFloat && GT.Size == 4;
      Move.From = GT.IsFloat ? NativeLoc{RegClass::Float, 0, CC.FloatResult}
                             : NativeLoc{RegClass::Integer, 0, CC.IntResult};
      L.Result = Move;
    }
    return llvm::Error::success();
  }

private:
  Target Tgt;
  ScalarConvention CC;
};

} // namespace

llvm::Expected<std::unique_ptr<TargetABI>> createTargetABI(const Target &T) {
  switch (T.Architecture) {
  case Arch::AMD64:
    // System V x86-64: RDI RSI RDX RCX R8 R9, XMM0-7; results in RAX / XMM0.
    return std::make_unique<ScalarABI>(
        T, ScalarConvention{{"DI", "SI", "DX", "CX", "R8", "R9"},
                            {"X0", "X1", "X2", "X3", "X4", "X5", "X6", "X7"},
                            "AX",
                            "X0",
                            /*RegisterWidenBelow=*/4});
  case Arch::ARM64:
    // AAPCS64: X0-X7, V0-V7 (Go's assembler names R0-R7, F0-F7); results in
    // X0 / V0. The procedure-call standard leaves the bits of a register
    // above a narrow argument unspecified and clang's callees extend
    // themselves, so extending in the trampoline is defensive only: it also
    // covers callees from compilers that follow Apple's rule (caller
    // extends to 32 bits) and costs nothing (LDRSB instead of LDRB).
    return std::make_unique<ScalarABI>(
        T, ScalarConvention{{"R0", "R1", "R2", "R3", "R4", "R5", "R6", "R7"},
                            {"F0", "F1", "F2", "F3", "F4", "F5", "F6", "F7"},
                            "R0",
                            "F0",
                            /*RegisterWidenBelow=*/8});
  }
  return reason("target " + T.goName() + " has no calling convention in gotramp");
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
