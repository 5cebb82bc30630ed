//===- DiagnosticsTest.cpp - file:line:col diagnostics, each printed once ---===//

#include "gotramp/support/Diagnostics.h"

#include <gtest/gtest.h>

using namespace gotramp;

namespace {

TEST(DiagnosticsTest, RepeatedErrorIsPrintedAndCountedOnce) {
  // The driver sizes frames again after a second packing: the same error
  // must not count as two functions.
  std::string Text;
  llvm::raw_string_ostream OS(Text);
  Diagnostics Diag(OS);
  SourceLocation Loc;
  Loc.File = "f.h";
  Loc.Line = 3;
  Loc.Column = 9;
  Diag.error(Loc, "too small");
  Diag.error(Loc, "too small");
  Diag.warning(Loc, "too small");
  EXPECT_EQ(Diag.errorCount(), 1u);
  Diag.error(Loc, "another");
  EXPECT_EQ(Diag.errorCount(), 2u);
  EXPECT_EQ(Text, "f.h:3:9: error: too small\nf.h:3:9: warning: too small\nf.h:3:9: error: another\n");
}

} // namespace
