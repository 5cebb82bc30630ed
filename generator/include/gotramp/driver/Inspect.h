//===- Inspect.h - gotramp inspect: print the stack analysis ----------------===//
#pragma once

#include "gotramp/stack/StackAnalysis.h"
#include "gotramp/support/Target.h"

#include "llvm/Support/Error.h"
#include "llvm/Support/raw_ostream.h"

#include <string>

namespace gotramp {

/// Reads ObjectPath, analyses it for T and prints a stable table (or JSON
/// with Json) to OS: per function its offset, size, own frame, callees and
/// bound or the reason it is unknown.
llvm::Error runInspect(const std::string &ObjectPath, const Target &T,
                       bool Json, llvm::raw_ostream &OS);

/// The same output from an existing report (used by runInspect and tests).
void printStackReport(const StackReport &R, bool Json, llvm::raw_ostream &OS);

} // namespace gotramp
