//===- ABI.cpp - lowering a C signature to a trampoline plan ---------------===//
#include "gotramp/abi/ABI.h"

#include "gotramp/support/Naming.h"

#include "llvm/ADT/Twine.h"

#include <array>
#include <set>

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

/// A scalar inside an aggregate: where it is and which register file it
/// would use.
struct Leaf {
  uint64_t Offset = 0, Size = 0;
  bool IsFloat = false;
};

/// The scalar leaves of a value of type T placed at Base, in layout order
/// (union members overlap). Misaligned is set when a member sits at an
/// offset its type's alignment does not divide (packed structs), which
/// System V sends to memory. The error is the reason T cannot be passed by
/// value.
llvm::Error collectLeaves(const Type &T, const Module &M, uint64_t Base, std::vector<Leaf> &Out,
                          bool &Misaligned) {
  switch (T.Kind) {
  case TypeKind::Bool:
  case TypeKind::Integer:
  case TypeKind::Enum:
  case TypeKind::Pointer:
  case TypeKind::FunctionPointer:
    Out.push_back({Base, T.Size, false});
    return llvm::Error::success();
  case TypeKind::Float:
    if (T.Size != 4 && T.Size != 8)
      return reason("'" + T.Spelling + "' has no Go equivalent");
    Out.push_back({Base, T.Size, true});
    return llvm::Error::success();
  case TypeKind::GoSlice:
  case TypeKind::GoString:
    for (uint64_t Off = 0; Off < (T.Kind == TypeKind::GoSlice ? 24u : 16u); Off += 8)
      Out.push_back({Base + Off, 8, false});
    return llvm::Error::success();
  case TypeKind::Array: {
    const Type *Elem = T.pointee();
    if (!Elem)
      return reason("array '" + T.Spelling + "' has no element type");
    for (uint64_t I = 0; I < T.Count; ++I)
      if (llvm::Error E = collectLeaves(*Elem, M, Base + I * Elem->Size, Out, Misaligned))
        return E;
    return llvm::Error::success();
  }
  case TypeKind::Record: {
    const Record *R = M.findRecord(T.Name);
    if (!R || !R->IsComplete)
      return reason("'" + T.Spelling + "' is incomplete");
    for (const Field &F : R->Fields) {
      if (F.BitWidth)
        return reason("'" + T.Spelling + "' has bit-field '" + F.Name +
                      "'; records with bit-fields cannot be passed by value");
      if (F.Ty.Align && (Base + F.Offset) % F.Ty.Align)
        Misaligned = true;
      if (llvm::Error E = collectLeaves(F.Ty, M, Base + F.Offset, Out, Misaligned))
        return E;
    }
    return llvm::Error::success();
  }
  case TypeKind::Void:
  case TypeKind::Unsupported:
    break;
  }
  return reason(T.UnsupportedReason.empty() ? "'" + T.Spelling + "' cannot be passed by value"
                                            : T.UnsupportedReason);
}

bool isAggregate(const Type &T) {
  return T.Kind == TypeKind::Record || T.Kind == TypeKind::GoSlice ||
         T.Kind == TypeKind::GoString;
}

/// AAPCS64 homogeneous floating-point aggregate: (member size, count) when
/// T is made of 1 to 4 floats or 1 to 4 doubles with no padding.
std::optional<std::pair<uint64_t, uint64_t>> hfaOf(const Type &T, const Module &M) {
  using HFA = std::optional<std::pair<uint64_t, uint64_t>>;
  HFA Result;
  if (T.Kind == TypeKind::Float) {
    Result = std::make_pair(T.Size, uint64_t(1));
  } else if (T.Kind == TypeKind::Array && T.pointee() && T.Count) {
    HFA Elem = hfaOf(*T.pointee(), M);
    if (!Elem)
      return std::nullopt;
    Result = std::make_pair(Elem->first, Elem->second * T.Count);
  } else if (T.Kind == TypeKind::Record) {
    const Record *R = M.findRecord(T.Name);
    if (!R || !R->IsComplete || R->Fields.empty())
      return std::nullopt;
    uint64_t Base = 0, Count = 0;
    for (const Field &F : R->Fields) {
      HFA Member = F.BitWidth ? std::nullopt : hfaOf(F.Ty, M);
      if (!Member || (Base && Member->first != Base))
        return std::nullopt;
      Base = Member->first;
      // A union is as many members as its largest alternative.
      Count = R->IsUnion ? std::max(Count, Member->second) : Count + Member->second;
    }
    Result = std::make_pair(Base, Count);
  } else {
    return std::nullopt;
  }
  if (Result->second < 1 || Result->second > 4 || Result->first * Result->second != T.Size)
    return std::nullopt;
  return Result;
}

std::string pieceName(bool IsFloat, uint64_t Size) {
  return IsFloat ? "f" + std::to_string(Size) : "int";
}

ABIClass directClass(const std::vector<Piece> &Pieces) {
  ABIClass C{"direct", {}};
  for (const Piece &P : Pieces)
    C.Pieces.push_back(pieceName(P.Loc.Class == RegClass::Float, P.Size));
  return C;
}

/// An aggregate's split into register-sized pieces under one convention,
/// before registers are assigned. Empty when it goes to memory.
struct Split {
  std::vector<Piece> Pieces; // Loc.Class set, Loc.Register not yet
  bool ByReference = false;  // AAPCS64: over 16 bytes, not an HFA
  unsigned needed(RegClass C) const {
    unsigned N = 0;
    for (const Piece &P : Pieces)
      N += P.Loc.Class == C;
    return N;
  }
};

/// The register and stack rules System V x86-64 and AAPCS64 (Linux)
/// share for scalars: each argument takes the next argument register of
/// its class (integer/pointer or floating-point, counted separately); once
/// a class has run out, its arguments take the next 8-byte slot of the
/// stack-argument area, in argument order, whatever their class. Slots are
/// 8-byte aligned because no scalar is wider (Linux AAPCS64 rounds every
/// stack argument up to 8 bytes; Apple's packing does not apply). Narrow
/// values are extended to the whole slot: clang's callees on both targets
/// load just the argument's own width from a slot, so this only makes
/// every byte of the area defined.
///
/// Aggregates differ per target (splitAggregate) and in what running out
/// of registers does: System V leaves the remaining registers to later
/// arguments; AAPCS64 marks the class exhausted (rules C.11, C.14).
struct Convention {
  std::vector<std::string> IntArgs, FloatArgs;
  std::vector<std::string> IntResults, FloatResults;
  /// Integer arguments narrower than this many bytes are extended in their
  /// register: 4 on amd64 (clang's callees assume 32-bit extension), 8 on
  /// arm64 (AAPCS64 does not require it; done defensively, at no cost: a
  /// widening load is one instruction like a plain one).
  uint64_t RegisterWidenBelow = 4;
  std::string HiddenResultPointer; // "DI" (also the 1st argument), "R8"
  bool HiddenPointerTakesArgRegister = false;
  bool ExhaustClassOnSpill = false; // AAPCS64
  Arch Architecture = Arch::AMD64;
};

class CallingConvention : public TargetABI {
public:
  CallingConvention(Target T, Convention CC) : Tgt(T), CC(std::move(CC)) {}

  const Target &target() const override { return Tgt; }

  llvm::Error assign(const Function &F, const Module &M, Lowering &L) const override {
    if (F.IsVariadic)
      return reason("variadic functions need call shapes declared in the config "
                    "(functions.variadic)");
    unsigned NextInt = 0, NextFloat = 0, NextSlot = 0;
    std::vector<ArgMove *> References;
    // The result first: a System V hidden pointer takes the 1st register.
    if (L.GoResult) {
      ResultMove Move;
      Move.To = *L.Frame.Result;
      const Type &RT = F.Result;
      if (isAggregate(RT)) {
        auto S = splitAggregate(RT, M, /*IsResult=*/true);
        if (!S)
          return S.takeError();
        if (S->Pieces.empty()) {
          Move.Mode = PassMode::Reference;
          Move.HiddenPointer = CC.HiddenResultPointer;
          NextInt += CC.HiddenPointerTakesArgRegister;
          L.ResultClass = {"indirect", {}};
        } else {
          Move.Mode = PassMode::Registers;
          unsigned Int = 0, Float = 0;
          for (Piece &P : S->Pieces) {
            bool IsFloat = P.Loc.Class == RegClass::Float;
            unsigned &N = IsFloat ? Float : Int;
            P.Loc.Index = N;
            P.Loc.Register = (IsFloat ? CC.FloatResults : CC.IntResults)[N++];
          }
          Move.Pieces = S->Pieces;
          L.ResultClass = directClass(Move.Pieces);
        }
      } else {
        const GoType &GT = *L.GoResult;
        Move.IsFloat32 = GT.IsFloat && GT.Size == 4;
        Move.From = GT.IsFloat ? NativeLoc{RegClass::Float, 0, CC.FloatResults[0]}
                               : NativeLoc{RegClass::Integer, 0, CC.IntResults[0]};
        L.ResultClass = {"direct", {pieceName(GT.IsFloat, GT.Size)}};
      }
      L.Result = Move;
    } else {
      L.ResultClass = {"void", {}};
    }

    auto takeSlots = [&](ArgMove &Move, RegClass Class, uint64_t Bytes) {
      Move.To.Class = Class;
      Move.To.Index = NextSlot;
      Move.To.OnStack = true;
      Move.To.StackOffset = NextSlot * StackSlotBytes;
      NextSlot += (Bytes + StackSlotBytes - 1) / StackSlotBytes;
    };
    auto scalar = [&](ArgMove &Move, const Type &Ty, bool IsFloat) {
      RegClass Class = IsFloat ? RegClass::Float : RegClass::Integer;
      const std::vector<std::string> &Regs = IsFloat ? CC.FloatArgs : CC.IntArgs;
      unsigned &Next = IsFloat ? NextFloat : NextInt;
      if (Next < Regs.size()) {
        Move.To = {Class, Next, Regs[Next]};
        Move.Ext = extensionFor(Ty, CC.RegisterWidenBelow);
        ++Next;
      } else {
        takeSlots(Move, Class, StackSlotBytes);
        Move.Ext = extensionFor(Ty, StackSlotBytes);
      }
    };

    for (size_t I = 0; I < F.Params.size(); ++I) {
      const GoType &GT = L.GoParams[I].second;
      const Type &Ty = F.Params[I].Ty;
      ArgMove Move;
      Move.From = L.Frame.Params[I];
      if (!isAggregate(Ty)) {
        if (GT.Size > StackSlotBytes)
          return reason("parameter " + llvm::Twine(I + 1) + " is " + llvm::Twine(GT.Size) +
                        " bytes wide; only scalars of up to 8 bytes are supported");
        Move.IsFloat32 = GT.IsFloat && GT.Size == 4;
        scalar(Move, Ty, GT.IsFloat);
        L.ArgClasses.push_back({"direct", {pieceName(GT.IsFloat, GT.Size)}});
        L.Args.push_back(Move);
        continue;
      }
      auto S = splitAggregate(Ty, M, /*IsResult=*/false);
      if (!S)
        return reason("parameter " + llvm::Twine(I + 1) + ": " + llvm::toString(S.takeError()));
      if (S->ByReference) {
        Move.Mode = PassMode::Reference;
        scalar(Move, Ty, /*IsFloat=*/false);
        Move.Ext = Extension::None;
        L.ArgClasses.push_back({"indirect", {}});
        L.Args.push_back(Move);
        continue;
      }
      unsigned NeedInt = S->needed(RegClass::Integer), NeedFloat = S->needed(RegClass::Float);
      bool Fits = !S->Pieces.empty() && NextInt + NeedInt <= CC.IntArgs.size() &&
                  NextFloat + NeedFloat <= CC.FloatArgs.size();
      if (Fits) {
        Move.Mode = PassMode::Registers;
        for (Piece &P : S->Pieces) {
          bool IsFloat = P.Loc.Class == RegClass::Float;
          unsigned &Next = IsFloat ? NextFloat : NextInt;
          P.Loc.Index = Next;
          P.Loc.Register = (IsFloat ? CC.FloatArgs : CC.IntArgs)[Next++];
        }
        Move.Pieces = S->Pieces;
        L.ArgClasses.push_back(directClass(Move.Pieces));
      } else {
        Move.Mode = PassMode::StackCopy;
        if (CC.ExhaustClassOnSpill && !S->Pieces.empty()) {
          if (NeedFloat)
            NextFloat = CC.FloatArgs.size();
          else
            NextInt = CC.IntArgs.size();
        }
        takeSlots(Move, NeedFloat && !NeedInt ? RegClass::Float : RegClass::Integer, GT.Size);
        // Clang's AAPCS64 arrangement does not model the spill; on System V,
        // once no integer register is left, Clang passes an aggregate of up
        // to 8 bytes as an integer, which lands in the same stack slot.
        if (CC.ExhaustClassOnSpill && !S->Pieces.empty())
          L.ArgClasses.push_back(directClass(S->Pieces));
        else if (!CC.ExhaustClassOnSpill && NextInt >= CC.IntArgs.size() && GT.Size <= 8)
          L.ArgClasses.push_back({"direct", {"int"}});
        else
          L.ArgClasses.push_back({"memory", {}});
      }
      L.Args.push_back(Move);
    }
    // The copies Reference arguments point to sit above the stack slots.
    uint64_t End = NextSlot * StackSlotBytes;
    for (ArgMove &Move : L.Args) {
      if (Move.Mode != PassMode::Reference)
        continue;
      Move.CopyOffset = (End + 15) / 16 * 16;
      End = Move.CopyOffset + Move.From.Size;
    }
    L.StackArgsBytes = End;
    return llvm::Error::success();
  }

private:
  /// How the convention splits an aggregate of type T: pieces with their
  /// register class, nothing (memory / hidden result pointer), or by
  /// reference (AAPCS64 arguments over 16 bytes).
  llvm::Expected<Split> splitAggregate(const Type &T, const Module &Mod, bool IsResult) const {
    std::vector<Leaf> Leaves;
    bool Misaligned = false;
    const Module *M = &Mod;
    if (llvm::Error E = collectLeaves(T, *M, 0, Leaves, Misaligned))
      return std::move(E);
    if (T.Size == 0)
      return reason("'" + T.Spelling + "' is empty; empty structs have no C ABI meaning");
    if (T.Align > 8)
      return reason("'" + T.Spelling + "' is aligned to " + llvm::Twine(T.Align) +
                    " bytes; no Go type is aligned to more than 8");
    Split S;
    if (CC.Architecture == Arch::AMD64) {
      // System V: over two eightbytes or an unaligned member: memory.
      if (T.Size > 16 || Misaligned)
        return S;
      enum { None, Integer, SSE } Classes[2] = {None, None};
      uint64_t FloatEnd[2] = {0, 0};
      for (const Leaf &Lf : Leaves)
        for (uint64_t EB = Lf.Offset / 8; EB <= (Lf.Offset + Lf.Size - 1) / 8; ++EB) {
          if (Lf.IsFloat && Classes[EB] != Integer) {
            Classes[EB] = SSE;
            FloatEnd[EB] = std::max(FloatEnd[EB], Lf.Offset + Lf.Size - EB * 8);
          } else {
            Classes[EB] = Integer;
          }
        }
      for (uint64_t EB = 0; EB * 8 < T.Size; ++EB) {
        if (Classes[EB] == None)
          return reason("'" + T.Spelling + "' has an eightbyte of padding only");
        Piece P;
        P.Offset = EB * 8;
        P.Size = std::min<uint64_t>(8, T.Size - EB * 8);
        P.Loc.Class = Classes[EB] == SSE ? RegClass::Float : RegClass::Integer;
        // An SSE eightbyte holding one float and padding travels as a float.
        if (Classes[EB] == SSE)
          P.Size = FloatEnd[EB] <= 4 ? 4 : 8;
        S.Pieces.push_back(P);
      }
      return S;
    }
    // AAPCS64.
    if (auto HFA = hfaOf(T, *M)) {
      for (uint64_t I = 0; I < HFA->second; ++I) {
        Piece P;
        P.Offset = I * HFA->first;
        P.Size = HFA->first;
        P.Loc.Class = RegClass::Float;
        S.Pieces.push_back(P);
      }
      return S;
    }
    if (T.Size > 16) {
      S.ByReference = !IsResult;
      return S;
    }
    for (uint64_t Off = 0; Off < T.Size; Off += 8) {
      Piece P;
      P.Offset = Off;
      P.Size = std::min<uint64_t>(8, T.Size - Off);
      P.Loc.Class = RegClass::Integer;
      S.Pieces.push_back(P);
    }
    return S;
  }

  Target Tgt;
  Convention CC;
};

} // namespace

llvm::Expected<std::unique_ptr<TargetABI>> createTargetABI(const Target &T) {
  switch (T.Architecture) {
  case Arch::AMD64:
    // System V x86-64: RDI RSI RDX RCX R8 R9, XMM0-7; results in RAX / XMM0.
    return std::make_unique<CallingConvention>(
        T, Convention{{"DI", "SI", "DX", "CX", "R8", "R9"},
                      {"X0", "X1", "X2", "X3", "X4", "X5", "X6", "X7"},
                      {"AX", "DX"},
                      {"X0", "X1"},
                      /*RegisterWidenBelow=*/4,
                      /*HiddenResultPointer=*/"DI",
                      /*HiddenPointerTakesArgRegister=*/true,
                      /*ExhaustClassOnSpill=*/false,
                      Arch::AMD64});
  case Arch::ARM64:
    // AAPCS64: X0-X7, V0-V7 (Go's assembler names R0-R7, F0-F7); results in
    // X0 / V0. The procedure-call standard leaves the bits of a register
    // above a narrow argument unspecified and clang's callees extend
    // themselves, so extending in the trampoline is defensive only: it also
    // covers callees from compilers that follow Apple's rule (caller
    // extends to 32 bits) and costs nothing (LDRSB instead of LDRB).
    return std::make_unique<CallingConvention>(
        T, Convention{{"R0", "R1", "R2", "R3", "R4", "R5", "R6", "R7"},
                      {"F0", "F1", "F2", "F3", "F4", "F5", "F6", "F7"},
                      {"R0", "R1"},
                      {"F0", "F1", "F2", "F3"},
                      /*RegisterWidenBelow=*/8,
                      /*HiddenResultPointer=*/"R8",
                      /*HiddenPointerTakesArgRegister=*/false,
                      /*ExhaustClassOnSpill=*/true,
                      Arch::ARM64});
  }
  return reason("target " + T.goName() + " has no calling convention in gotramp");
}

llvm::Expected<Lowering> lowerFunction(const Function &F, const Module &M, const TargetABI &ABI) {
  Lowering L;
  L.GoName = goExportedName(F.Name);
  // A C name Go can use as it is keeps it; a renamed one (`g` -> `g_`) must
  // not take another's (`g_`).
  std::set<std::string> Taken;
  for (size_t I = 0; I < F.Params.size(); ++I)
    if (goParamName(F.Params[I].Name, I) == F.Params[I].Name)
      Taken.insert(F.Params[I].Name);
  for (size_t I = 0; I < F.Params.size(); ++I) {
    const Parameter &P = F.Params[I];
    if (P.Ty.Kind == TypeKind::Array)
      return reason("parameter " + llvm::Twine(I + 1) + ": array '" + P.Ty.Spelling +
                    "' passed by value has no C calling convention");
    auto GT = goTypeFor(P.Ty, M);
    if (!GT)
      return reason("parameter " + llvm::Twine(I + 1) +
                    (P.Name.empty() ? "" : " '" + P.Name + "'") + ": " +
                    llvm::toString(GT.takeError()));
    L.HasPointerParams |= GT->ContainsPointer;
    std::string Name = goParamName(P.Name, I);
    if (Name != P.Name)
      while (!Taken.insert(Name).second)
        Name += "_";
    L.GoParams.emplace_back(std::move(Name), *GT);
  }
  if (F.Result.Kind == TypeKind::Array)
    return reason("result: array '" + F.Result.Spelling + "' returned by value");
  if (F.Result.Kind != TypeKind::Void) {
    auto GT = goTypeFor(F.Result, M);
    if (!GT)
      return reason("result: " + llvm::toString(GT.takeError()));
    L.GoResult = *GT;
  }
  L.Frame = layoutABI0(L.GoParams, L.GoResult);
  if (llvm::Error E = ABI.assign(F, M, L))
    return std::move(E);
  return L;
}

} // namespace gotramp
