#include "gotramp/abi/ABI.h"

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

Type charType(bool Signed) {
  Type T = intType(1, Signed);
  T.Flavor = IntegerFlavor::Char;
  T.Spelling = "char";
  return T;
}

Lowering lowerFor(Arch A, const Function &F) {
  auto ABI = createTargetABI(Target{A});
  EXPECT_TRUE(static_cast<bool>(ABI));
  auto L = lowerFunction(F, Module{}, **ABI);
  if (!L) {
    ADD_FAILURE() << llvm::toString(L.takeError());
    return {};
  }
  return std::move(*L);
}

Lowering lowerAMD64(const Function &F) { return lowerFor(Arch::AMD64, F); }
Lowering lowerARM64(const Function &F) { return lowerFor(Arch::ARM64, F); }

/// Where an argument should go: a register name, or "[N]" for the stack
/// slot at N bytes from SP at the call.
std::string where(const NativeLoc &L) {
  return L.OnStack ? "[" + std::to_string(L.StackOffset) + "]" : L.Register;
}

/// Checks every argument's location against Want, in order.
void expectLocations(const Lowering &L, const std::vector<std::string> &Want) {
  ASSERT_EQ(L.Args.size(), Want.size());
  for (size_t I = 0; I < Want.size(); ++I) {
    EXPECT_EQ(where(L.Args[I].To), Want[I])
        << "argument " << I << " (" << L.Args[I].From.Name << ")";
    if (L.Args[I].To.OnStack)
      EXPECT_TRUE(L.Args[I].To.Register.empty()) << I;
  }
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

// Renamed parameters (assembler names, keywords) never take a C name that
// is used as it is, and every Go name is distinct.
TEST(ABI0Frame, RenamedParametersStayDistinct) {
  Function F = fn("f", intType(8, true), {intType(8, true), intType(8, true), intType(8, true),
                                          intType(8, true), intType(8, true), intType(8, true)});
  const char *Names[] = {"g", "g_", "SP", "SP_", "", "p4"};
  for (size_t I = 0; I < F.Params.size(); ++I)
    F.Params[I].Name = Names[I];
  Lowering L = lowerAMD64(F);
  std::vector<std::string> Got;
  for (const auto &[Name, Ty] : L.GoParams)
    Got.push_back(Name);
  EXPECT_EQ(Got, (std::vector<std::string>{"g__", "g_", "SP__", "SP_", "p4_", "p4"}));
  for (size_t I = 0; I < Got.size(); ++I)
    EXPECT_EQ(L.Frame.Params[I].Name, Got[I]) << "the frame operands use the Go names";
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
  // A record the module does not define cannot be laid out.
  EXPECT_NE(lowerError(fn("byval", Type{}, {Rec})).find("not defined"), std::string::npos);

  Function Variadic = fn("printf_like", intType(4, true), {pointerTo(intType(1, true))});
  Variadic.IsVariadic = true;
  EXPECT_NE(lowerError(Variadic).find("variadic"), std::string::npos);
}

TEST(TargetABI, BothLinuxTargets) {
  auto AMD = createTargetABI(Target{Arch::AMD64});
  ASSERT_TRUE(static_cast<bool>(AMD));
  EXPECT_EQ((*AMD)->target().goName(), "linux/amd64");
  auto ARM = createTargetABI(Target{Arch::ARM64});
  ASSERT_TRUE(static_cast<bool>(ARM));
  EXPECT_EQ((*ARM)->target().goName(), "linux/arm64");
  auto Bad = parseTarget("windows/amd64");
  ASSERT_FALSE(static_cast<bool>(Bad));
  EXPECT_NE(llvm::toString(Bad.takeError()).find("linux/amd64"), std::string::npos);
}

// System V: the 7th integer and the 9th floating-point argument take the
// first stack slots, in argument order, 8 bytes each.
TEST(SysVLowering, StackArgumentsInOrder) {
  std::vector<Type> Seven(7, intType(8, true));
  Lowering L = lowerAMD64(fn("seven", intType(8, true), Seven));
  expectLocations(L, {"DI", "SI", "DX", "CX", "R8", "R9", "[0]"});
  EXPECT_EQ(L.Args[6].To.Index, 0u);
  EXPECT_EQ(L.Args[6].To.Class, RegClass::Integer);
  EXPECT_EQ(L.StackArgsBytes, 8u);

  std::vector<Type> Nine(9, floatType(8));
  L = lowerAMD64(fn("nine", floatType(8), Nine));
  expectLocations(L, {"X0", "X1", "X2", "X3", "X4", "X5", "X6", "X7", "[0]"});
  EXPECT_EQ(L.Args[8].To.Class, RegClass::Float);
  EXPECT_EQ(L.StackArgsBytes, 8u);
  EXPECT_EQ(L.Result->From.Register, "X0");

  // No stack arguments: no area.
  L = lowerAMD64(fn("six", Type{}, std::vector<Type>(6, intType(8, true))));
  EXPECT_EQ(L.StackArgsBytes, 0u);
}

// Ten integers and ten doubles interleaved: each class fills its registers,
// and the overflow of both classes shares one sequence of slots.
TEST(SysVLowering, MixedOverflowSharesTheSlots) {
  std::vector<Type> Params;
  for (int I = 0; I < 10; ++I) {
    Params.push_back(intType(8, true));
    Params.push_back(floatType(8));
  }
  Lowering L = lowerAMD64(fn("mix20", intType(8, true), Params));
  expectLocations(L, {"DI", "X0", "SI", "X1", "DX", "X2", "CX", "X3", "R8", "X4",
                      "R9", "X5", "[0]", "X6", "[8]", "X7", "[16]", "[24]", "[32]", "[40]"});
  EXPECT_EQ(L.StackArgsBytes, 48u);
  // Stack slots are numbered among themselves.
  EXPECT_EQ(L.Args[17].To.Index, 3u);
  EXPECT_EQ(L.Args[17].To.Class, RegClass::Float);
}

// Narrow integers on the stack are extended to the whole 8-byte slot; in
// registers, System V extends only what is narrower than 32 bits.
TEST(SysVLowering, NarrowStackArgumentsFillTheSlot) {
  std::vector<Type> Params(6, intType(8, true));
  for (Type T : {intType(1, true), intType(1, false), intType(2, true), intType(2, false),
                 intType(4, true), intType(4, false), boolType(), charType(true), floatType(4)})
    Params.push_back(T);
  Lowering L = lowerAMD64(fn("narrow", intType(8, true), Params));
  expectLocations(L, {"DI", "SI", "DX", "CX", "R8", "R9", "[0]", "[8]", "[16]", "[24]", "[32]",
                      "[40]", "[48]", "[56]", "X0"});
  const Extension Ext[] = {Extension::Sign, Extension::Zero, Extension::Sign,
                           Extension::Zero, Extension::Sign, Extension::Zero,
                           Extension::Zero, Extension::Sign};
  for (size_t I = 0; I < 8; ++I)
    EXPECT_EQ(L.Args[6 + I].Ext, Ext[I]) << "stack argument " << I;
  EXPECT_TRUE(L.Args[14].IsFloat32);
  EXPECT_EQ(L.StackArgsBytes, 64u);

  // In a register, a 32-bit value needs no extension (MOVL zero-extends).
  L = lowerAMD64(fn("regs", Type{}, {intType(4, true), intType(4, false)}));
  EXPECT_EQ(L.Args[0].Ext, Extension::None);
  EXPECT_EQ(L.Args[1].Ext, Extension::None);
}

// AAPCS64: X0-X7 and V0-V7 (R0-R7, F0-F7 in Go's assembler), results in
// R0 / F0; every integer narrower than 64 bits is extended, which AAPCS64
// does not require (done defensively).
TEST(AAPCS64Lowering, RegistersAndExtension) {
  Lowering L = lowerARM64(fn("eight", intType(2, true),
                             {intType(1, true), intType(1, false), intType(2, true),
                              intType(2, false), intType(4, true), intType(4, false),
                              intType(8, true), pointerTo(intType(8, true))}));
  expectLocations(L, {"R0", "R1", "R2", "R3", "R4", "R5", "R6", "R7"});
  const Extension Ext[] = {Extension::Sign, Extension::Zero, Extension::Sign, Extension::Zero,
                           Extension::Sign, Extension::Zero, Extension::None, Extension::None};
  for (size_t I = 0; I < 8; ++I)
    EXPECT_EQ(L.Args[I].Ext, Ext[I]) << I;
  EXPECT_EQ(L.StackArgsBytes, 0u);
  EXPECT_EQ(L.Result->From.Register, "R0");
  EXPECT_EQ(L.Result->To.Offset, 32u);

  L = lowerARM64(fn("mix", floatType(4),
                    {floatType(8), intType(4, true), floatType(4), pointerTo(floatType(4))}));
  expectLocations(L, {"F0", "R0", "F1", "R1"});
  EXPECT_FALSE(L.Args[0].IsFloat32);
  EXPECT_TRUE(L.Args[2].IsFloat32);
  EXPECT_EQ(L.Result->From.Register, "F0");
  EXPECT_TRUE(L.Result->IsFloat32);
}

// Plain char is unsigned on arm64 Linux: the frontend records it in the
// type, and the lowering zero-extends it; a signed char is sign-extended.
TEST(AAPCS64Lowering, CharFollowsTheTarget) {
  Lowering L = lowerARM64(fn("chars", charType(false), {charType(false), intType(1, true)}));
  EXPECT_EQ(L.Args[0].Ext, Extension::Zero);
  EXPECT_EQ(L.Args[1].Ext, Extension::Sign);
  L = lowerAMD64(fn("chars", charType(true), {charType(true)}));
  EXPECT_EQ(L.Args[0].Ext, Extension::Sign);
}

// The 9th integer and the 9th floating-point argument go to the stack.
TEST(AAPCS64Lowering, StackArguments) {
  std::vector<Type> Params;
  for (int I = 0; I < 10; ++I) {
    Params.push_back(intType(8, true));
    Params.push_back(floatType(8));
  }
  Lowering L = lowerARM64(fn("mix20", intType(8, true), Params));
  expectLocations(L, {"R0", "F0", "R1", "F1", "R2", "F2", "R3", "F3", "R4", "F4",
                      "R5", "F5", "R6", "F6", "R7", "F7", "[0]", "[8]", "[16]", "[24]"});
  EXPECT_EQ(L.StackArgsBytes, 32u);

  std::vector<Type> Narrow(8, intType(8, true));
  for (Type T : {intType(1, true), intType(2, false), intType(4, true), boolType(),
                 charType(false)})
    Narrow.push_back(T);
  for (int I = 0; I < 9; ++I)
    Narrow.push_back(floatType(4));
  L = lowerARM64(fn("narrow", Type{}, Narrow));
  std::vector<std::string> Want = {"R0", "R1", "R2", "R3", "R4", "R5", "R6", "R7",
                                   "[0]", "[8]", "[16]", "[24]", "[32]",
                                   "F0", "F1", "F2", "F3", "F4", "F5", "F6", "F7", "[40]"};
  expectLocations(L, Want);
  const Extension Ext[] = {Extension::Sign, Extension::Zero, Extension::Sign, Extension::Zero,
                           Extension::Zero};
  for (size_t I = 0; I < 5; ++I)
    EXPECT_EQ(L.Args[8 + I].Ext, Ext[I]) << "stack argument " << I;
  EXPECT_TRUE(L.Args[21].IsFloat32);
  EXPECT_EQ(L.Args[21].To.Class, RegClass::Float);
  EXPECT_EQ(L.StackArgsBytes, 48u);
}

// Both targets reject what neither supports with the same reasons.
TEST(AAPCS64Lowering, UnsupportedSignaturesSayWhy) {
  Function Variadic = fn("printf_like", intType(4, true), {pointerTo(intType(1, true))});
  Variadic.IsVariadic = true;
  auto ABI = createTargetABI(Target{Arch::ARM64});
  auto L = lowerFunction(Variadic, Module{}, **ABI);
  ASSERT_FALSE(static_cast<bool>(L));
  EXPECT_NE(llvm::toString(L.takeError()).find("variadic"), std::string::npos);
}
