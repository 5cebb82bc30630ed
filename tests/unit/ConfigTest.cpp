#include "gotramp/config/JsonCheck.h"
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

  /// The error, after what was reported on Diag.
  std::string errorFor(const std::string &Text) {
    GenerateOptions Opts;
    DiagText.clear();
    llvm::Error E = applyConfigFile(write(Text), Opts, Diag);
    if (!E) {
      ADD_FAILURE() << "accepted: " << Text;
      return "";
    }
    return DiagText + llvm::toString(std::move(E));
  }

  llvm::SmallString<128> Dir;
  std::string DiagText;
  llvm::raw_string_ostream DiagOS{DiagText};
  Diagnostics Diag{DiagOS};
};

} // namespace

TEST_F(ConfigTest, ReadsEveryKeyAndResolvesPathsAgainstTheFile) {
  std::string Path = write(R"({
    "package": "lib", "out": "gen", "headers": ["inc/a.h"],
    "objects": ["x.o", "linux/arm64=arm/x.o", "/abs/y.a"],
    "targets": ["linux/amd64"], "clang_args": ["-DX=1"], "strict": true,
    "frame_bytes": 8192, "link_mode": "static",
    "functions": {"include": ["^lib_"], "exclude": ["_internal$"],
                  "unknown_bound": "blocking_own_stack",
                  "overrides": {"lib_f": {"go_name": "F", "call_path": "direct",
                                          "frame_bytes": 100, "retain": ["p"]}}},
    "types": {"exclude": ["^LIB_PRIVATE"]},
    "renames": {"lib_g": "G"}
  })");
  GenerateOptions Opts;
  ASSERT_FALSE(static_cast<bool>(applyConfigFile(Path, Opts, Diag)));
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
  EXPECT_EQ(Opts.UnknownBound, "blocking_own_stack");
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

// A first run binds functions whose stack bound is unknown (on the
// own_stack path); "error" restores the old strictness.
TEST_F(ConfigTest, UnknownBoundDefaultsToOwnStack) {
  GenerateOptions Defaults;
  EXPECT_EQ(Defaults.UnknownBound, "own_stack");
  for (const char *Policy : {"own_stack", "blocking_own_stack", "error"}) {
    GenerateOptions Opts;
    std::string Path =
        write(std::string(R"({"functions": {"unknown_bound": ")") + Policy + R"("}})");
    ASSERT_FALSE(static_cast<bool>(applyConfigFile(Path, Opts, Diag))) << Policy;
    EXPECT_EQ(Opts.UnknownBound, Policy);
  }
  GenerateOptions Opts;
  std::string Path = write(
      R"({"functions": {"overrides": {"f": {"call_path": "blocking_own_stack"}}}})");
  ASSERT_FALSE(static_cast<bool>(applyConfigFile(Path, Opts, Diag)));
  EXPECT_EQ(Opts.Overrides["f"].CallPath, "blocking_own_stack");
}

TEST_F(ConfigTest, CommandLineWins) {
  std::string Path = write(R"({"package": "fromfile", "frame_bytes": 8192,
                              "headers": ["a.h"]})");
  GenerateOptions Opts;
  Opts.Package = "fromcli";
  Opts.FrameBytes = 512;
  Opts.Headers = {"cli.h"};
  ASSERT_FALSE(static_cast<bool>(applyConfigFile(Path, Opts, Diag)));
  EXPECT_EQ(Opts.Package, "fromcli");
  EXPECT_EQ(Opts.FrameBytes, 512u);
  EXPECT_EQ(Opts.Headers, std::vector<std::string>{"cli.h"});
}

TEST_F(ConfigTest, LibcModeAndUnknownBound) {
  GenerateOptions Opts;
  ASSERT_FALSE(static_cast<bool>(applyConfigFile(write(R"({"libc": "dynamic"})"), Opts, Diag)));
  EXPECT_EQ(Opts.Libc, LibcMode::Dynamic);
  EXPECT_EQ(Opts.UnknownBound, "own_stack"); // the default in every mode
  GenerateOptions Explicit;
  ASSERT_FALSE(static_cast<bool>(applyConfigFile(
      write(R"({"libc": "none", "functions": {"unknown_bound": "error"}})"), Explicit, Diag)));
  EXPECT_EQ(Explicit.Libc, LibcMode::None);
  EXPECT_EQ(Explicit.UnknownBound, "error");
  // --libc wins over the file.
  GenerateOptions Cli;
  Cli.Libc = LibcMode::None;
  ASSERT_FALSE(static_cast<bool>(applyConfigFile(write(R"({"libc": "dynamic"})"), Cli, Diag)));
  EXPECT_EQ(Cli.Libc, LibcMode::None);
  GenerateOptions Unset;
  ASSERT_FALSE(static_cast<bool>(applyConfigFile(write(R"({})"), Unset, Diag)));
  EXPECT_FALSE(Unset.Libc.has_value());
}

TEST_F(ConfigTest, SharedLibrariesAreNamesOrPathsRelativeToTheFile) {
  GenerateOptions Opts;
  ASSERT_FALSE(static_cast<bool>(applyConfigFile(
      write(R"({"shared_libraries": ["libz.so.1", "linux/arm64=arm/libz.so.1", "lib/libq.so",
                                     "linux/amd64=libzstd.so.1"],
                "shared_library_dirs": ["linux/arm64=arm64-libs"]})"),
      Opts, Diag)));
  // Names are looked up in the library directories, never next to the file.
  EXPECT_EQ(Opts.SharedLibraries,
            (std::vector<std::string>{"libz.so.1", "linux/arm64=" + (Dir + "/arm/libz.so.1").str(),
                                      (Dir + "/lib/libq.so").str(), "linux/amd64=libzstd.so.1"}));
  EXPECT_EQ(Opts.SharedLibraryDirs,
            std::vector<std::string>{"linux/arm64=" + (Dir + "/arm64-libs").str()});
  // --shared-library wins over the file.
  GenerateOptions Cli;
  Cli.SharedLibraries = {"libsqlite3.so.0"};
  ASSERT_FALSE(static_cast<bool>(
      applyConfigFile(write(R"({"shared_libraries": ["libz.so.1"]})"), Cli, Diag)));
  EXPECT_EQ(Cli.SharedLibraries, std::vector<std::string>{"libsqlite3.so.0"});
  EXPECT_NE(errorFor(R"({"shared_libraries": "libz.so.1"})")
                .find("shared_libraries: expected an array of strings"),
            std::string::npos);
}

TEST_F(ConfigTest, ErrorsNameTheKeyPath) {
  EXPECT_NE(errorFor(R"({"libc": "static"})").find("libc: expected \"none\" or \"dynamic\""),
            std::string::npos);
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
                .find("functions.unknown_bound: expected \"own_stack\", \"blocking_own_stack\" "
                      "or \"error\""),
            std::string::npos);
  EXPECT_NE(errorFor(R"({"types": {"unknown_bound": "own_stack"}})")
                .find("types.unknown_bound: unknown key"),
            std::string::npos);
  EXPECT_NE(errorFor(R"({"functions": {"overrides": {"f": {"call_path": "fast"}}}})")
                .find("functions.overrides.f.call_path"),
            std::string::npos);
  EXPECT_NE(errorFor("[]").find("expected an object"), std::string::npos);
  GenerateOptions Opts;
  llvm::Error Missing = applyConfigFile((Dir + "/absent.json").str(), Opts, Diag);
  ASSERT_TRUE(static_cast<bool>(Missing));
  EXPECT_NE(llvm::toString(std::move(Missing)).find("absent.json"), std::string::npos);
}

TEST_F(ConfigTest, VariadicCallShapes) {
  GenerateOptions Opts;
  ASSERT_FALSE(static_cast<bool>(applyConfigFile(
      write(R"({"functions": {"overrides": {"sum": {"variadic": [
                 {"go_name": "Sum2", "args": ["int64_t", "int64_t"]},
                 {"go_name": "SumD", "args": ["double"]}]}}}})"),
      Opts, Diag)));
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

TEST_F(ConfigTest, InvalidJsonIsReportedAtItsLineAndColumn) {
  std::string Path = (Dir + "/gotramp.json").str();
  // Line 3, column 13: the stray "x".
  std::string Message = errorFor("{\n  \"package\": \"p\",\n  \"strict\": x\n}\n");
  EXPECT_EQ(Message.rfind(Path + ":3:13: error: syntax error while parsing value - invalid "
                                 "literal; last read: '",
                          0),
            0u)
      << Message;
  EXPECT_NE(Message.find("cannot read the config " + Path), std::string::npos) << Message;
  // nlohmann's own "at line 3, column 13" is not repeated.
  EXPECT_EQ(Message.find("json.exception"), std::string::npos) << Message;
  EXPECT_EQ(Message.find("at line"), std::string::npos) << Message;
  // A missing comma: at the start of the string after it. A text that ends
  // early: at its end.
  EXPECT_EQ(errorFor("{\"package\": \"p\"\n \"strict\": true}").rfind(Path + ":2:2: error: ", 0),
            0u);
  EXPECT_EQ(errorFor("{\n\"package\": \"p\",").rfind(Path + ":2:16: error: ", 0), 0u);
  // An invalid literal, which the parser finds at the character after it:
  // at its start.
  EXPECT_EQ(errorFor("{\"strict\": tru\n}").rfind(Path + ":1:12: error: ", 0), 0u);
  EXPECT_EQ(errorFor("{\"strict\": tru}").rfind(Path + ":1:12: error: ", 0), 0u);
  // A number the parser did not expect: at its first digit.
  EXPECT_EQ(errorFor("{\"frame_bytes\": 12 345}").rfind(Path + ":1:20: error: ", 0), 0u);
}

TEST_F(ConfigTest, ARepeatedKeyIsAnErrorNamingItAndBothLines) {
  std::string Path = (Dir + "/gotramp.json").str();
  std::string Message = errorFor(R"({
  "functions": {
    "exclude": ["^a$"],
    "overrides": {"f": {"frame_bytes": 64}},
    "exclude": ["^b$"]
  }
})");
  EXPECT_EQ(Message.rfind(Path + ":5:5: error: duplicate key 'functions.exclude' (first on line 3)",
                          0),
            0u)
      << Message;
  // Inside arrays and nested objects, and with escapes in the key.
  Message = errorFor(R"({"functions": {"overrides": {"sum": {"variadic": [
    {"go_name": "A"}, {"go_name": "B", "args": [], "go_name": "C"}]}}}})");
  EXPECT_NE(Message.find(":2:52: error: duplicate key "
                         "'functions.overrides.sum.variadic[1].go_name' (first on line 2)"),
            std::string::npos)
      << Message;
  Message = errorFor("{\"renames\": {\"a\\\"b\": \"A\",\n \"a\\\"b\": \"B\"}}");
  EXPECT_NE(Message.find(":2:2: error: duplicate key 'renames.a\"b' (first on line 1)"),
            std::string::npos)
      << Message;
  // Equal keys in different objects are fine.
  GenerateOptions Opts;
  EXPECT_FALSE(static_cast<bool>(applyConfigFile(
      write(R"({"functions": {"exclude": ["^a$"]}, "types": {"exclude": ["^b$"]}})"), Opts, Diag)));
}

TEST(JsonCheck, LineAndColumnOfAnOffset) {
  EXPECT_EQ(lineAndColumn("ab\ncd\n", 0), std::make_pair(1u, 1u));
  EXPECT_EQ(lineAndColumn("ab\ncd\n", 2), std::make_pair(1u, 3u)); // the newline
  EXPECT_EQ(lineAndColumn("ab\ncd\n", 4), std::make_pair(2u, 2u));
  EXPECT_EQ(lineAndColumn("ab\ncd\n", 6), std::make_pair(3u, 1u)); // the end
  EXPECT_FALSE(findJsonProblem(R"({"a": [1, {"a": 2}], "b": {"a": 3}})").has_value());
}
