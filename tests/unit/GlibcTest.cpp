//===- GlibcTest.cpp - glibc's exported symbols and default versions ------===//
//
// The real libraries of both targets (the host's amd64 glibc, Debian's arm64
// cross glibc), and a small shared library built here with clang and ld.lld
// whose symbols have a compat (hidden) version next to the default one, a
// private version and a version newer than the baseline.
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

GlibcExports loadOrDie(const std::vector<std::string> &Paths, const Target &T) {
  auto E = GlibcExports::load(Paths, T);
  if (!E) {
    ADD_FAILURE() << toString(E.takeError());
    return GlibcExports();
  }
  return std::move(*E);
}

TEST(Glibc, VersionsCompareNumerically) {
  EXPECT_TRUE(glibcVersionNewer("GLIBC_2.36", "GLIBC_2.34"));
  EXPECT_TRUE(glibcVersionNewer("GLIBC_2.17", "GLIBC_2.2.5"));
  EXPECT_FALSE(glibcVersionNewer("GLIBC_2.2.5", "GLIBC_2.17"));
  EXPECT_FALSE(glibcVersionNewer("GLIBC_2.34", "GLIBC_2.34"));
  EXPECT_TRUE(glibcVersionNewer("GLIBC_2.34.1", "GLIBC_2.34"));
}

TEST(Glibc, HostAmd64Library) {
  Target T = targetFor(Arch::AMD64);
  GlibcExports G = loadOrDie(glibcLibraryPaths(T), T);
  auto Malloc = G.lookup("malloc");
  ASSERT_TRUE(Malloc);
  EXPECT_EQ(Malloc->Library, "libc.so.6");
  EXPECT_EQ(Malloc->Version, "GLIBC_2.2.5");
  EXPECT_FALSE(Malloc->Data);
  // memcpy@GLIBC_2.2.5 is a compat version; new links bind memcpy@@GLIBC_2.14.
  auto Memcpy = G.lookup("memcpy");
  ASSERT_TRUE(Memcpy);
  EXPECT_EQ(Memcpy->Version, "GLIBC_2.14");
  // Moved from libpthread into libc in 2.34.
  auto Create = G.lookup("pthread_create");
  ASSERT_TRUE(Create);
  EXPECT_EQ(Create->Version, "GLIBC_2.34");
  auto Sqrt = G.lookup("sqrt");
  ASSERT_TRUE(Sqrt);
  EXPECT_EQ(Sqrt->Library, "libm.so.6");
  auto Stderr = G.lookup("stderr");
  ASSERT_TRUE(Stderr);
  EXPECT_TRUE(Stderr->Data);
  auto Arc4 = G.lookup("arc4random"); // new in 2.36 (Debian 12)
  ASSERT_TRUE(Arc4);
  EXPECT_TRUE(glibcVersionNewer(Arc4->Version, GlibcBaseline));
  EXPECT_FALSE(G.lookup("gotramp_no_such_symbol"));
  EXPECT_FALSE(G.lookup("_dl_catch_exception")); // GLIBC_PRIVATE
  EXPECT_EQ(G.describe(), "libc.so.6, libm.so.6");
}

TEST(Glibc, CrossArm64Library) {
  Target T = targetFor(Arch::ARM64);
  GlibcExports G = loadOrDie(glibcLibraryPaths(T), T);
  auto Malloc = G.lookup("malloc");
  ASSERT_TRUE(Malloc);
  EXPECT_EQ(Malloc->Version, "GLIBC_2.17"); // arm64's first glibc
  // arm64's stack protector reads this global, not TLS; ld.so defines it.
  auto Guard = G.lookup("__stack_chk_guard");
  ASSERT_TRUE(Guard);
  EXPECT_TRUE(Guard->Data);
  EXPECT_EQ(Guard->Library, "ld-linux-aarch64.so.1");
}

TEST(Glibc, WrongMachineAndMissingFile) {
  Target Arm = targetFor(Arch::ARM64);
  auto E = GlibcExports::load(glibcLibraryPaths(targetFor(Arch::AMD64)), Arm);
  ASSERT_FALSE(E);
  EXPECT_NE(toString(E.takeError()).find("another machine than linux/arm64"), std::string::npos);
  auto M = GlibcExports::load({"/nonexistent/libc.so.6"}, Arm);
  ASSERT_FALSE(M);
  EXPECT_NE(toString(M.takeError()).find("libc6-arm64-cross"), std::string::npos);
}

/// A library with `f@GLIBC_2.1` (compat), `f@@GLIBC_2.40` (default),
/// `p@@GLIBC_PRIVATE` and `g@@GLIBC_2.2.5`.
TEST(Glibc, DefaultVersionOfABuiltLibrary) {
  SmallString<128> Dir;
  ASSERT_FALSE(sys::fs::createUniqueDirectory("gotramp-glibc-test", Dir));
  auto path = [&](StringRef Name) {
    SmallString<256> P(Dir);
    sys::path::append(P, Name);
    return std::string(P);
  };
  {
    std::error_code EC;
    raw_fd_ostream S(path("v.s"), EC);
    ASSERT_FALSE(EC);
    S << ".text\n.globl f_old, f_new, p, g\n.type f_old,@function\n.type f_new,@function\n"
         ".type p,@function\n.type g,@function\n"
         "f_old: ret\nf_new: ret\np: ret\ng: ret\n"
         ".symver f_old, f@GLIBC_2.1\n.symver f_new, f@@GLIBC_2.40\n"
         ".symver p, p@@GLIBC_PRIVATE\n.symver g, g@@GLIBC_2.2.5\n";
    raw_fd_ostream M(path("v.map"), EC);
    ASSERT_FALSE(EC);
    M << "GLIBC_2.1 { local: f_old; f_new; };\nGLIBC_2.2.5 { };\nGLIBC_2.40 { };\n"
         "GLIBC_PRIVATE { };\n";
  }
  std::string Clang = GOTRAMP_TEST_CLANG, Lib = path("libv.so.6"), Src = path("v.s");
  std::string Map = "-Wl,--version-script=" + path("v.map");
  std::vector<StringRef> Args = {Clang, "--target=x86_64-linux-gnu", "-shared", "-nostdlib",
                                 "-fuse-ld=lld", Map, Src, "-o", Lib};
  ASSERT_EQ(sys::ExecuteAndWait(Clang, Args), 0);
  GlibcExports G = loadOrDie({Lib}, targetFor(Arch::AMD64));
  auto F = G.lookup("f");
  ASSERT_TRUE(F);
  EXPECT_EQ(F->Version, "GLIBC_2.40");
  EXPECT_EQ(F->Library, "libv.so.6");
  EXPECT_FALSE(G.lookup("p")); // private
  auto Gs = G.lookup("g");
  ASSERT_TRUE(Gs);
  EXPECT_EQ(Gs->Version, "GLIBC_2.2.5");
  sys::fs::remove_directories(Dir);
}

} // namespace
