//===- OutputSet.cpp - writing the generated files as one set -------------===//
//
// See OutputSet.h. The order of a commit: decide which files change, write
// them into STAGING/new and fsync them, hard-link each file about to be
// replaced into STAGING/old (the copy a rollback puts back), rename the new
// files over the old ones, move the stale files into STAGING/old, fsync the
// directory, and remove STAGING. Hard links keep the old inode without
// copying it, and they leave the old name in place until rename(2) swaps it,
// so no reader ever finds a file missing.
//
//===----------------------------------------------------------------------===//
#include "gotramp/driver/OutputSet.h"

#include "gotramp/support/TextDiff.h"

#include "llvm/ADT/ScopeExit.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/Support/Errno.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"

#include <cerrno>
#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

namespace gotramp {
namespace {

llvm::Error error(const llvm::Twine &Message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), Message);
}

std::error_code lastError() { return std::error_code(errno, std::generic_category()); }

/// "'PATH': WHY: the error's message".
llvm::Error fileError(const llvm::Twine &Path, const llvm::Twine &Why, std::error_code EC) {
  return llvm::createFileError(Path, error(Why + ": " + EC.message()));
}

std::string joinPath(llvm::StringRef Dir, llvm::StringRef File) {
  llvm::SmallString<256> P(Dir);
  llvm::sys::path::append(P, File);
  return std::string(P);
}

/// What a name in the output directory currently is.
enum class OnDisk { Missing, Regular, Directory, Other };

OnDisk lookAt(const std::string &Path) {
  llvm::sys::fs::file_status St;
  if (llvm::sys::fs::status(Path, St, /*Follow=*/false))
    return OnDisk::Missing;
  if (St.type() == llvm::sys::fs::file_type::directory_file)
    return OnDisk::Directory;
  if (St.type() == llvm::sys::fs::file_type::regular_file)
    return OnDisk::Regular;
  return OnDisk::Other; // a symlink, FIFO, socket or device: replaced, never read
}

/// The bytes of Path when it is a regular file, else nothing.
std::optional<std::string> readRegular(const std::string &Path) {
  if (lookAt(Path) != OnDisk::Regular)
    return std::nullopt;
  auto Buf = llvm::MemoryBuffer::getFile(Path, /*IsText=*/false, /*RequiresNullTerminator=*/false);
  if (!Buf)
    return std::nullopt;
  return (*Buf)->getBuffer().str();
}

/// Creates Path with Content and fsyncs it, so that after the rename the
/// name never points at data that is not on disk yet.
llvm::Error writeSynced(const std::string &Path, llvm::StringRef Content) {
  int FD;
  if (std::error_code EC = llvm::sys::fs::openFileForWrite(Path, FD, llvm::sys::fs::CD_CreateNew))
    return llvm::createFileError(Path, EC);
  auto Close = llvm::make_scope_exit([&] { ::close(FD); });
  for (const char *P = Content.data(), *End = P + Content.size(); P < End;) {
    ssize_t N = ::write(FD, P, End - P);
    if (N < 0 && errno == EINTR)
      continue;
    if (N < 0)
      return llvm::createFileError(Path, lastError());
    P += N;
  }
  if (::fsync(FD) != 0)
    return llvm::createFileError(Path, lastError());
  return llvm::Error::success();
}

/// fsync on a directory makes the renames in it durable.
void syncDirectory(llvm::StringRef Dir) {
  int FD = ::open(std::string(Dir).c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (FD < 0)
    return;
  ::fsync(FD);
  ::close(FD);
}

/// Staging directories of runs that were killed before they cleaned up. Only
/// called under the exclusive lock, so none of them belongs to a live run.
void removeLeftoverStaging(llvm::StringRef OutDir) {
  std::error_code EC;
  std::vector<std::string> Leftovers;
  for (llvm::sys::fs::directory_iterator It(OutDir, EC), End; It != End && !EC;
       It.increment(EC))
    if (llvm::sys::path::filename(It->path()).starts_with(StagingPrefix) &&
        It->type() == llvm::sys::fs::file_type::directory_file)
      Leftovers.push_back(It->path());
  for (const std::string &Dir : Leftovers)
    llvm::sys::fs::remove_directories(Dir);
}

} // namespace

DirectoryLock::~DirectoryLock() {
  if (FD >= 0)
    ::close(FD); // closing the last descriptor releases the flock
}

llvm::Expected<DirectoryLock> DirectoryLock::acquire(llvm::StringRef Dir, Mode M,
                                                     llvm::function_ref<void()> OnWait) {
  int FD = ::open(std::string(Dir).c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (FD < 0)
    return llvm::createFileError(Dir, lastError());
  DirectoryLock Lock(FD);
  int Op = M == Exclusive ? LOCK_EX : LOCK_SH;
  if (::flock(FD, Op | LOCK_NB) == 0)
    return Lock;
  if (errno != EWOULDBLOCK)
    return fileError(Dir, "cannot lock the directory", lastError());
  OnWait();
  while (::flock(FD, Op) != 0)
    if (errno != EINTR)
      return fileError(Dir, "cannot lock the directory", lastError());
  return Lock;
}

std::error_code renameFile(const llvm::Twine &From, const llvm::Twine &To) {
  return llvm::sys::fs::rename(From, To);
}

llvm::Error commitOutputSet(llvm::StringRef OutDir, llvm::ArrayRef<OutputFile> Files,
                            llvm::ArrayRef<std::string> Stale, RenameFunction Rename) {
  removeLeftoverStaging(OutDir);

  // What changes. A directory in a file's place is refused before anything
  // is written; gotramp does not remove directories.
  struct Change {
    const OutputFile *File;
    bool HadOld;
  };
  std::vector<Change> Changes;
  for (const OutputFile &F : Files) {
    std::string Path = joinPath(OutDir, F.first);
    OnDisk What = lookAt(Path);
    if (What == OnDisk::Directory)
      return error(Path + ": is a directory; gotramp writes a file of that name there (remove "
                   "the directory, or generate into another --out)");
    if (What == OnDisk::Regular && readRegular(Path) == F.second)
      continue;
    Changes.push_back({&F, What != OnDisk::Missing});
  }
  std::vector<std::string> Gone;
  for (const std::string &Name : Stale) {
    OnDisk What = lookAt(joinPath(OutDir, Name));
    if (What == OnDisk::Regular || What == OnDisk::Other)
      Gone.push_back(Name);
  }
  if (Changes.empty() && Gone.empty())
    return llvm::Error::success();

  llvm::SmallString<256> Staging;
  if (std::error_code EC =
          llvm::sys::fs::createUniqueDirectory(joinPath(OutDir, StagingPrefix), Staging))
    return fileError(OutDir, "cannot create a staging directory", EC);
  auto RemoveStaging = llvm::make_scope_exit([&] { llvm::sys::fs::remove_directories(Staging); });
  std::string New = joinPath(Staging, "new"), Old = joinPath(Staging, "old");
  for (const std::string &D : {New, Old})
    if (std::error_code EC = llvm::sys::fs::create_directory(D))
      return llvm::createFileError(D, EC);

  for (const Change &C : Changes)
    if (llvm::Error E = writeSynced(joinPath(New, C.File->first), C.File->second))
      return E;
  for (const Change &C : Changes)
    if (C.HadOld && ::link(joinPath(OutDir, C.File->first).c_str(),
                           joinPath(Old, C.File->first).c_str()) != 0)
      return fileError(joinPath(OutDir, C.File->first),
                       "cannot keep the old file while replacing it", lastError());

  // From here on every step is undone when a later one fails.
  size_t Replaced = 0, Removed = 0;
  auto RollBack = [&] {
    for (size_t I = 0; I < Removed; ++I)
      renameFile(joinPath(Old, Gone[I]), joinPath(OutDir, Gone[I]));
    for (size_t I = 0; I < Replaced; ++I) {
      const Change &C = Changes[I];
      std::string Path = joinPath(OutDir, C.File->first);
      if (C.HadOld)
        renameFile(joinPath(Old, C.File->first), Path);
      else
        llvm::sys::fs::remove(Path);
    }
    syncDirectory(OutDir);
  };
  for (; Replaced < Changes.size(); ++Replaced) {
    const std::string &Name = Changes[Replaced].File->first;
    if (std::error_code EC = Rename(joinPath(New, Name), joinPath(OutDir, Name))) {
      RollBack();
      return fileError(joinPath(OutDir, Name),
                       "cannot replace it (the previous files are kept)", EC);
    }
  }
  for (; Removed < Gone.size(); ++Removed) {
    const std::string &Name = Gone[Removed];
    if (std::error_code EC = Rename(joinPath(OutDir, Name), joinPath(Old, Name))) {
      RollBack();
      return fileError(joinPath(OutDir, Name),
                       "cannot remove this stale file (the previous files are kept)", EC);
    }
  }
  syncDirectory(OutDir);
  return llvm::Error::success();
}

llvm::Error writeOutputSet(llvm::StringRef OutDir, llvm::ArrayRef<OutputFile> Files,
                           llvm::ArrayRef<std::string> Stale, Diagnostics &Diag) {
  if (std::error_code EC = llvm::sys::fs::create_directories(OutDir))
    return llvm::createFileError(OutDir, EC);
  auto Lock = DirectoryLock::acquire(OutDir, DirectoryLock::Exclusive, [&] {
    Diag.note("waiting for another process writing " + OutDir.str() + " to finish");
  });
  if (!Lock)
    return Lock.takeError();
  return commitOutputSet(OutDir, Files, Stale);
}

llvm::Error checkOutputSet(llvm::StringRef OutDir, llvm::ArrayRef<OutputFile> Files,
                           llvm::ArrayRef<std::string> Stale, llvm::raw_ostream &Out,
                           Diagnostics &Diag) {
  // Without the directory every file is missing, and there is nothing to lock.
  std::optional<DirectoryLock> Lock;
  if (llvm::sys::fs::is_directory(OutDir)) {
    auto L = DirectoryLock::acquire(OutDir, DirectoryLock::Shared, [&] {
      Diag.note("waiting for another process writing " + OutDir.str() + " to finish");
    });
    if (!L)
      return L.takeError();
    Lock.emplace(std::move(*L));
  }
  unsigned Differ = 0;
  for (const auto &[Name, Content] : Files) {
    std::string Path = joinPath(OutDir, Name);
    std::optional<std::string> Current = readRegular(Path);
    if (!Current) {
      Out << Path << (lookAt(Path) == OnDisk::Missing ? ": missing\n" : ": not a regular file\n");
      ++Differ;
      continue;
    }
    if (*Current == Content)
      continue;
    ++Differ;
    if (llvm::StringRef(Name).ends_with(".syso"))
      Out << Path << ": native code differs (" << Current->size() << " bytes on disk, "
          << Content.size() << " bytes generated)\n";
    else
      Out << lineDiff(*Current, Content, Path + " (on disk)", Path + " (generated)");
  }
  for (const std::string &Name : Stale)
    if (OnDisk What = lookAt(joinPath(OutDir, Name));
        What == OnDisk::Regular || What == OnDisk::Other) {
      Out << joinPath(OutDir, Name) << ": stale, would be removed\n";
      ++Differ;
    }
  if (Differ)
    return error(llvm::Twine(Differ) + " generated file(s) in " + OutDir +
                 " are out of date; run the same command without --check to update them");
  return llvm::Error::success();
}

} // namespace gotramp
