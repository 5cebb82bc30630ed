//===- InputFile.cpp - reading the files a user names ---------------------===//
#include "gotramp/support/InputFile.h"

#include "llvm/ADT/ScopeExit.h"
#include "llvm/ADT/Twine.h"
#include "llvm/Support/FileSystem.h"

namespace gotramp {
namespace {

llvm::Error inputError(llvm::StringRef Path, llvm::StringRef What, const llvm::Twine &Why) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                 What + " " + Path + ": " + Why);
}

const char *describe(llvm::sys::fs::file_type T) {
  using llvm::sys::fs::file_type;
  switch (T) {
  case file_type::directory_file:
    return "a directory";
  case file_type::character_file:
    return "a character device";
  case file_type::block_file:
    return "a block device";
  case file_type::fifo_file:
    return "a FIFO";
  case file_type::socket_file:
    return "a socket";
  default:
    return "not a regular file";
  }
}

std::string bytes(uint64_t N) {
  if (N % (uint64_t(1) << 30) == 0)
    return std::to_string(N >> 30) + " GiB";
  if (N % (uint64_t(1) << 20) == 0)
    return std::to_string(N >> 20) + " MiB";
  return std::to_string(N) + " bytes";
}

llvm::Error checkStatus(const llvm::sys::fs::file_status &St, llvm::StringRef Path,
                        llvm::StringRef What, uint64_t MaxBytes) {
  if (St.type() != llvm::sys::fs::file_type::regular_file)
    return inputError(Path, What,
                      llvm::Twine("is ") + describe(St.type()) +
                          ", not a regular file; gotramp reads only regular files");
  if (St.getSize() > MaxBytes)
    return inputError(Path, What,
                      "is " + llvm::Twine(St.getSize()) + " bytes, more than the " +
                          bytes(MaxBytes) + " gotramp reads for it");
  return llvm::Error::success();
}

} // namespace

llvm::Error checkInputFile(llvm::StringRef Path, llvm::StringRef What, uint64_t MaxBytes) {
  // status() does not open the file: opening a FIFO would wait for a writer.
  llvm::sys::fs::file_status St;
  if (std::error_code EC = llvm::sys::fs::status(Path, St))
    return inputError(Path, What, EC.message());
  return checkStatus(St, Path, What, MaxBytes);
}

llvm::Expected<std::unique_ptr<llvm::MemoryBuffer>>
readInputFile(llvm::StringRef Path, llvm::StringRef What, uint64_t MaxBytes) {
  if (llvm::Error E = checkInputFile(Path, What, MaxBytes))
    return E;
  auto FD = llvm::sys::fs::openNativeFileForRead(Path);
  if (!FD)
    return inputError(Path, What, llvm::toString(FD.takeError()));
  auto Close = llvm::make_scope_exit([&] { llvm::sys::fs::closeFile(*FD); });
  llvm::sys::fs::file_status St;
  if (std::error_code EC = llvm::sys::fs::status(*FD, St))
    return inputError(Path, What, EC.message());
  if (llvm::Error E = checkStatus(St, Path, What, MaxBytes))
    return E;
  auto Buf = llvm::MemoryBuffer::getOpenFile(*FD, Path, St.getSize(),
                                             /*RequiresNullTerminator=*/false);
  if (!Buf)
    return inputError(Path, What, Buf.getError().message());
  return std::move(*Buf);
}

} // namespace gotramp
