//===- Paths.cpp - how generated files name their inputs --------------------===//
#include "gotramp/support/Paths.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

namespace gotramp {
namespace {

llvm::SmallString<256> absolute(llvm::StringRef P) {
  llvm::SmallString<256> A(P);
  llvm::sys::fs::make_absolute(A);
  llvm::sys::path::remove_dots(A, /*remove_dot_dot=*/true);
  return A;
}

/// Whether Path is Dir or below it, compared component by component so that
/// /a/bc is not inside /a/b.
bool isInside(llvm::StringRef Path, llvm::StringRef Dir) {
  auto PI = llvm::sys::path::begin(Path), PE = llvm::sys::path::end(Path);
  for (auto DI = llvm::sys::path::begin(Dir), DE = llvm::sys::path::end(Dir); DI != DE;
       ++DI, ++PI)
    if (PI == PE || *PI != *DI)
      return false;
  return true;
}

} // namespace

std::string relativePath(llvm::StringRef Path, llvm::StringRef Base) {
  llvm::SmallString<256> AbsPath = absolute(Path), AbsBase = absolute(Base);
  auto PI = llvm::sys::path::begin(AbsPath), PE = llvm::sys::path::end(AbsPath);
  auto BI = llvm::sys::path::begin(AbsBase), BE = llvm::sys::path::end(AbsBase);
  while (PI != PE && BI != BE && *PI == *BI)
    ++PI, ++BI;
  llvm::SmallString<256> Rel;
  for (; BI != BE; ++BI)
    llvm::sys::path::append(Rel, "..");
  for (; PI != PE; ++PI)
    llvm::sys::path::append(Rel, *PI);
  return Rel.empty() ? "." : std::string(Rel);
}

std::string portablePath(llvm::StringRef Path, llvm::StringRef Base, llvm::StringRef Root) {
  if (!Root.empty() && !isInside(absolute(Path), absolute(Root)))
    return llvm::sys::path::filename(Path).str();
  return relativePath(Path, Base);
}

} // namespace gotramp
