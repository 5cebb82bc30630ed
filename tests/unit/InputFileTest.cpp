//===- InputFileTest.cpp - only regular files, and only up to a cap -------===//
#include "gotramp/support/InputFile.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/raw_ostream.h"

#include <gtest/gtest.h>

#include <sys/stat.h>

using namespace gotramp;

namespace {

class InputFileTest : public ::testing::Test {
protected:
  void SetUp() override { ASSERT_FALSE(llvm::sys::fs::createUniqueDirectory("gotramp-input", Dir)); }
  void TearDown() override { llvm::sys::fs::remove_directories(Dir); }

  std::string write(llvm::StringRef Name, llvm::StringRef Text) {
    std::string Path = (Dir + "/" + Name).str();
    std::error_code EC;
    llvm::raw_fd_ostream OS(Path, EC);
    OS << Text;
    return Path;
  }

  /// The error readInputFile gives, or "" when it reads the file.
  static std::string readError(const std::string &Path, uint64_t Max) {
    auto Buf = readInputFile(Path, "--object", Max);
    if (Buf)
      return "";
    return llvm::toString(Buf.takeError());
  }

  llvm::SmallString<128> Dir;
};

} // namespace

TEST_F(InputFileTest, ReadsARegularFileUpToTheCap) {
  std::string Path = write("a.o", "12345678");
  auto Buf = readInputFile(Path, "--object", 8);
  ASSERT_TRUE(static_cast<bool>(Buf)) << llvm::toString(Buf.takeError());
  EXPECT_EQ((*Buf)->getBuffer(), "12345678");
  EXPECT_EQ(readError(Path, 7), "--object " + Path +
                                    ": is 8 bytes, more than the 7 bytes gotramp reads for it");
  EXPECT_FALSE(static_cast<bool>(checkInputFile(Path, "--header", 8)));
}

TEST_F(InputFileTest, RefusesWhatIsNotARegularFileWithoutOpeningIt) {
  std::string Fifo = (Dir + "/fifo").str();
  ASSERT_EQ(::mkfifo(Fifo.c_str(), 0600), 0);
  // Opening a FIFO for reading would wait for a writer: this test would hang.
  EXPECT_EQ(readError(Fifo, MaxObjectBytes),
            "--object " + Fifo + ": is a FIFO, not a regular file; gotramp reads only regular files");
  EXPECT_EQ(readError("/dev/zero", MaxObjectBytes),
            "--object /dev/zero: is a character device, not a regular file; gotramp reads only "
            "regular files");
  EXPECT_NE(readError(std::string(Dir), MaxObjectBytes).find(": is a directory"), std::string::npos);
  llvm::Error E = checkInputFile(Fifo, "--header", MaxHeaderBytes);
  EXPECT_EQ(llvm::toString(std::move(E)),
            "--header " + Fifo + ": is a FIFO, not a regular file; gotramp reads only regular files");
}

TEST_F(InputFileTest, FollowsSymlinksAndNamesAMissingFile) {
  std::string Target = write("real.o", "x");
  std::string Link = (Dir + "/link.o").str();
  ASSERT_FALSE(llvm::sys::fs::create_link(Target, Link));
  EXPECT_EQ(readError(Link, 1), "");
  std::string Missing = (Dir + "/missing.o").str();
  EXPECT_EQ(readError(Missing, 1), "--object " + Missing + ": No such file or directory");
}
