#include "gotramp/driver/GoModule.h"

#include "gotramp/BuildConfig.h"
#include "gotramp/plan/Plan.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

#include <gtest/gtest.h>

#include <fstream>

using namespace gotramp;

namespace {

GoModFile parse(llvm::StringRef Text) {
  auto Mod = parseGoMod(Text);
  if (!Mod) {
    ADD_FAILURE() << llvm::toString(Mod.takeError());
    return {};
  }
  return std::move(*Mod);
}

std::string parseError(llvm::StringRef Text) {
  auto Mod = parseGoMod(Text);
  if (Mod)
    return "";
  return llvm::toString(Mod.takeError());
}

/// A fresh directory, removed with everything in it when the test ends.
class TempDir {
public:
  TempDir() {
    EXPECT_FALSE(llvm::sys::fs::createUniqueDirectory("gotramp-gomodule", Path));
    llvm::SmallString<256> Real;
    if (!llvm::sys::fs::real_path(Path, Real))
      Path = Real;
  }
  ~TempDir() { llvm::sys::fs::remove_directories(Path); }
  std::string path(llvm::StringRef Rel = "") const {
    llvm::SmallString<256> P(Path);
    if (!Rel.empty())
      llvm::sys::path::append(P, Rel);
    return std::string(P);
  }
  std::string write(llvm::StringRef Rel, llvm::StringRef Content) const {
    std::string P = path(Rel);
    llvm::sys::fs::create_directories(llvm::sys::path::parent_path(P));
    std::ofstream(P) << Content.str();
    return P;
  }

private:
  llvm::SmallString<256> Path;
};

/// What generate wrote: a Go file importing the shim, or one that does not.
std::vector<std::pair<std::string, std::string>> filesImportingShim(bool Imports) {
  std::string Go = "package p\n";
  if (Imports)
    Go += "\nimport _ \"" + std::string(ShimImportPath) + "\"\n";
  return {{"p.go", Go}, {"p_linux_amd64.s", "TEXT ·F(SB), $0-0\n"}};
}

std::string warnings(llvm::StringRef OutDir, bool Imports, llvm::StringRef Executable = "") {
  std::string Text;
  llvm::raw_string_ostream OS(Text);
  Diagnostics Diag(OS);
  warnIfShimUnresolved(OutDir, filesImportingShim(Imports), Executable, Diag);
  return Text;
}

const std::string Version = std::string("v") + GOTRAMP_VERSION;

std::string realPath(llvm::StringRef Path) {
  llvm::SmallString<256> Real;
  if (llvm::sys::fs::real_path(Path, Real))
    return Path.str();
  return std::string(Real);
}

} // namespace

TEST(GoModule, ReadsModuleAndSingleLineDirectives) {
  GoModFile Mod = parse("module example.com/userlib // the library\n"
                        "\n"
                        "go 1.23\n"
                        "toolchain go1.26.0\n"
                        "require github.com/gotramp/gotramp/runtime-shims/go v0.1.0 // indirect\n"
                        "replace github.com/gotramp/gotramp/runtime-shims/go => /opt/gotramp/go\n"
                        "replace example.com/a v1.2.3 => example.com/b v1.0.0\n"
                        "exclude example.com/c v0.0.1\n");
  EXPECT_EQ(Mod.ModulePath, "example.com/userlib");
  ASSERT_EQ(Mod.Requires.size(), 1u);
  EXPECT_EQ(Mod.Requires[0].Path, ShimModulePath);
  EXPECT_EQ(Mod.Requires[0].Version, "v0.1.0");
  ASSERT_EQ(Mod.Replaces.size(), 2u);
  EXPECT_EQ(Mod.Replaces[0].OldPath, ShimModulePath);
  EXPECT_EQ(Mod.Replaces[0].OldVersion, "");
  EXPECT_EQ(Mod.Replaces[0].NewPath, "/opt/gotramp/go");
  EXPECT_EQ(Mod.Replaces[0].NewVersion, "");
  EXPECT_EQ(Mod.Replaces[1].OldVersion, "v1.2.3");
  EXPECT_EQ(Mod.Replaces[1].NewPath, "example.com/b");
  EXPECT_EQ(Mod.Replaces[1].NewVersion, "v1.0.0");
}

TEST(GoModule, ReadsBlocksQuotesAndCrLf) {
  GoModFile Mod = parse("module \"example.com/quoted\"\r\n"
                        "require (\r\n"
                        "\tfilippo.io/edwards25519 v1.1.0\r\n"
                        "\t// a comment line inside the block\r\n"
                        "\n"
                        "\t`github.com/gotramp/gotramp/runtime-shims/go` v0.1.0\r\n"
                        ")\r\n"
                        "replace(\n"
                        "\tgithub.com/gotramp/gotramp/runtime-shims/go=>./runtime-shims/go\n"
                        ")\n"
                        "retract (\n"
                        "\tv0.0.1 // a block of a directive the reader skips\n"
                        ")\n"
                        "require ()\n");
  EXPECT_EQ(Mod.ModulePath, "example.com/quoted");
  ASSERT_EQ(Mod.Requires.size(), 2u);
  EXPECT_EQ(Mod.Requires[0].Path, "filippo.io/edwards25519");
  EXPECT_EQ(Mod.Requires[1].Path, ShimModulePath);
  EXPECT_TRUE(Mod.requiresModule(ShimModulePath));
  ASSERT_EQ(Mod.Replaces.size(), 1u);
  EXPECT_EQ(Mod.Replaces[0].NewPath, "./runtime-shims/go");
  EXPECT_TRUE(Mod.replacesModule(ShimModulePath));
  EXPECT_FALSE(Mod.replacesModule("filippo.io/edwards25519"));
}

TEST(GoModule, MalformedLinesNameTheLine) {
  EXPECT_EQ(parseError("module a\nrequire b\n"), "line 2: require takes a module path and a version");
  EXPECT_EQ(parseError("module a\n\nreplace b v1 c\n"),
            "line 3: replace takes PATH [VERSION] => PATH [VERSION]");
  EXPECT_EQ(parseError("module a b\n"), "line 1: module takes one path");
  EXPECT_EQ(parseError("module a\nrequire (\n\tb v1.0.0\n"), "line 2: 'require (' is never closed");
  EXPECT_EQ(parseError("module \"a\n"), "line 1: unterminated quoted string");
  EXPECT_EQ(parseError(""), "");
}

TEST(GoModule, WhichModulesResolveTheShim) {
  EXPECT_TRUE(resolvesShimModule(
      parse("module example.com/u\nrequire github.com/gotramp/gotramp/runtime-shims/go v0.1.0\n")));
  EXPECT_TRUE(resolvesShimModule(parse("module github.com/gotramp/gotramp/runtime-shims/go\n")));
  // The repository's root module, as checked out.
  EXPECT_TRUE(resolvesShimModule(parse("module github.com/gotramp/gotramp\n"
                                       "replace github.com/gotramp/gotramp/runtime-shims/go => "
                                       "./runtime-shims/go\n")));
  // Requiring the root module is not enough: its replace does not apply to
  // the modules that require it.
  EXPECT_FALSE(resolvesShimModule(parse("module example.com/u\n"
                                        "require github.com/gotramp/gotramp v0.0.0\n"
                                        "replace github.com/gotramp/gotramp => ../gotramp\n")));
  EXPECT_FALSE(resolvesShimModule(parse("module example.com/u\ngo 1.23\n")));
}

TEST(GoModule, FindsTheNearestEnclosingGoMod) {
  TempDir Dir;
  std::string Outer = Dir.write("go.mod", "module example.com/outer\n");
  std::string Inner = Dir.write("a/go.mod", "module example.com/inner\n");
  llvm::sys::fs::create_directories(Dir.path("a/b/c"));
  llvm::sys::fs::create_directories(Dir.path("d"));
  EXPECT_EQ(findEnclosingGoMod(Dir.path("a/b/c")), Inner);
  EXPECT_EQ(findEnclosingGoMod(Dir.path("a")), Inner);
  EXPECT_EQ(findEnclosingGoMod(Dir.path("d")), Outer);
}

TEST(GoModule, PrefersTheCopyInstalledBesideTheExecutable) {
  TempDir Prefix;
  std::string Exe = Prefix.write("bin/gotramp", "");
  // Not installed: the source tree's copy, from BuildConfig.h.
  EXPECT_EQ(findShimModuleCopy(Exe), realPath(GOTRAMP_GO_MODULE_SOURCE_DIR));
  EXPECT_EQ(findShimModuleCopy(""), realPath(GOTRAMP_GO_MODULE_SOURCE_DIR));
  Prefix.write(std::string(GOTRAMP_GO_MODULE_INSTALL_DIR) + "/go.mod",
               "module github.com/gotramp/gotramp/runtime-shims/go\n");
  EXPECT_EQ(findShimModuleCopy(Exe), Prefix.path(GOTRAMP_GO_MODULE_INSTALL_DIR));
}

TEST(GoModule, WarnsWithTheCommandThatFixesTheModule) {
  TempDir Dir;
  std::string Exe = Dir.write("prefix/bin/gotramp", "");
  std::string Copy = Dir.path(std::string("prefix/") + GOTRAMP_GO_MODULE_INSTALL_DIR);
  Dir.write(std::string("prefix/") + GOTRAMP_GO_MODULE_INSTALL_DIR + "/go.mod",
            "module github.com/gotramp/gotramp/runtime-shims/go\n");
  std::string GoMod = Dir.write("user/go.mod", "module example.com/userlib\n\ngo 1.23\n");
  llvm::sys::fs::create_directories(Dir.path("user/pkg"));

  std::string Text = warnings(Dir.path("user/pkg"), /*Imports=*/true, Exe);
  EXPECT_NE(Text.find("gotramp: warning: the generated package imports " +
                      std::string(ShimImportPath) + ", but module example.com/userlib (" + GoMod +
                      ") does not require " + ShimModulePath),
            std::string::npos)
      << Text;
  std::string Command = "gotramp: warning:   cd " + Dir.path("user") +
                        " && go mod edit -require=" + ShimModulePath + "@" + Version +
                        " -replace=" + ShimModulePath + "=" + Copy + "\n";
  EXPECT_NE(Text.find(Command), std::string::npos) << Text;
  for (llvm::StringRef Line : llvm::split(llvm::StringRef(Text).rtrim('\n'), '\n'))
    EXPECT_TRUE(Line.starts_with("gotramp: warning: ")) << Line.str();

  // A package that does not import the shim needs nothing.
  EXPECT_EQ(warnings(Dir.path("user/pkg"), /*Imports=*/false, Exe), "");

  // After the fix (what `go mod edit` writes), nothing to say.
  Dir.write("user/go.mod", "module example.com/userlib\n\ngo 1.23\n\nrequire " +
                               std::string(ShimModulePath) + " " + Version + "\n\nreplace " +
                               ShimModulePath + " => " + Copy + "\n");
  EXPECT_EQ(warnings(Dir.path("user/pkg"), /*Imports=*/true, Exe), "");
}

TEST(GoModule, WithoutAModuleSaysToCreateOne) {
  TempDir Dir;
  llvm::sys::fs::create_directories(Dir.path("out dir"));
  std::string Text = warnings(Dir.path("out dir"), /*Imports=*/true);
  if (!findEnclosingGoMod(Dir.path()).empty())
    GTEST_SKIP() << "the temporary directory is inside a Go module";
  EXPECT_NE(Text.find("is in no Go module"), std::string::npos) << Text;
  // The path has a space: the printed command quotes it for the shell.
  EXPECT_NE(Text.find("  cd '" + Dir.path("out dir") + "' && go mod init MODULE && go mod edit "
                      "-require=" + ShimModulePath + "@" + Version),
            std::string::npos)
      << Text;
}

TEST(GoModule, UnreadableGoModStillGetsTheFix) {
  TempDir Dir;
  std::string GoMod = Dir.write("go.mod", "module example.com/u\nrequire (\n");
  std::string Text = warnings(Dir.path(), /*Imports=*/true);
  EXPECT_NE(Text.find("cannot read " + GoMod + " (line 2: 'require (' is never closed)"),
            std::string::npos)
      << Text;
  EXPECT_NE(Text.find("go mod edit -require="), std::string::npos) << Text;
}
