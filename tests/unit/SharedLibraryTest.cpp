//===- SharedLibraryTest.cpp - reading a shared library's exports ---------===//
//
// SharedLibrary::load on libraries built here with clang and ld.lld: a
// versioned one (a default version next to a compat one, a data symbol, a
// DT_SONAME unlike the file name) and an unversioned one; and the errors:
// a name found nowhere, a library of another machine.
//
//===----------------------------------------------------------------------===//

#include "gotramp/BuildConfig.h"
#include "gotramp/pack/Glibc.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/raw_ostream.h"

#include <gtest/gtest.h>

using namespace gotramp;
using namespace llvm;

namespace {

Target targetFor(Arch A) {
  Target T;
  T.Architecture = A;
  return T;
}

class SharedLibraryTest : public ::testing::Test {
protected:
  void SetUp() override {
    ASSERT_FALSE(sys::fs::createUniqueDirectory("gotramp-shlib-test", Dir));
  }
  void TearDown() override { sys::fs::remove_directories(Dir); }

  std::string path(StringRef Name) const {
    SmallString<256> P(Dir);
    sys::path::append(P, Name);
    return std::string(P);
  }

  /// Builds Out from assembly Asm for Triple, with a version script Map
  /// when it is not empty and DT_SONAME Soname.
  void build(StringRef Triple, StringRef Asm, StringRef Map, StringRef Soname, StringRef Out) {
    std::error_code EC;
    {
      raw_fd_ostream S(path("lib.s"), EC);
      ASSERT_FALSE(EC);
      S << Asm;
      raw_fd_ostream M(path("lib.map"), EC);
      ASSERT_FALSE(EC);
      M << Map;
    }
    std::string Clang = GOTRAMP_TEST_CLANG, Target = "--target=" + Triple.str();
    std::string MapArg = "-Wl,--version-script=" + path("lib.map");
    std::string SonameArg = "-Wl,-soname," + Soname.str(), Src = path("lib.s");
    std::vector<StringRef> Args = {Clang, Target, "-shared", "-nostdlib", "-fuse-ld=lld",
                                   SonameArg, Src, "-o", Out};
    if (!Map.empty())
      Args.push_back(MapArg);
    ASSERT_EQ(sys::ExecuteAndWait(Clang, Args), 0);
  }

  SmallString<128> Dir;
};

const char *Asm = ".text\n.globl a_old, a_new, b\n.type a_old,@function\n"
                  ".type a_new,@function\n.type b,@function\n"
                  "a_old: ret\na_new: ret\nb: ret\n"
                  ".symver a_old, a@S_1.0\n.symver a_new, a@@S_2.0\n"
                  ".data\n.globl d\n.type d,@object\n.size d, 8\nd: .quad 0\n";

} // namespace

TEST_F(SharedLibraryTest, DefaultVersionsDataAndSoname) {
  build("x86_64-linux-gnu", Asm, "S_1.0 { global: b; d; local: *; };\nS_2.0 { } S_1.0;\n",
        "libs.so.3", path("libs.so.3.1.4"));
  auto L = SharedLibrary::load(path("libs.so.3.1.4"), targetFor(Arch::AMD64), {});
  ASSERT_TRUE(bool(L)) << toString(L.takeError());
  EXPECT_EQ(L->Soname, "libs.so.3"); // what the binary will need, not the file name
  auto A = L->lookup("a");
  ASSERT_TRUE(A);
  EXPECT_EQ(A->Version, "S_2.0"); // the default, not the compat S_1.0
  EXPECT_EQ(A->Library, "libs.so.3");
  EXPECT_FALSE(A->Data);
  auto B = L->lookup("b");
  ASSERT_TRUE(B);
  EXPECT_EQ(B->Version, "S_1.0");
  auto D = L->lookup("d");
  ASSERT_TRUE(D);
  EXPECT_TRUE(D->Data);
  EXPECT_FALSE(L->lookup("a_old")); // local under the script
  EXPECT_FALSE(L->lookup("nothing"));
}

TEST_F(SharedLibraryTest, UnversionedLibraryByNameInAnExtraDirectory) {
  build("aarch64-linux-gnu", ".text\n.globl b\n.type b,@function\nb: ret\n", "", "libu.so.1",
        path("libu.so.1"));
  auto L = SharedLibrary::load("libu.so.1", targetFor(Arch::ARM64), {Dir.str().str()});
  ASSERT_TRUE(bool(L)) << toString(L.takeError());
  EXPECT_EQ(L->Path, path("libu.so.1"));
  auto B = L->lookup("b");
  ASSERT_TRUE(B);
  EXPECT_EQ(B->Version, ""); // binds without a version
}

TEST_F(SharedLibraryTest, ErrorsNameTheLibraryAndWhatIsWrong) {
  auto Missing =
      SharedLibrary::load("libgotramp-none.so.9", targetFor(Arch::AMD64), {Dir.str().str()});
  ASSERT_FALSE(bool(Missing));
  std::string M = toString(Missing.takeError());
  EXPECT_NE(M.find("shared library 'libgotramp-none.so.9' for linux/amd64 not found in " +
                   Dir.str().str() + ", /lib/x86_64-linux-gnu"),
            std::string::npos)
      << M;
  EXPECT_NE(M.find("--shared-library linux/amd64=PATH"), std::string::npos) << M;

  build("x86_64-linux-gnu", ".text\n.globl b\n.type b,@function\nb: ret\n", "", "libx.so.1",
        path("libx.so.1"));
  auto Wrong = SharedLibrary::load(path("libx.so.1"), targetFor(Arch::ARM64), {});
  ASSERT_FALSE(bool(Wrong));
  std::string W = toString(Wrong.takeError());
  EXPECT_NE(W.find(path("libx.so.1") + ": built for another machine than linux/arm64"),
            std::string::npos)
      << W;

  auto NotShared = SharedLibrary::load(path("lib.s"), targetFor(Arch::AMD64), {});
  ASSERT_FALSE(bool(NotShared));
  EXPECT_NE(toString(NotShared.takeError()).find("not an ELF file"), std::string::npos);
}
