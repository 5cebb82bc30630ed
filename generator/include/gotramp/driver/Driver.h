//===- Driver.h - the `generate` pipeline -----------------------------------===//
#pragma once

#include "gotramp/config/Options.h"

#include "llvm/Support/Error.h"
#include "llvm/Support/raw_ostream.h"

namespace gotramp {

/// Runs `gotramp generate`. Diagnostics go to Diag; --dump-ir output and the
/// --check diff go to Out. With --check, stale output is an error.
llvm::Error runGenerate(GenerateOptions Opts, llvm::raw_ostream &Out, llvm::raw_ostream &Diag);

} // namespace gotramp
