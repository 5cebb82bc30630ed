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
  EXPECT_EQ(goParamName("_", 2), "p2");
  EXPECT_EQ(goParamName("SP", 0), "SP_");
  EXPECT_EQ(goParamName("SP_", 0), "SP_") << "no reserved name ends in '_'";
  EXPECT_EQ(goParamName("string", 0), "string_");
  EXPECT_EQ(goParamName("\xC3\xA9", 1), "p1") << "non-ASCII";
  EXPECT_EQ(goParamName("a\xC2\xB7" "b", 2), "p2") << "U+00B7 is in C identifiers, not Go ones";
  EXPECT_TRUE(isGoKeyword("select"));
  EXPECT_FALSE(isGoKeyword("len"));
}

// Names either Go assembler (amd64, arm64) gives a meaning to in an operand:
// `NAME+8(FP)` would not name the argument.
TEST(Naming, AssemblerNames) {
  for (const char *Name :
       {"SP", "FP", "SB", "PC", "g", "AX", "R12", "R8B", "X0", "Y31", "K1", "TLS", // amd64
        "R0", "V0", "F31", "ZR", "RSP", "LR", "R18_PLATFORM",                       // arm64
        "C", "EQ", "J", "PLDL1KEEP", "DAIFSet", "DAIFClr",                          // operands
        "NZCV", "CurrentEL", "SPSel", "SPSR_abt", "MIDR_EL1", "APIAKeyHi_EL1",      // sysregs
        "NOSPLIT", "NO_LOCAL_POINTERS", "PCDATA_UnsafePoint", "ArgsSizeUnknown",    // macros
        "GOOS_linux", "GOARCH_arm64", "GOAMD64_v1", "N", "_1"})
    EXPECT_TRUE(isAssemblerName(Name)) << Name;
  for (const char *Name : {"sp", "x", "x_min", "ret", "SP_", "R0_", "Go_x", "GOod_x", "foo_EL",
                           "foo_ELx", "Spsel", "currentEL"})
    EXPECT_FALSE(isAssemblerName(Name)) << Name;
}
