//===- InputFile.h - reading the files a user names -----------------------===//
//
// Every file gotramp reads because a user named it (--object, --config,
// --header, the binary of `verify`) goes through here: only a regular file is
// read, and only up to a cap, so /dev/zero, a FIFO or a runaway file gives an
// error naming the option, the path and why instead of a run that reads until
// memory runs out or waits forever.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/MemoryBuffer.h"

#include <cstdint>
#include <memory>

namespace gotramp {

/// Objects, archives, packed .syso files and Go binaries.
inline constexpr uint64_t MaxObjectBytes = uint64_t(1) << 30;
/// JSON config files and go.mod.
inline constexpr uint64_t MaxConfigBytes = uint64_t(16) << 20;
/// C headers (sqlite3.h, one of the largest single headers, is 616 KB).
inline constexpr uint64_t MaxHeaderBytes = uint64_t(64) << 20;

/// Checks that Path is a regular file (after symlinks) of at most MaxBytes;
/// else an error "WHAT PATH: why". What names where the path came from, as
/// the user wrote it ("--object").
llvm::Error checkInputFile(llvm::StringRef Path, llvm::StringRef What, uint64_t MaxBytes);

/// checkInputFile, then reads the file. The checks are made again on the
/// opened file, and no more than the size they saw is read, so a file that is
/// swapped or grows in between is refused or cut, never read without end.
llvm::Expected<std::unique_ptr<llvm::MemoryBuffer>>
readInputFile(llvm::StringRef Path, llvm::StringRef What, uint64_t MaxBytes);

} // namespace gotramp
