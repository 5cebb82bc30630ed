#include "gotramp/ABI.h"

#include <gtest/gtest.h>

using namespace gotramp;

namespace {

Type intType(unsigned Bytes, bool Signed) {
  Type T;
  T.Kind = TypeKind::Integer;
  T.Size = T.Align = Bytes;
  T.IsSigned = Signed;
  T.Spelling = (Signed ? "int" : "uint") + std::to_string(Bytes * 8) + "_t";
  return T;
}

Type floatType(unsigned Bytes) {
  Type T;
  T.Kind = TypeKind::Float;
  T.Size = T.Align = Bytes;
  T.Spelling = Bytes == 4 ? "float" : "double";
  return T;
}

Type boolType() {
  Type T;
  T.Kind = TypeKind::Bool;
  T.Size = T.Align = 1;
  T.Spelling = "bool";
  return T;
}

Type pointerTo(Type Pointee) {
  Type T;
  T.Kind = TypeKind::Pointer;
  T.Size = T.Align = 8;
  T.Spelling = Pointee.Spelling + " *";
  T.Element.push_back(std::move(Pointee));
  return T;
}

Function fn(std::string Name, Type Result, std::vector<Type> Params) {
  Function F;
  F.Name = F.Symbol = Name;
  F.Result = std::move(Result);
  char ParamName = 'a';
  for (Type &P : Params)
    F.Params.push_back({std::string(1, ParamName++), std::move(P)});
  return F;
}

Lowering lowerAMD64(const Function &F) {
  auto ABI = createTargetABI(Target{Arch::AMD64});
  EXPECT_TRUE(static_cast<bool>(ABI));
  auto L = lowerFunction(F, Module{}, **ABI);
  if (!L) {
    ADD_FAILURE() << llvm::toString(L.takeError());
    return {};
  }
  return std::move(*L);
}

std::string lowerError(const Function &F) {
  auto ABI = createTargetABI(Target{Arch::AMD64});
  auto L = lowerFunction(F, Module{}, **ABI);
  if (L) {
    ADD_FAILURE() << F.Name << " lowered, expected an error";
    return "";
  }
  return llvm::toString(L.takeError());
}

} // namespace

// Offsets as `go vet`'s asmdecl check computes them.
TEST(ABI0Frame, MatchesAsmdecl) {
  // func Cas(ptr *uint32, old, new uint32) bool is $0-17 in the runtime.
  GoType Ptr{"*uint32", 8, 8}, U32{"uint32", 4, 4}, Bool{"bool", 1, 1};
  ABI0Frame F = layoutABI0({{"ptr", Ptr}, {"old", U32}, {"new", U32}}, Bool);
  ASSERT_EQ(F.Params.size(), 3u);
  EXPECT_EQ(F.Params[1].Offset, 8u);
  EXPECT_EQ(F.Params[2].Offset, 12u);
  EXPECT_EQ(F.Result->Offset, 16u);
  EXPECT_EQ(F.Result->Name, "ret");
  EXPECT_EQ(F.ArgsSize, 17u);

  // Narrow arguments pack; the result starts at the next 8-byte boundary.
  GoType I8{"int8", 1, 1}, I16{"int16", 2, 2}, F64{"float64", 8, 8, true};
  F = layoutABI0({{"a", I8}, {"b", I8}, {"c", I16}, {"d", U32}, {"e", F64}}, I8);
  EXPECT_EQ(F.Params[1].Offset, 1u);
  EXPECT_EQ(F.Params[2].Offset, 2u);
  EXPECT_EQ(F.Params[3].Offset, 4u);
  EXPECT_EQ(F.Params[4].Offset, 8u);
  EXPECT_EQ(F.Result->Offset, 16u);
  EXPECT_EQ(F.ArgsSize, 17u);

  // A 4-byte argument after a 1-byte one is aligned up.
  F = layoutABI0({{"a", I8}, {"b", U32}}, std::nullopt);
  EXPECT_EQ(F.Params[1].Offset, 4u);
  EXPECT_EQ(F.ArgsSize, 8u);
  EXPECT_FALSE(F.Result.has_value());

  F = layoutABI0({}, std::nullopt);
  EXPECT_EQ(F.ArgsSize, 0u);
}

TEST(SysVLowering, IntegerArgumentsTakeRegistersInOrder) {
  Lowering L = lowerAMD64(fn("six", intType(8, true),
                             {intType(1, true), intType(1, false), intType(2, true),
                              intType(2, false), intType(4, true), intType(8, false)}));
  const char *Regs[] = {"DI", "SI", "DX", "CX", "R8", "R9"};
  const Extension Ext[] = {Extension::Sign, Extension::Zero, Extension::Sign,
                           Extension::Zero, Extension::None, Extension::None};
  ASSERT_EQ(L.Args.size(), 6u);
  for (size_t I = 0; I < 6; ++I) {
    EXPECT_EQ(L.Args[I].To.Register, Regs[I]) << I;
    EXPECT_EQ(L.Args[I].To.Class, RegClass::Integer);
    EXPECT_EQ(L.Args[I].Ext, Ext[I]) << I;
  }
  ASSERT_TRUE(L.Result.has_value());
  EXPECT_EQ(L.Result->From.Register, "AX");
  EXPECT_EQ(L.Result->To.Offset, 24u);
  EXPECT_EQ(L.Frame.ArgsSize, 32u);
  EXPECT_EQ(L.goSignature(), "func Six(a int8, b uint8, c int16, d uint16, e int32, f uint64) int64");
}

TEST(SysVLowering, FloatsAndIntegersCountSeparately) {
  Lowering L = lowerAMD64(
      fn("mix", floatType(4), {floatType(8), intType(4, true), floatType(4), pointerTo(floatType(4))}));
  ASSERT_EQ(L.Args.size(), 4u);
  EXPECT_EQ(L.Args[0].To.Register, "X0");
  EXPECT_FALSE(L.Args[0].IsFloat32);
  EXPECT_EQ(L.Args[1].To.Register, "DI");
  EXPECT_EQ(L.Args[2].To.Register, "X1");
  EXPECT_TRUE(L.Args[2].IsFloat32);
  EXPECT_EQ(L.Args[3].To.Register, "SI");
  EXPECT_TRUE(L.HasPointerParams);
  EXPECT_EQ(L.Result->From.Register, "X0");
  EXPECT_TRUE(L.Result->IsFloat32);
  EXPECT_EQ(L.goSignature(), "func Mix(a float64, b int32, c float32, d *float32) float32");
}

TEST(SysVLowering, BoolIsZeroExtendedAndVoidHasNoResult) {
  Type Void;
  Lowering L = lowerAMD64(fn("set_flag", Void, {boolType()}));
  ASSERT_EQ(L.Args.size(), 1u);
  EXPECT_EQ(L.Args[0].Ext, Extension::Zero);
  EXPECT_FALSE(L.Result.has_value());
  EXPECT_FALSE(L.GoResult.has_value());
  EXPECT_EQ(L.Frame.ArgsSize, 1u);
}

TEST(SysVLowering, UnsupportedSignaturesSayWhy) {
  std::vector<Type> Seven(7, intType(8, true));
  EXPECT_NE(lowerError(fn("seven", intType(8, true), Seven)).find("more than 6 integer"),
            std::string::npos);
  std::vector<Type> NineFloats(9, floatType(8));
  EXPECT_NE(lowerError(fn("nine", Type{}, NineFloats)).find("more than 8 floating-point"),
            std::string::npos);

  Type LongDouble;
  LongDouble.Kind = TypeKind::Unsupported;
  LongDouble.Spelling = "long double";
  LongDouble.UnsupportedReason = "'long double' has no Go equivalent";
  std::string Why = lowerError(fn("ld", Type{}, {LongDouble}));
  EXPECT_NE(Why.find("parameter 1 'a'"), std::string::npos) << Why;
  EXPECT_NE(Why.find("long double"), std::string::npos) << Why;

  Type Rec;
  Rec.Kind = TypeKind::Record;
  Rec.Name = "vec3";
  Rec.Spelling = "struct vec3";
  EXPECT_NE(lowerError(fn("byval", Type{}, {Rec})).find("by value"), std::string::npos);

  Function Variadic = fn("printf_like", intType(4, true), {pointerTo(intType(1, true))});
  Variadic.IsVariadic = true;
  EXPECT_NE(lowerError(Variadic).find("variadic"), std::string::npos);
}

TEST(TargetABI, OnlyAMD64HasAnEmitterYet) {
  EXPECT_TRUE(static_cast<bool>(createTargetABI(Target{Arch::AMD64})));
  auto ARM = createTargetABI(Target{Arch::ARM64});
  ASSERT_FALSE(static_cast<bool>(ARM));
  EXPECT_NE(llvm::toString(ARM.takeError()).find("linux/arm64"), std::string::npos);
  auto Bad = parseTarget("windows/amd64");
  ASSERT_FALSE(static_cast<bool>(Bad));
  EXPECT_NE(llvm::toString(Bad.takeError()).find("linux/amd64"), std::string::npos);
}
