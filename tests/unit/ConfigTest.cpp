#include "gotramp/config/Options.h"
#include "gotramp/support/TextDiff.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/raw_ostream.h"

#include <gtest/gtest.h>

using namespace gotramp;

namespace {

class ConfigTest : public ::testing::Test {
protected:
  void SetUp() override { ASSERT_FALSE(llvm::sys::fs::createUniqueDirectory("gotramp-cfg", Dir)); }
  void TearDown() override { llvm::sys::fs::remove_directories(Dir); }

  std::string write(const std::string &Text) {
    std::string Path = (Dir + "/gotramp.json").str();
    std::error_code EC;
    llvm::raw_fd_ostream OS(Path, EC);
    OS << Text;
    return Path;
  }

  std::string errorFor(const std::string &Text) {
    GenerateOptions Opts;
    llvm::Error E = applyConfigFile(write(Text), Opts);
    if (!E) {
      ADD_FAILURE() << "accepted: " << Text;
      return "";
    }
    return llvm::toString(std::move(E));
  }

  llvm::SmallString<128> Dir;
};

} // namespace

TEST_F(ConfigTest, ReadsEveryKeyAndResolvesPathsAgainstTheFile) {
  std::string Path = write(R"({
    "package": "lib", "out": "gen", "headers": ["inc/a.h"],
    "objects": ["x.o", "linux/arm64=arm/x.o", "/abs/y.a"],
    "targets": ["linux/amd64"], "clang_args": ["-DX=1"], "strict": true,
    "frame_bytes": 8192, "link_mode": "static",
    "functions": {"include": ["^lib_"], "exclude": ["_internal$"], "unknown_bound": "own_stack",
                  "overrides": {"lib_f": {"go_name": "F", "call_path": "direct",
                                          "frame_bytes": 100, "retain": ["p"]}}},
    "types": {"exclude": ["^LIB_PRIVATE"]},
    "renames": {"lib_g": "G"}
  })");
  GenerateOptions Opts;
  ASSERT_FALSE(static_cast<bool>(applyConfigFile(Path, Opts)));
  EXPECT_EQ(Opts.Package, "lib");
  EXPECT_EQ(Opts.OutDir, (Dir + "/gen").str());
  ASSERT_EQ(Opts.Headers.size(), 1u);
  EXPECT_EQ(Opts.Headers[0], (Dir + "/inc/a.h").str());
  ASSERT_EQ(Opts.Objects.size(), 3u);
  EXPECT_EQ(Opts.Objects[0], (Dir + "/x.o").str());
  EXPECT_EQ(Opts.Objects[1], "linux/arm64=" + (Dir + "/arm/x.o").str());
  EXPECT_EQ(Opts.Objects[2], "/abs/y.a");
  EXPECT_EQ(Opts.ClangArgs, std::vector<std::string>{"-DX=1"});
  EXPECT_TRUE(Opts.Strict);
  EXPECT_EQ(Opts.FrameBytes, 8192u);
  EXPECT_EQ(Opts.Link, LinkMode::Static);
  EXPECT_TRUE(Opts.UnknownBoundToOwnStack);
  EXPECT_EQ(Opts.IncludeFunctions, std::vector<std::string>{"^lib_"});
  EXPECT_EQ(Opts.ExcludeFunctions, std::vector<std::string>{"_internal$"});
  EXPECT_EQ(Opts.ExcludeTypes, std::vector<std::string>{"^LIB_PRIVATE"});
  ASSERT_TRUE(Opts.Overrides.count("lib_f"));
  const FunctionOverride &O = Opts.Overrides["lib_f"];
  EXPECT_EQ(O.GoName, "F");
  EXPECT_EQ(O.FrameBytes, 100u);
  EXPECT_EQ(O.Retain, std::vector<std::string>{"p"});
  EXPECT_EQ(Opts.Renames.at("lib_g"), "G");
}

TEST_F(ConfigTest, CommandLineWins) {
  std::string Path = write(R"({"package": "fromfile", "frame_bytes": 8192,
                              "headers": ["a.h"]})");
  GenerateOptions Opts;
  Opts.Package = "fromcli";
  Opts.FrameBytes = 512;
  Opts.Headers = {"cli.h"};
  ASSERT_FALSE(static_cast<bool>(applyConfigFile(Path, Opts)));
  EXPECT_EQ(Opts.Package, "fromcli");
  EXPECT_EQ(Opts.FrameBytes, 512u);
  EXPECT_EQ(Opts.Headers, std::vector<std::string>{"cli.h"});
}

TEST_F(ConfigTest, ErrorsNameTheKeyPath) {
  EXPECT_NE(errorFor(R"({"pakage": "x"})").find("pakage: unknown key"), std::string::npos);
  EXPECT_NE(errorFor(R"({"functions": {"overrides": {"f": {"frame_byte": 1}}}})")
                .find("functions.overrides.f.frame_byte: unknown key"),
            std::string::npos);
  EXPECT_NE(errorFor(R"({"strict": "yes"})").find("strict: expected true or false"),
            std::string::npos);
  EXPECT_NE(errorFor(R"({"headers": "a.h"})").find("headers: expected an array of strings"),
            std::string::npos);
  EXPECT_NE(errorFor(R"({"frame_bytes": -4})").find("frame_bytes: expected a non-negative"),
            std::string::npos);
  EXPECT_NE(errorFor(R"({"functions": {"exclude": ["(unclosed"]}})")
                .find("functions.exclude: invalid regular expression '(unclosed'"),
            std::string::npos);
  EXPECT_NE(errorFor(R"({"renames": {"f": "lower"}})").find("not an exported Go identifier"),
            std::string::npos);
  EXPECT_NE(errorFor(R"({"link_mode": "dynamic"})").find("link_mode: expected"),
            std::string::npos);
  EXPECT_NE(errorFor(R"({"functions": {"unknown_bound": "guess"}})")
                .find("functions.unknown_bound: expected \"error\" or \"own_stack\""),
            std::string::npos);
  EXPECT_NE(errorFor(R"({"types": {"unknown_bound": "own_stack"}})")
                .find("types.unknown_bound: unknown key"),
            std::string::npos);
  EXPECT_NE(errorFor(R"({"functions": {"overrides": {"f": {"call_path": "fast"}}}})")
                .find("functions.overrides.f.call_path"),
            std::string::npos);
  EXPECT_NE(errorFor("{ not json").find("not valid JSON"), std::string::npos);
  EXPECT_NE(errorFor("[]").find("expected an object"), std::string::npos);
  GenerateOptions Opts;
  llvm::Error Missing = applyConfigFile((Dir + "/absent.json").str(), Opts);
  ASSERT_TRUE(static_cast<bool>(Missing));
  EXPECT_NE(llvm::toString(std::move(Missing)).find("absent.json"), std::string::npos);
}

TEST_F(ConfigTest, VariadicCallShapes) {
  GenerateOptions Opts;
  ASSERT_FALSE(static_cast<bool>(applyConfigFile(
      write(R"({"functions": {"overrides": {"sum": {"variadic": [
                 {"go_name": "Sum2", "args": ["int64_t", "int64_t"]},
                 {"go_name": "SumD", "args": ["double"]}]}}}})"),
      Opts)));
  const std::vector<VariadicShape> &Shapes = Opts.Overrides["sum"].Variadic;
  ASSERT_EQ(Shapes.size(), 2u);
  EXPECT_EQ(Shapes[0].GoName, "Sum2");
  EXPECT_EQ(Shapes[0].Args, (std::vector<std::string>{"int64_t", "int64_t"}));
  EXPECT_NE(errorFor(R"({"functions": {"overrides": {"sum": {"variadic": [{"args": []}]}}}})")
                .find("functions.overrides.sum.variadic[0]"),
            std::string::npos);
  EXPECT_NE(errorFor(R"({"functions": {"overrides": {"sum": {"variadic": [{"go_name": "lower"}]}}}})")
                .find("not an exported Go identifier"),
            std::string::npos);
}

TEST(TextDiff, ShowsChangedLinesWithContext) {
  std::string D = lineDiff("a\nb\nc\nd\n", "a\nb\nX\nd\n", "old", "new");
  EXPECT_NE(D.find("--- old\n+++ new\n"), std::string::npos) << D;
  EXPECT_NE(D.find("-c\n+X\n"), std::string::npos) << D;
  EXPECT_NE(D.find(" b\n"), std::string::npos) << D;
  EXPECT_EQ(lineDiff("same\n", "same\n", "a", "b"), "");
}
