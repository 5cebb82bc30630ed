//===- Trampolines.h - per-target instruction selection --------------------===//
//
// One file per GOARCH computes the instructions of a trampoline body, and the
// frame size its TEXT line declares, from a BoundFunction; Emitter.cpp adds
// the comments and the TEXT line.
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

/// A trampoline for one target: the frame its TEXT line declares (the
/// native code's budget plus the outgoing stack-argument area and whatever
/// the target's sequence needs around them) and the instructions.
struct TrampolineBody {
  uint64_t FrameBytes = 0;
  std::vector<TrampolineInstr> Instrs;
};

/// The call paths (ARCHITECTURE.md, "Call paths"); BoundFunction::CallPath.
inline constexpr const char *CallPathDirect = "direct";
inline constexpr const char *CallPathBlocking = "blocking";
inline constexpr const char *CallPathOwnStack = "own_stack";

/// Import path of the Go package the blocking and own-stack trampolines
/// call into (runtime-shims/go/shim), and the size of the native stacks its
/// pool hands out (shim.StackBytes; keep the two in step).
inline constexpr const char *ShimImportPath = "github.com/gotramp/gotramp/runtime-shims/go/shim";
inline constexpr uint64_t OwnStackBytes = 1u << 20;

/// "name+off(FP)", the operand form `go vet` checks against the declaration.
std::string frameOperand(const FrameSlot &S);
/// "1st", "2nd", ...
std::string ordinal(unsigned N);

inline uint64_t alignTo16(uint64_t V) { return (V + 15) / 16 * 16; }

/// The error for a value size a target's instruction table does not cover.
llvm::Error noInstruction(llvm::StringRef Arch, llvm::StringRef What, uint64_t Size);

/// The trailing comment of an argument move: "a: 1st integer argument,
/// sign-extended <RegisterExtensionWhy>" or "x: 2nd stack slot, ...".
std::string argumentNote(const ArgMove &M, llvm::StringRef RegisterExtensionWhy);

llvm::Expected<TrampolineBody> trampolineBodyAMD64(const BoundFunction &BF);
llvm::Expected<TrampolineBody> trampolineBodyARM64(const BoundFunction &BF);

} // namespace gotramp
