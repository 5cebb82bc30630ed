//===- Trampolines.h - per-target instruction selection --------------------===//
//
// One file per GOARCH computes the instructions of a trampoline body from a
// BoundFunction; Emitter.cpp adds the comments and the TEXT line.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "gotramp/Plan.h"

#include "llvm/Support/Error.h"

#include <string>
#include <vector>

namespace gotramp {

struct TrampolineInstr {
  std::string Text;    // "MOVQ a+0(FP), DI"
  std::string Comment; // why, for a non-obvious instruction; may be empty
};

/// "name+off(FP)", the operand form `go vet` checks against the declaration.
std::string frameOperand(const FrameSlot &S);
/// "1st", "2nd", ...
std::string ordinal(unsigned N);

llvm::Expected<std::vector<TrampolineInstr>> trampolineBodyAMD64(const BoundFunction &BF);
llvm::Expected<std::vector<TrampolineInstr>> trampolineBodyARM64(const BoundFunction &BF);

} // namespace gotramp
