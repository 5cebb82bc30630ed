//===- HeaderFrontend.h - C headers -> Module (Clang libTooling) -----------===//
#pragma once

#include "gotramp/ir/IR.h"
#include "gotramp/support/Target.h"

#include "llvm/Support/Error.h"

#include <string>
#include <vector>

namespace gotramp {

struct HeaderInput {
  std::vector<std::string> Headers; // as the user named them
  std::vector<std::string> ClangArgs; // extra arguments (-I, -D, ...)
  std::string ResourceDir;            // clang builtin headers; empty: built-in default
};

/// Parses the headers as C for Tgt and returns the functions they declare
/// (only those spelled in the named headers, not in headers they include),
/// the records and enums those functions use, and the integer macros and
/// enums the named headers define. Clang's own diagnostics go to stderr; a
/// parse error is an llvm::Error naming the headers.
llvm::Expected<Module> parseHeaders(const HeaderInput &Input, const Target &Tgt);

} // namespace gotramp
