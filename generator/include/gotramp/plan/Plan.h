//===- Plan.h - what the driver decided, for the emitters ------------------===//
//
// The emitters are pure functions of a PackagePlan: every decision (which
// functions are bound, their lowering, frame size, packing) is made before.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "gotramp/abi/ABI.h"
#include "gotramp/ir/IR.h"
#include "gotramp/pack/Packer.h"
#include "gotramp/support/Target.h"

#include <map>
#include <string>
#include <vector>

namespace gotramp {

/// Where an explicit stack budget came from.
enum class FrameOrigin {
  Analysis,    // none given: the stack analysis sizes the frame
  Global,      // --frame-bytes / "frame_bytes": for functions with unknown bounds
  Override,    // functions.overrides.NAME.frame_bytes: wins over the analysis
};

/// Stack the trampoline reserves for the native code (its budget below C's
/// SP at the call), where the number came from, and whether the trampoline
/// may skip Go's stack check.
struct FramePlan {
  uint64_t Bytes = 0;
  std::string Source;
  FrameOrigin Origin = FrameOrigin::Analysis;
  std::string Stack;   // the analysis' verdict: "stack bound 184 bytes (f -> g)"
  bool NoSplit = false;
};

struct BoundFunction {
  Function Fn;
  Lowering Low;
  FramePlan Frame;
  /// Pointer arguments do not escape: `//go:noescape`, so passing the
  /// address of a local does not allocate. False when the config says the
  /// native side retains one of them.
  bool NoEscape = false;
  std::string CallPath = "direct";
  /// The symbol the trampoline calls: the root's name in the .syso
  /// (PackResult::symbolFor), set once the native code is packed.
  std::string CallSymbol;
  /// A caller of a function-pointer type (Module::FunctionTypes): the
  /// first Go parameter, `fn uintptr`, is the address to call, and Fn
  /// describes the pointer's type (no symbol).
  bool ThroughPointer = false;

  /// The symbol the trampoline calls: the packed name once known.
  const std::string &callSymbol() const { return CallSymbol.empty() ? Fn.Symbol : CallSymbol; }
};

struct TargetPlan {
  Target Tgt;
  std::vector<BoundFunction> Functions; // same order on every target
  PackResult Pack;
};

struct SkippedFunction {
  Function Fn;
  std::string Reason;
  bool ByConfig = false; // excluded on purpose: reported, not warned about
};

struct PackagePlan {
  std::string Package;
  std::vector<std::string> Headers; // as given, for docs and the report
  Module Primary;                   // the first target's module: constants, enums
  std::vector<TargetPlan> Targets;
  std::vector<SkippedFunction> Skipped;
  std::map<std::string, std::string> Renames; // C constant name -> Go name (config)
  /// "crash_report": register the native symbol table with the shim so a
  /// native fault names the function (PACKAGE_symbols_linux_ARCH.go).
  bool CrashReport = true;
};

} // namespace gotramp
