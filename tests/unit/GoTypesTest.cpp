#include "gotramp/abi/GoTypes.h"

#include <gtest/gtest.h>

using namespace gotramp;

namespace {

Type integer(unsigned Bytes, bool Signed, IntegerFlavor Flavor = IntegerFlavor::Plain) {
  Type T;
  T.Kind = TypeKind::Integer;
  T.Size = T.Align = Bytes;
  T.IsSigned = Signed;
  T.Flavor = Flavor;
  T.Spelling = "int";
  return T;
}

Type of(TypeKind K, unsigned Bytes = 8) {
  Type T;
  T.Kind = K;
  T.Size = T.Align = Bytes;
  T.Spelling = "t";
  return T;
}

Type pointerTo(Type P) {
  Type T = of(TypeKind::Pointer);
  T.Element.push_back(std::move(P));
  return T;
}

std::string go(const Type &T, const Module &M = Module{}) {
  auto G = goTypeFor(T, M);
  if (!G)
    return "error: " + llvm::toString(G.takeError());
  return G->Spelling;
}

} // namespace

TEST(GoTypes, ScalarTable) {
  EXPECT_EQ(go(integer(1, true)), "int8");
  EXPECT_EQ(go(integer(1, false)), "uint8");
  EXPECT_EQ(go(integer(2, true)), "int16");
  EXPECT_EQ(go(integer(4, false)), "uint32");
  EXPECT_EQ(go(integer(8, true)), "int64");
  EXPECT_EQ(go(integer(1, true, IntegerFlavor::Char)), "byte");
  EXPECT_EQ(go(integer(1, false, IntegerFlavor::Char)), "byte");
  EXPECT_EQ(go(integer(8, false, IntegerFlavor::Size)), "uintptr");
  EXPECT_EQ(go(integer(8, true, IntegerFlavor::PtrDiff)), "int");
  EXPECT_EQ(go(of(TypeKind::Bool, 1)), "bool");
  EXPECT_EQ(go(of(TypeKind::Float, 4)), "float32");
  EXPECT_EQ(go(of(TypeKind::Float, 8)), "float64");
  EXPECT_EQ(go(of(TypeKind::FunctionPointer)), "uintptr");
  EXPECT_NE(go(integer(16, true)).find("128-bit"), std::string::npos);
  EXPECT_EQ(go(of(TypeKind::Void)).rfind("error:", 0), 0u);
}

TEST(GoTypes, Pointers) {
  EXPECT_EQ(go(pointerTo(of(TypeKind::Void, 0))), "unsafe.Pointer");
  EXPECT_EQ(go(pointerTo(integer(8, true))), "*int64");
  EXPECT_EQ(go(pointerTo(integer(1, true, IntegerFlavor::Char))), "*byte");
  EXPECT_EQ(go(pointerTo(pointerTo(integer(1, true, IntegerFlavor::Char)))), "**byte");
  Type Rec = of(TypeKind::Record, 24);
  Rec.Name = "vec3";
  EXPECT_EQ(go(pointerTo(Rec)), "unsafe.Pointer"); // records are not Go types yet
  auto G = goTypeFor(pointerTo(integer(4, true)), Module{});
  ASSERT_TRUE(static_cast<bool>(G));
  EXPECT_TRUE(G->ContainsPointer);
  EXPECT_FALSE(G->UsesUnsafe);
}

TEST(GoTypes, EnumsAreNamedIntegerTypes) {
  Module M;
  Enum E;
  E.Name = "log_level";
  E.Underlying = integer(4, false);
  M.Enums.push_back(E);
  Type T = of(TypeKind::Enum, 4);
  T.Name = "log_level";
  EXPECT_EQ(go(T, M), "LogLevel");
  T.Name = "missing";
  EXPECT_NE(go(T, M).find("not defined"), std::string::npos);
}
