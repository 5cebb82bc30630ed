//===- TextDiff.h - line diff for --check -----------------------------------===//
#pragma once

#include "llvm/ADT/StringRef.h"

#include <string>

namespace gotramp {

/// A unified-style diff ("--- Old", "+++ New", "-" and "+" lines with up to
/// three lines of context). Empty when the texts are equal.
std::string lineDiff(llvm::StringRef Old, llvm::StringRef New, llvm::StringRef OldName,
                     llvm::StringRef NewName);

} // namespace gotramp
