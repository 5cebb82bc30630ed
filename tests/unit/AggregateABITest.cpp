// Aggregates by value: System V eightbyte classification and AAPCS64
// (HFA, composites over 16 bytes by reference, the hidden result pointer),
// and the Go structs that mirror C records.
#include "gotramp/abi/ABI.h"
#include "gotramp/abi/GoTypes.h"

#include <gtest/gtest.h>

using namespace gotramp;

namespace {

Type scalar(TypeKind K, uint64_t Bytes, const char *Spelling) {
  Type T;
  T.Kind = K;
  T.Size = T.Align = Bytes;
  T.IsSigned = true;
  T.Spelling = Spelling;
  return T;
}
Type i64() { return scalar(TypeKind::Integer, 8, "int64_t"); }
Type i32() { return scalar(TypeKind::Integer, 4, "int32_t"); }
Type i8() { return scalar(TypeKind::Integer, 1, "int8_t"); }
Type f32() { return scalar(TypeKind::Float, 4, "float"); }
Type f64() { return scalar(TypeKind::Float, 8, "double"); }

/// Adds a struct (or union) laid out the C way, unless Offsets are given.
Type record(Module &M, const std::string &Name, std::vector<Type> Members, bool Union = false,
            std::vector<uint64_t> Offsets = {}, uint64_t Align = 0) {
  Record R;
  R.Name = Name;
  R.IsUnion = Union;
  R.IsComplete = true;
  uint64_t Off = 0, MaxAlign = 1, End = 0;
  for (size_t I = 0; I < Members.size(); ++I) {
    Field F;
    F.Name = std::string(1, char('a' + I));
    F.Ty = Members[I];
    MaxAlign = std::max(MaxAlign, F.Ty.Align);
    if (!Offsets.empty())
      Off = Offsets[I];
    else if (!Union)
      Off = (Off + F.Ty.Align - 1) / F.Ty.Align * F.Ty.Align;
    F.Offset = Union ? 0 : Off;
    End = std::max(End, F.Offset + F.Ty.Size);
    if (!Union)
      Off = F.Offset + F.Ty.Size;
    R.Fields.push_back(F);
  }
  R.Align = Align ? Align : MaxAlign;
  R.Size = (End + R.Align - 1) / R.Align * R.Align;
  M.Records.push_back(R);
  Type T;
  T.Kind = TypeKind::Record;
  T.Name = Name;
  T.Spelling = "struct " + Name;
  T.Size = R.Size;
  T.Align = R.Align;
  return T;
}

Function fn(Type Result, std::vector<Type> Params) {
  Function F;
  F.Name = F.Symbol = "f";
  F.Result = std::move(Result);
  for (size_t I = 0; I < Params.size(); ++I)
    F.Params.push_back({std::string(1, char('a' + I)), Params[I]});
  return F;
}

Lowering lower(Arch A, const Function &F, const Module &M) {
  auto ABI = createTargetABI(Target{A});
  EXPECT_TRUE(static_cast<bool>(ABI));
  auto L = lowerFunction(F, M, **ABI);
  if (!L) {
    ADD_FAILURE() << llvm::toString(L.takeError());
    return {};
  }
  return std::move(*L);
}

/// "DI:0+8 X0:8+8": register, offset and size of each piece.
std::string pieces(const std::vector<Piece> &Ps) {
  std::string S;
  for (const Piece &P : Ps)
    S += (S.empty() ? "" : " ") + P.Loc.Register + ":" + std::to_string(P.Offset) + "+" +
         std::to_string(P.Size);
  return S;
}

TEST(SysVAggregates, EightbyteClasses) {
  Module M;
  Type DL = record(M, "dl", {f64(), i64()});
  Type F3 = record(M, "f3", {f32(), f32(), f32()});
  Type IF = record(M, "if_", {i32(), f32()});
  Type C3 = record(M, "c3", {i8(), i8(), i8()});
  Lowering L = lower(Arch::AMD64, fn(DL, {DL, F3, IF, C3}), M);
  ASSERT_EQ(L.Args.size(), 4u);
  EXPECT_EQ(L.Args[0].Mode, PassMode::Registers);
  EXPECT_EQ(pieces(L.Args[0].Pieces), "X0:0+8 DI:8+8");
  // Two floats share an SSE eightbyte; the third travels alone as a float.
  EXPECT_EQ(pieces(L.Args[1].Pieces), "X1:0+8 X2:8+4");
  // An int and a float in one eightbyte: INTEGER wins.
  EXPECT_EQ(pieces(L.Args[2].Pieces), "SI:0+8");
  EXPECT_EQ(pieces(L.Args[3].Pieces), "DX:0+3");
  EXPECT_EQ(L.Result->Mode, PassMode::Registers);
  EXPECT_EQ(pieces(L.Result->Pieces), "X0:0+8 AX:8+8");
  EXPECT_EQ(L.ArgClasses[1], (ABIClass{"direct", {"f8", "f4"}}));
}

TEST(SysVAggregates, MemoryClassAndHiddenPointer) {
  Module M;
  Type Big = record(M, "big", {i64(), i64(), i64()});
  Type Packed = record(M, "pk", {i8(), i32()}, false, {0, 1}, 1);
  Lowering L = lower(Arch::AMD64, fn(Big, {Big, i64(), Packed}), M);
  // The hidden result pointer takes RDI, so the first integer is in RSI.
  EXPECT_EQ(L.Result->Mode, PassMode::Reference);
  EXPECT_EQ(L.Result->HiddenPointer, "DI");
  EXPECT_EQ(L.Args[0].Mode, PassMode::StackCopy);
  EXPECT_EQ(L.Args[0].To.StackOffset, 0u);
  EXPECT_EQ(L.Args[1].To.Register, "SI");
  // A member at an offset its alignment does not divide: MEMORY.
  EXPECT_EQ(L.Args[2].Mode, PassMode::StackCopy);
  EXPECT_EQ(L.Args[2].To.StackOffset, 24u);
  EXPECT_EQ(L.StackArgsBytes, 32u);
  EXPECT_EQ(L.ResultClass.Kind, "indirect");
  EXPECT_EQ(L.ArgClasses[0].Kind, "memory");
}

TEST(SysVAggregates, NoRegisterSplitAcrossStack) {
  Module M;
  Type Pair = record(M, "pair", {i64(), i64()});
  // Five integers leave one register: the pair goes to the stack whole and
  // the next integer still takes R9.
  Lowering L = lower(Arch::AMD64, fn(Type{}, {i64(), i64(), i64(), i64(), i64(), Pair, i64()}), M);
  EXPECT_EQ(L.Args[5].Mode, PassMode::StackCopy);
  EXPECT_EQ(L.Args[6].To.Register, "R9");
}

TEST(AAPCS64Aggregates, HFAAndComposites) {
  Module M;
  Type F4 = record(M, "f4", {f32(), f32(), f32(), f32()});
  Type D2 = record(M, "d2", {f64(), f64()});
  Type LC = record(M, "lc", {i64(), i8()});
  Type Big = record(M, "big", {i64(), i64(), i64()});
  Lowering L = lower(Arch::ARM64, fn(Big, {F4, D2, LC, Big}), M);
  EXPECT_EQ(pieces(L.Args[0].Pieces), "F0:0+4 F1:4+4 F2:8+4 F3:12+4");
  EXPECT_EQ(pieces(L.Args[1].Pieces), "F4:0+8 F5:8+8");
  EXPECT_EQ(pieces(L.Args[2].Pieces), "R0:0+8 R1:8+8");
  // Over 16 bytes: a copy in the outgoing area, its address in X2.
  EXPECT_EQ(L.Args[3].Mode, PassMode::Reference);
  EXPECT_EQ(L.Args[3].To.Register, "R2");
  EXPECT_EQ(L.Args[3].CopyOffset, 0u);
  EXPECT_EQ(L.StackArgsBytes, 24u);
  // The hidden result pointer is X8 and takes no argument register.
  EXPECT_EQ(L.Result->HiddenPointer, "R8");
  EXPECT_EQ(L.ArgClasses[3].Kind, "indirect");
}

TEST(AAPCS64Aggregates, SpillExhaustsTheClass) {
  Module M;
  Type LC = record(M, "lc", {i64(), i8()});
  std::vector<Type> Args(7, i64());
  Args.push_back(LC);
  Args.push_back(i64());
  Lowering L = lower(Arch::ARM64, fn(Type{}, Args), M);
  // One register left, two needed: the struct goes to the stack, and so
  // does every later integer argument (NGRN = 8).
  EXPECT_EQ(L.Args[7].Mode, PassMode::StackCopy);
  EXPECT_EQ(L.Args[7].To.StackOffset, 0u);
  EXPECT_TRUE(L.Args[8].To.OnStack);
  EXPECT_EQ(L.Args[8].To.StackOffset, 16u);
  // Clang's arrangement does not model the spill.
  EXPECT_EQ(L.ArgClasses[7], (ABIClass{"direct", {"int", "int"}}));
}

TEST(AAPCS64Aggregates, UnionOfHFAsIsAnHFA) {
  Module M;
  Type F2 = record(M, "f2", {f32(), f32()});
  Type U = record(M, "u", {F2, f32()}, /*Union=*/true);
  Lowering L = lower(Arch::ARM64, fn(U, {U}), M);
  EXPECT_EQ(pieces(L.Args[0].Pieces), "F0:0+4 F1:4+4");
  EXPECT_EQ(pieces(L.Result->Pieces), "F0:0+4 F1:4+4");
}

TEST(Aggregates, Rejections) {
  Module M;
  Type Bits = record(M, "bits", {i32(), i32()});
  M.Records.back().Fields[0].BitWidth = 3;
  auto ABI = createTargetABI(Target{Arch::AMD64});
  auto L = lowerFunction(fn(Type{}, {Bits}), M, **ABI);
  ASSERT_FALSE(static_cast<bool>(L));
  EXPECT_NE(llvm::toString(L.takeError()).find("bit-field"), std::string::npos);

  Type Over = record(M, "over", {i64()}, false, {}, /*Align=*/16);
  L = lowerFunction(fn(Type{}, {Over}), M, **ABI);
  ASSERT_FALSE(static_cast<bool>(L));
  EXPECT_NE(llvm::toString(L.takeError()).find("aligned to 16"), std::string::npos);
}

std::string fields(const GoStruct &S) {
  std::string Out;
  for (const GoField &F : S.Fields)
    Out += (Out.empty() ? "" : "; ") + F.Name + " " + F.Type + "@" + std::to_string(F.Offset);
  return Out;
}

TEST(GoStructs, CLayoutReproduced) {
  Module M;
  record(M, "pt", {f64(), i32()});
  EXPECT_EQ(fields(goStructFor(M.Records.back(), M)), "A float64@0; B int32@8");
  // Packed: the misaligned int32 becomes bytes, the struct stays 5 bytes.
  record(M, "pk", {i8(), i32()}, false, {0, 1}, 1);
  GoStruct Pk = goStructFor(M.Records.back(), M);
  EXPECT_EQ(fields(Pk), "A int8@0; B [4]byte@1");
  EXPECT_EQ(Pk.Size, 5u);
  // aligned(8) on int32 members: a zero-size uint64 array gives Go's
  // struct the alignment, and with it C's tail padding.
  record(M, "al", {i32()}, false, {}, 8);
  EXPECT_EQ(fields(goStructFor(M.Records.back(), M)), "_ [0]uint64@0; A int32@0");
  // A gap C left (a member at a larger offset than Go would put it).
  record(M, "gap", {i8(), i8()}, false, {0, 4}, 1);
  EXPECT_EQ(fields(goStructFor(M.Records.back(), M)), "A int8@0; _ [3]byte@1; B int8@4");
  record(M, "un", {f64(), i32()}, /*Union=*/true);
  EXPECT_EQ(fields(goStructFor(M.Records.back(), M)), "_ [0]uint64@0; Raw [8]byte@0");
  record(M, "wide", {i64()}, false, {}, 16);
  EXPECT_NE(goStructFor(M.Records.back(), M).Inexpressible, "");
}

} // namespace
