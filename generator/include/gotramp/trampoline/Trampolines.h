//===- Trampolines.h - per-target instruction selection --------------------===//
//
// One file per GOARCH computes the instructions of a trampoline body, and the
// frame size its TEXT line declares, from a BoundFunction (AMD64.cpp,
// ARM64.cpp, with the moves both share in Moves.cpp). The binding stage
// stores the body in the plan (bind/Frames.cpp); emit/Emitter.cpp prints it
// with the comments and the TEXT line.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "gotramp/plan/Plan.h"

#include "llvm/Support/Error.h"

#include <string>
#include <vector>

namespace gotramp {

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

/// How a target spells the moves of Moves.cpp.
struct MoveISA {
  std::string Arch; // "amd64", for errors
  /// A scalar from Go's frame into Dst, widened to 64 bits as Ext says.
  llvm::Expected<std::string> (*LoadInteger)(const FrameSlot &From, Extension Ext,
                                             const std::string &Dst);
  /// Zero-extending load and plain store of 1, 2, 4 or 8 bytes ("MOVBQZX ").
  const char *(*Load)(uint64_t Size);
  const char *(*Store)(uint64_t Size);
  /// "LEAQ off(base), dst" or its equivalent.
  std::string (*OffsetAddress)(uint64_t Off, const std::string &Base, const std::string &Dst);
  std::string FloatMove32, FloatMove64; // "MOVSS ", "MOVSD "
  std::string ShiftLeft, ShiftRight, Or;
  std::string AddressOf; // "LEAQ " or "MOVD $": the address of name+off(FP)
  std::string AddressReg; // points at an aggregate in Go's frame
  std::string ComposeReg; // assembles odd-sized pieces
  std::string CopyReg;    // carries stack copies
  std::string CSPReg;     // C's SP while the stack area is filled
  std::string RegisterExtensionWhy; // argument notes
  std::string CallWord;             // "CALL", "BL": notes
};

/// "LEAQ s+8(FP), R11": the address of a value in Go's frame. asmdecl
/// accepts the whole aggregate's name here, where a load of part of it
/// would be a size mismatch.
TrampolineInstr addressOf(const MoveISA &ISA, const FrameSlot &S, const std::string &Dst);

/// Loads the register arguments (scalars, aggregate pieces, the hidden
/// result pointer) and returns the arguments that need C's stack: scalars
/// in slots, aggregates copied there, copies passed by reference.
llvm::Expected<std::vector<const ArgMove *>>
loadRegisterArgs(const MoveISA &ISA, const BoundFunction &BF, std::vector<TrampolineInstr> &Body);

/// Fills the area above C's SP (in ISA.CSPReg): stack slots, aggregate
/// copies and the addresses of copies passed by reference.
llvm::Error copyStackArgs(const MoveISA &ISA, const std::vector<const ArgMove *> &StackArgs,
                          std::vector<TrampolineInstr> &Body);

/// Stores the result into Go's result slot; nothing for a result C wrote
/// through the hidden pointer.
llvm::Error storeResult(const MoveISA &ISA, const BoundFunction &BF,
                        std::vector<TrampolineInstr> &Body);

llvm::Expected<TrampolineBody> trampolineBodyAMD64(const BoundFunction &BF);
llvm::Expected<TrampolineBody> trampolineBodyARM64(const BoundFunction &BF);

} // namespace gotramp
