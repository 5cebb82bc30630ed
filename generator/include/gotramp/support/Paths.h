//===- Paths.h - how generated files name their inputs ----------------------===//
//
// Generated files are committed and must not depend on the machine that
// wrote them, so they never name an input by its absolute path.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "llvm/ADT/StringRef.h"

#include <string>

namespace gotramp {

/// Path as seen from Base: "../native/x.h". Both may be relative to the
/// working directory or absolute; "." when they are the same directory.
std::string relativePath(llvm::StringRef Path, llvm::StringRef Base);

/// How a generated file names the input Path: relative to Base when Path lies
/// inside Root (the tree the output is committed in, such as its Go module),
/// else only its file name, because where such a file lives (a cargo
/// registry, /usr/include, a temporary directory) differs between machines.
/// An empty Root puts every path inside it.
std::string portablePath(llvm::StringRef Path, llvm::StringRef Base, llvm::StringRef Root);

} // namespace gotramp
