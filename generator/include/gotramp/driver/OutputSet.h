//===- OutputSet.h - writing the generated files as one set ---------------===//
//
// `generate` writes files that only work together: the .go declares what the
// .s defines, the .s calls what the .syso holds. They are written as one set:
// under an exclusive flock(2) on the output directory, so that concurrent
// runs take turns; each changed file is written and fsynced in a hidden
// staging directory inside the output directory (so on the same filesystem)
// and then renamed over the old one, so that a reader sees the old file or
// the new, never part of one. Files gotramp wrote before that this set does
// not hold go in the same step. When a step fails, the files already replaced
// and the stale ones already removed are put back: a failed run leaves the
// previous set as it was.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "gotramp/support/Diagnostics.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/ADT/Twine.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/raw_ostream.h"

#include <string>
#include <system_error>
#include <utility>
#include <vector>

namespace gotramp {

/// One generated file: its name in the output directory and its bytes.
using OutputFile = std::pair<std::string, std::string>;

/// The prefix of the staging directories inside an output directory. Go
/// ignores directories whose names start with a dot.
inline constexpr const char *StagingPrefix = ".gotramp-staging";

/// An flock(2) on a directory, held until this object is destroyed. Locking
/// the directory itself leaves no lock file behind for users to ignore.
class DirectoryLock {
public:
  enum Mode { Shared, Exclusive };

  /// Waits until the lock is free; calls OnWait first when another process
  /// holds it.
  static llvm::Expected<DirectoryLock> acquire(llvm::StringRef Dir, Mode M,
                                               llvm::function_ref<void()> OnWait);

  DirectoryLock(DirectoryLock &&Other) : FD(Other.FD) { Other.FD = -1; }
  DirectoryLock &operator=(DirectoryLock &&) = delete;
  ~DirectoryLock();

private:
  explicit DirectoryLock(int FD) : FD(FD) {}
  int FD = -1;
};

/// Renames a file into place; unit tests pass one that fails on purpose.
using RenameFunction =
    llvm::function_ref<std::error_code(const llvm::Twine &From, const llvm::Twine &To)>;
std::error_code renameFile(const llvm::Twine &From, const llvm::Twine &To);

/// The files in OutDir that gotramp owns but Files does not hold: those
/// named in Reserved (the names gotramp gives this package's files for any
/// target and configuration), and any other file that says gotramp
/// generated it: a .go or .s file whose first line is gotramp's "Code
/// generated" line, a .syso that carries gotramp's manifest. Files of the
/// user's are never among them.
std::vector<std::string> findStaleFiles(llvm::StringRef OutDir, llvm::ArrayRef<OutputFile> Files,
                                        llvm::ArrayRef<std::string> Reserved);

/// Makes OutDir (which exists) hold Files and removes its stale files
/// (findStaleFiles), as one set (see above). A file that already holds its
/// content is not touched, so Go's build cache keeps it. Removes staging
/// directories that runs killed before they finished left behind. The
/// caller holds an exclusive DirectoryLock on OutDir.
llvm::Error commitOutputSet(llvm::StringRef OutDir, llvm::ArrayRef<OutputFile> Files,
                            llvm::ArrayRef<std::string> Reserved,
                            RenameFunction Rename = renameFile);

/// `generate`: creates OutDir if needed, locks it exclusively (with a note on
/// Diag while waiting for another run) and commits the set.
llvm::Error writeOutputSet(llvm::StringRef OutDir, llvm::ArrayRef<OutputFile> Files,
                           llvm::ArrayRef<std::string> Reserved, Diagnostics &Diag);

/// `generate --check`: under a shared lock, prints to Out a diff for each
/// file of Files that differs from OutDir's, and names each file that is
/// missing or stale; an error when there is any.
llvm::Error checkOutputSet(llvm::StringRef OutDir, llvm::ArrayRef<OutputFile> Files,
                           llvm::ArrayRef<std::string> Reserved, llvm::raw_ostream &Out,
                           Diagnostics &Diag);

} // namespace gotramp
