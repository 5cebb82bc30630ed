//===- OutputSetTest.cpp - the generated files written as one set ---------===//
#include "gotramp/driver/OutputSet.h"
#include "gotramp/pack/Verify.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

#include <gtest/gtest.h>

#include <fcntl.h>
#include <map>
#include <sys/file.h>
#include <unistd.h>

using namespace gotramp;

namespace {

class OutputSetTest : public ::testing::Test {
protected:
  void SetUp() override {
    ASSERT_FALSE(llvm::sys::fs::createUniqueDirectory("gotramp-outputset", Dir));
  }
  void TearDown() override { llvm::sys::fs::remove_directories(Dir); }

  std::string path(llvm::StringRef Name) const { return (Dir + "/" + Name).str(); }

  void put(llvm::StringRef Name, llvm::StringRef Text) {
    std::error_code EC;
    llvm::raw_fd_ostream OS(path(Name), EC);
    ASSERT_FALSE(EC);
    OS << Text;
  }

  /// Every entry of the directory (hidden ones too) with its content.
  std::map<std::string, std::string> contents() const {
    std::map<std::string, std::string> Out;
    std::error_code EC;
    for (llvm::sys::fs::directory_iterator It(Dir, EC), End; It != End && !EC; It.increment(EC)) {
      std::string Name = llvm::sys::path::filename(It->path()).str();
      auto Buf = llvm::MemoryBuffer::getFile(It->path());
      Out[Name] = Buf ? (*Buf)->getBuffer().str() : "<not a file>";
    }
    return Out;
  }

  llvm::sys::fs::UniqueID idOf(llvm::StringRef Name) const {
    llvm::sys::fs::UniqueID ID;
    EXPECT_FALSE(llvm::sys::fs::getUniqueID(path(Name), ID));
    return ID;
  }

  llvm::SmallString<128> Dir;
};

std::string errorText(llvm::Error E) {
  if (!E)
    return "";
  return llvm::toString(std::move(E));
}

} // namespace

TEST_F(OutputSetTest, WritesChangedFilesRemovesStaleOnesAndLeavesEqualOnesAlone) {
  put("same.go", "same\n");
  put("old.s", "old\n");
  put("stale.go", "stale\n");
  llvm::sys::fs::UniqueID SameBefore = idOf("same.go");
  std::vector<OutputFile> Files = {{"same.go", "same\n"}, {"old.s", "new\n"}, {"add.syso", "x"}};
  ASSERT_EQ(errorText(commitOutputSet(Dir, Files, {"stale.go", "absent.go"})), "");
  std::map<std::string, std::string> Want = {
      {"same.go", "same\n"}, {"old.s", "new\n"}, {"add.syso", "x"}};
  EXPECT_EQ(contents(), Want); // no staging directory is left either
  // Not rewritten: the same inode, so Go's build cache still has it.
  EXPECT_EQ(idOf("same.go"), SameBefore);
}

TEST_F(OutputSetTest, AFailedRenamePutsEveryFileBack) {
  put("a.go", "a1\n");
  put("b.s", "b1\n");
  put("stale.go", "stale\n");
  std::map<std::string, std::string> Before = contents();
  std::vector<OutputFile> Files = {
      {"a.go", "a2\n"}, {"new.go", "n2\n"}, {"b.s", "b2\n"}, {"c.json", "c2\n"}};
  // Each rename in turn fails, after the ones before it succeeded.
  for (unsigned FailAt = 0; FailAt < 5; ++FailAt) {
    unsigned Calls = 0;
    auto Rename = [&](const llvm::Twine &From, const llvm::Twine &To) -> std::error_code {
      if (Calls++ == FailAt)
        return std::make_error_code(std::errc::io_error);
      return renameFile(From, To);
    };
    std::string Message = errorText(commitOutputSet(Dir, Files, {"stale.go"}, Rename));
    EXPECT_NE(Message.find("the previous files are kept"), std::string::npos)
        << "failing rename " << FailAt << ": " << Message;
    EXPECT_EQ(contents(), Before) << "failing rename " << FailAt;
  }
}

TEST_F(OutputSetTest, ADirectoryInAFilesPlaceIsRefusedBeforeAnythingChanges) {
  put("a.go", "a1\n");
  ASSERT_FALSE(llvm::sys::fs::create_directory(path("gotramp-report.json")));
  std::vector<OutputFile> Files = {{"a.go", "a2\n"}, {"gotramp-report.json", "{}"}};
  std::string Message = errorText(commitOutputSet(Dir, Files, {}));
  EXPECT_NE(Message.find("gotramp-report.json: is a directory"), std::string::npos) << Message;
  EXPECT_EQ(contents()["a.go"], "a1\n");
  EXPECT_TRUE(llvm::sys::fs::is_directory(path("gotramp-report.json")));
}

TEST_F(OutputSetTest, RemovesStagingLeftByAKilledRun) {
  llvm::SmallString<128> Leftover(path(StagingPrefix));
  Leftover += "-dead01";
  ASSERT_FALSE(llvm::sys::fs::create_directories(Leftover + "/new"));
  ASSERT_EQ(errorText(commitOutputSet(Dir, {{"a.go", "a\n"}}, {})), "");
  EXPECT_FALSE(llvm::sys::fs::exists(Leftover));
}

TEST_F(OutputSetTest, TheExclusiveLockKeepsOthersOut) {
  bool Waited = false;
  {
    auto Lock = DirectoryLock::acquire(Dir, DirectoryLock::Exclusive, [&] { Waited = true; });
    ASSERT_TRUE(static_cast<bool>(Lock)) << llvm::toString(Lock.takeError());
    // Another open file description, as another process would have.
    int FD = ::open(Dir.c_str(), O_RDONLY | O_DIRECTORY);
    ASSERT_GE(FD, 0);
    EXPECT_NE(::flock(FD, LOCK_SH | LOCK_NB), 0);
    EXPECT_EQ(errno, EWOULDBLOCK);
    ::close(FD);
  }
  EXPECT_FALSE(Waited);
  int FD = ::open(Dir.c_str(), O_RDONLY | O_DIRECTORY);
  ASSERT_GE(FD, 0);
  EXPECT_EQ(::flock(FD, LOCK_EX | LOCK_NB), 0) << "the lock outlived its DirectoryLock";
  ::close(FD);
}

TEST_F(OutputSetTest, CheckNamesWhatDiffers) {
  put("a.go", "a1\n");
  put("stale.go", "stale\n");
  std::string Out;
  llvm::raw_string_ostream OS(Out);
  llvm::raw_null_ostream Null;
  Diagnostics Diag(Null);
  std::string Message = errorText(
      checkOutputSet(Dir, {{"a.go", "a2\n"}, {"b.s", "b\n"}}, {"stale.go", "gone.go"}, OS, Diag));
  EXPECT_NE(Message.find("3 generated file(s)"), std::string::npos) << Message;
  EXPECT_NE(Out.find("+a2"), std::string::npos) << Out;
  EXPECT_NE(Out.find("b.s: missing"), std::string::npos) << Out;
  EXPECT_NE(Out.find("stale.go: stale"), std::string::npos) << Out;
  EXPECT_EQ(Out.find("gone.go"), std::string::npos) << Out;
}

TEST_F(OutputSetTest, StaleFilesAreGotrampsByNameOrByWhatTheySay) {
  const std::string Generated = "// Code generated by gotramp. DO NOT EDIT.\n\npackage p\n";
  put("p.go", Generated);                       // written by this run
  put("p_dynimport_linux_amd64.go", "");        // a reserved name: stale whatever it holds
  put("old_linux_riscv64.s", Generated);        // says gotramp generated it
  put("old.go", Generated);
  put("user.go", "package p\n");                // the user's
  put("user_linux_riscv64.s", "// " + Generated); // quotes the line, not first
  put("rsrc.syso", "not gotramp's");
  put("old_linux_arm64.syso", "ELF..." + std::string(ManifestMagic, sizeof(ManifestMagic)) + "...");
  ASSERT_FALSE(llvm::sys::fs::create_directory(path("p_linux_arm64.s"))); // never removed
  std::vector<std::string> Stale =
      findStaleFiles(Dir, {{"p.go", Generated}}, {"p.go", "p_dynimport_linux_amd64.go",
                                                  "p_linux_arm64.s", "p_layout_test.go"});
  std::vector<std::string> Want = {"old.go", "old_linux_arm64.syso", "old_linux_riscv64.s",
                                   "p_dynimport_linux_amd64.go"};
  EXPECT_EQ(Stale, Want);
}
