//===- ABI.h - lowering a C signature to a trampoline plan -----------------===//
//
// lowerFunction() is a pure function of (function, module, target): it lays
// out the Go ABI0 argument frame exactly as `go vet`'s asmdecl check expects
// and assigns every argument and the result to a native location of the C
// calling convention. Emitters turn the plan into instructions; nothing here
// knows assembler syntax beyond register names.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "gotramp/abi/GoTypes.h"
#include "gotramp/ir/IR.h"
#include "gotramp/support/Target.h"

#include "llvm/Support/Error.h"

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace gotramp {

/// One named value in the Go ABI0 frame: `Name+Offset(FP)`, Size bytes.
struct FrameSlot {
  std::string Name;
  uint64_t Offset = 0;
  uint64_t Size = 0;
  bool operator==(const FrameSlot &) const = default;
};

/// Go ABI0 frame of a signature: arguments in order, each aligned to its
/// Go alignment; results start at the next multiple of the pointer size.
/// ArgsSize is the end of the last result with no final rounding (asmdecl
/// expects `$0-17` for func(*uint32, uint32, uint32) bool).
struct ABI0Frame {
  std::vector<FrameSlot> Params;
  std::optional<FrameSlot> Result;
  uint64_t ArgsSize = 0;
};

ABI0Frame layoutABI0(const std::vector<std::pair<std::string, GoType>> &Params,
                     const std::optional<GoType> &Result, uint64_t PtrSize = 8);

/// The register file a value travels in; for a stack slot, the register
/// file it would have used (it says how to copy the bits).
enum class RegClass { Integer, Float };

/// How a narrow integer is widened before it reaches C. Clang-compiled SysV
/// callees assume bool/char/short arguments are extended to 32 bits;
/// AAPCS64 leaves the upper bits unspecified, but the arm64 trampolines
/// extend to 64 bits anyway (see createTargetABI in ABI.cpp). Stack
/// slots receive the value extended to the whole 8-byte slot on both.
enum class Extension { None, Sign, Zero };

/// Size of one stack-argument slot for a scalar on both targets: System V
/// eightbytes, AAPCS64 (Linux) rounds every argument up to 8 bytes.
constexpr uint64_t StackSlotBytes = 8;

/// A value's place in the C calling convention: the next argument register
/// of its class, or, once those run out, the next 8-byte slot of the
/// outgoing stack-argument area (offsets from SP at the call).
struct NativeLoc {
  RegClass Class = RegClass::Integer;
  unsigned Index = 0;    // n-th argument register of its class, or n-th stack slot
  std::string Register;  // Go assembler name: "DI", "X0", "R0", "F0"; empty on the stack
  bool OnStack = false;
  uint64_t StackOffset = 0; // from SP at the call, when OnStack
  bool operator==(const NativeLoc &) const = default;
};

/// How a value crosses from Go's frame to C's convention.
enum class PassMode {
  /// A scalar: one register or one stack slot (ArgMove::To).
  Scalar,
  /// An aggregate split into register-sized pieces (Pieces), each in its own
  /// register: System V eightbytes, AAPCS64 doublewords or HFA members.
  Registers,
  /// An aggregate copied whole into the stack-argument area at
  /// To.StackOffset (System V MEMORY class, or no registers left).
  StackCopy,
  /// Argument: an aggregate copied to CopyOffset in the outgoing area, its
  /// address passed in To (AAPCS64 composites over 16 bytes).
  /// Result: C writes it through the hidden pointer in HiddenPointer (RDI,
  /// X8), which points at Go's result slot.
  Reference,
};

/// Part of an aggregate that travels in one register.
struct Piece {
  uint64_t Offset = 0; // within the value
  uint64_t Size = 0;   // bytes, 1..8 (a float piece: 4 or 8)
  NativeLoc Loc;       // register, and its class
  bool operator==(const Piece &) const = default;
};

struct ArgMove {
  FrameSlot From;      // Go ABI0 slot
  NativeLoc To;        // Scalar, StackCopy; Reference: where the address goes
  Extension Ext = Extension::None;
  bool IsFloat32 = false; // single-precision value in an FP register or slot
  PassMode Mode = PassMode::Scalar;
  std::vector<Piece> Pieces; // Registers
  uint64_t CopyOffset = 0;   // Reference: the copy, from C's SP at the call
  bool operator==(const ArgMove &) const = default;
};

struct ResultMove {
  NativeLoc From; // Scalar
  FrameSlot To;
  bool IsFloat32 = false;
  PassMode Mode = PassMode::Scalar; // Scalar, Registers or Reference
  std::vector<Piece> Pieces;        // Registers
  std::string HiddenPointer;        // Reference: "DI" (amd64), "R8" (arm64)
  bool operator==(const ResultMove &) const = default;
};

/// How one argument or the result is passed, in the terms of Clang's
/// ABIArgInfo, which the differential fuzzer compares it with
/// (tests/fuzz/abicompare.py) and the report shows: Kind "void", "direct"
/// (Pieces: "int", "f4", "f8", one per register it takes or would take:
/// Clang does not model running out of registers on AAPCS64, so an
/// aggregate that lands on the stack there is still "direct"), "memory"
/// (copied into the stack-argument area: System V MEMORY class or no
/// registers left), "indirect" (a pointer to a copy; for a result, the
/// hidden result pointer).
struct ABIClass {
  std::string Kind;
  std::vector<std::string> Pieces;
  bool operator==(const ABIClass &) const = default;
};

/// Everything an emitter needs for one function on one target.
struct Lowering {
  std::string GoName;
  std::vector<std::pair<std::string, GoType>> GoParams; // Go name, type
  std::optional<GoType> GoResult;
  ABI0Frame Frame;
  std::vector<ArgMove> Args;
  std::optional<ResultMove> Result;
  /// Bytes of the outgoing area above C's SP the call needs: the stack
  /// arguments, then the copies Reference arguments point to, not rounded
  /// (the trampoline aligns it). 0 when every argument travels in a
  /// register.
  uint64_t StackArgsBytes = 0;
  /// amd64 variadic call: AL = the number of vector registers used.
  std::optional<unsigned> VectorCount;
  bool HasPointerParams = false;
  std::vector<ABIClass> ArgClasses; // one per parameter
  ABIClass ResultClass;

  /// "func AddI64(a int64, b int64) int64"
  std::string goSignature() const;
};

/// Per-target calling convention. One factory per target.
class TargetABI {
public:
  virtual ~TargetABI();
  virtual const Target &target() const = 0;
  /// Native locations of the arguments and the result, or an error whose
  /// message is the reason the function cannot be bound on this target.
  virtual llvm::Error assign(const Function &F, const Module &M, Lowering &L) const = 0;
};

llvm::Expected<std::unique_ptr<TargetABI>> createTargetABI(const Target &T);

/// Lowers F for ABI. The error message is the skip reason.
llvm::Expected<Lowering> lowerFunction(const Function &F, const Module &M, const TargetABI &ABI);


} // namespace gotramp
