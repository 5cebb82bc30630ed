#include "gotramp/support/Naming.h"

#include <gtest/gtest.h>

using namespace gotramp;

TEST(Naming, ExportedNamesFollowTheContract) {
  EXPECT_EQ(goExportedName("add_i64"), "AddI64");
  EXPECT_EQ(goExportedName("XXH64_digest"), "XXH64Digest");
  EXPECT_EQ(goExportedName("vec3_t"), "Vec3T");
  EXPECT_EQ(goExportedName("rgb_pixel"), "RgbPixel");
  EXPECT_EQ(goExportedName("x_min"), "XMin");
  EXPECT_EQ(goExportedName("__leading__and_double__"), "LeadingAndDouble");
  EXPECT_EQ(goExportedName("f"), "F");
  // A name that would start with a digit is still an exported identifier.
  EXPECT_EQ(goExportedName("_1x"), "X1x");
}

TEST(Naming, ConstantsKeepExportedSpelling) {
  EXPECT_EQ(goConstantName("MATHLIB_VERSION"), "MATHLIB_VERSION");
  EXPECT_EQ(goConstantName("Red"), "Red");
  EXPECT_EQ(goConstantName("color_red"), "ColorRed");
  EXPECT_EQ(goConstantName("_hidden"), "Hidden");
}

TEST(Naming, ParamNamesAvoidKeywordsAndAssemblerNames) {
  EXPECT_EQ(goParamName("a", 0), "a");
  EXPECT_EQ(goParamName("type", 0), "type_");
  EXPECT_EQ(goParamName("func", 1), "func_");
  EXPECT_EQ(goParamName("ret", 0), "ret_");
  EXPECT_EQ(goParamName("g", 0), "g_"); // `g+0(FP)` is a register to the assembler
  EXPECT_EQ(goParamName("int64", 0), "int64_");
  EXPECT_EQ(goParamName("", 3), "p3");
  EXPECT_TRUE(isGoKeyword("select"));
  EXPECT_FALSE(isGoKeyword("len"));
}
