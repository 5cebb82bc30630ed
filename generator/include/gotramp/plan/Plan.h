//===- Plan.h - what the binding stage decided, for the emitters -----------===//
//
// The emitters are pure functions of a PackagePlan: every decision (which
// functions are bound, their lowering, frame size, trampoline instructions,
// packing, the Go names and types of every declaration) is made before, by
// bind/, and the emitters only print it. Only types live in this folder.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "gotramp/abi/ABI.h"
#include "gotramp/abi/GoTypes.h"
#include "gotramp/ir/IR.h"
#include "gotramp/pack/Packer.h"
#include "gotramp/support/Target.h"

#include <map>
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
  /// Assembler lines emitted before the TEXT line (a stub it calls).
  std::vector<std::string> Prelude;
};

/// The call paths (ARCHITECTURE.md, "Call paths"); BoundFunction::CallPath.
inline constexpr const char *CallPathDirect = "direct";
inline constexpr const char *CallPathBlocking = "blocking";
/// A guard-paged native stack from the shim, without syscall state: for
/// calls that neither block nor run long (the default for unknown bounds).
inline constexpr const char *CallPathOwnStack = "own_stack";
/// A pooled native stack in syscall state (between entersyscall and
/// exitsyscall): for unbounded calls that may block or run long.
inline constexpr const char *CallPathBlockingOwnStack = "blocking_own_stack";
/// A callback stack from the shim, outside syscall state, with the
/// goroutine locked to its thread: for native code that may call Go
/// callbacks, which then run on the goroutine's own stack below the
/// trampoline's frame (issue 19, helpers' callbacks contract). The default
/// for functions that take a function pointer.
inline constexpr const char *CallPathCallback = "callback";

/// Whether the native code of a call path runs on a stack of the shim.
inline bool onOwnStack(const std::string &Path) {
  return Path == CallPathOwnStack || Path == CallPathBlockingOwnStack ||
         Path == CallPathCallback;
}

/// Import path of the Go package the blocking and own-stack trampolines
/// call into (runtime-shims/go/shim), and the size of the native stacks it
/// hands out (shim.StackBytes and shim.OwnStackBytes; keep them in step).
inline constexpr const char *ShimImportPath = "github.com/gotramp/gotramp/runtime-shims/go/shim";
inline constexpr uint64_t OwnStackBytes = 1u << 20;

/// The largest stack bound a function keeps on the goroutine stack by
/// default; above it the analysis chooses own_stack. A frame that big grows
/// the goroutine stack (a copy) in every new goroutine that calls it and
/// after every GC that shrinks the stack again. Measured with a C function
/// touching its whole frame, calls in a loop, go1.26.8 amd64, noisy 2-core
/// VM: up to 16 KiB a loop under GC costs the same on both paths (13-16 ns
/// at 16 KiB), at 32 KiB direct is 26-38 ns against 13-16 ns on the own
/// stack; a new goroutine per 16 calls costs 2x on direct from 4 KiB on.
inline constexpr uint64_t DirectFrameLimitBytes = 16u << 10;

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
  /// An override below the analysed bound: the frame the analysis would
  /// give (bound + margin), which Bytes falls short of; 0 otherwise.
  uint64_t AnalysedBytes = 0;
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
  /// Why the function got CallPath, for the report ("stack bound unknown:
  /// recursion in f; functions.unknown_bound").
  std::string CallPathReason;
  /// The stack analysis chose CallPath (functions.unknown_bound).
  bool CallPathByAnalysis = false;
  /// The symbol the trampoline calls: the root's name in the .syso
  /// (PackResult::symbolFor), set once the native code is packed.
  std::string CallSymbol;
  /// The shared library ("libz.so.1", its DT_SONAME) the function is called
  /// in, when no object defines it and one of "shared_libraries" exports it:
  /// the trampoline then calls the packer's thunk (callThunkName) that jumps
  /// to the imported symbol. Empty for packed functions.
  std::string SharedLibrary;
  /// A caller of a function-pointer type (Module::FunctionTypes): the
  /// first Go parameter, `fn uintptr`, is the address to call, and Fn
  /// describes the pointer's type (no symbol).
  bool ThroughPointer = false;
  /// The trampoline's instructions and declared frame, selected once the
  /// frame is sized (bind/Frames.cpp, selectTrampolines).
  TrampolineBody Body;

  /// The symbol the trampoline calls: the packed name once known.
  const std::string &callSymbol() const { return CallSymbol.empty() ? Fn.Symbol : CallSymbol; }
};

struct TargetPlan {
  Target Tgt;
  std::vector<BoundFunction> Functions; // same order on every target
  PackResult Pack;
  /// Libc mode: the glibc symbols the bound functions reach, which packing
  /// may leave undefined (PackRequest::Imports), by symbol.
  std::map<std::string, DynamicImport> LibcImports;
};

struct SkippedFunction {
  Function Fn;
  std::string Reason;
  bool ByConfig = false; // excluded on purpose: reported, not warned about
  /// Its only problem is an unknown stack bound: functions.unknown_bound =
  /// "own_stack" would bind it.
  bool UnknownBoundOnly = false;
  /// The name functions.exclude matches: the C function, or the typedef of
  /// a function-pointer caller (Fn.Name is "(*TYPEDEF)" then).
  std::string ConfigName;
};

/// How a Go callback reads its arguments and stores its result on one
/// target (bind/Callbacks.cpp): Go expressions over `fr *shim.CallbackFrame`
/// (the native arguments by ABI location) and statements over `r` (the Go
/// function's result).
struct CallbackDecoder {
  std::vector<std::string> Args; // one per parameter: "fr.IntPointer(0)"
  std::vector<std::string> StoreResult; // empty for a void result
  bool UsesMath = false;   // math.Float64frombits and friends
  bool UsesUnsafe = false; // the statements spell unsafe.Pointer
};

/// A Go constructor of C-callable values for one function-pointer type:
/// `func NewCmpFn(f func(...) R) *shim.Callback`.
struct CallbackConstructor {
  Function Fn;          // the function-pointer type, as the first target declares it
  std::string GoName;   // "NewCmpFn"
  std::string FuncType; // "func(a unsafe.Pointer, b unsafe.Pointer) int32"
  bool HasResult = false;
  std::string GoResult; // "int32", when HasResult
  bool FuncTypeUsesUnsafe = false;
  /// One decoder per target, in PackagePlan::Targets' order.
  std::vector<CallbackDecoder> Decoders;
};

/// A function-pointer type without a constructor, and why (reported, not
/// warned about: the rest of the type's uses still bind).
struct SkippedCallback {
  Function Fn;
  std::string Reason;
};

/// A C struct or union as the Go file declares it.
struct GoRecordDecl {
  Record C;
  GoStruct Go;
};

/// A C enum as the Go file declares it: a named type and one constant per
/// enumerator.
struct GoEnumDecl {
  Enum C;
  std::string TypeName;   // goEnumTypeName
  std::string Underlying; // the Go spelling of the enum's integer type
  std::vector<std::string> ConstantNames; // per enumerator, renames applied
};

/// An integer macro or constant as the Go file declares it.
struct GoConstantDecl {
  Constant C;
  std::string GoName; // renames applied
};

/// Every declaration of the Go file other than functions, resolved once
/// (bind/GoDecls.cpp), and the imports they need.
struct GoDecls {
  std::vector<GoConstantDecl> Constants;
  std::vector<GoRecordDecl> Records;
  /// Enums whose integer type has a Go equivalent; the others are left out.
  std::vector<GoEnumDecl> Enums;
  bool UsesStructs = false;       // a non-opaque struct: `import "structs"`
  bool RecordsUseUnsafe = false;  // a struct field spells unsafe.Pointer
};

struct PackagePlan {
  std::string Package;
  std::vector<std::string> Headers; // as given, for docs and the report
  GoDecls Go; // constants, enums and records of the first target's module
  std::vector<TargetPlan> Targets;
  std::vector<SkippedFunction> Skipped;
  /// Callback constructors, one per supported function-pointer type
  /// (Module::FunctionTypes), and the types that get none.
  std::vector<CallbackConstructor> Callbacks;
  std::vector<SkippedCallback> SkippedCallbacks;
  /// "crash_report": register the native symbol table with the shim so a
  /// native fault names the function (PACKAGE_symbols_linux_ARCH.go).
  bool CrashReport = true;

  /// `import "unsafe"`: a struct field or a bound signature spells it.
  bool usesUnsafe() const {
    if (Go.RecordsUseUnsafe)
      return true;
    for (const CallbackConstructor &C : Callbacks) {
      if (C.FuncTypeUsesUnsafe)
        return true;
      for (const CallbackDecoder &D : C.Decoders)
        if (D.UsesUnsafe)
          return true;
    }
    if (Targets.empty())
      return false;
    for (const BoundFunction &BF : Targets.front().Functions) {
      for (const auto &[Name, Ty] : BF.Low.GoParams)
        if (Ty.UsesUnsafe)
          return true;
      if (BF.Low.GoResult && BF.Low.GoResult->UsesUnsafe)
        return true;
    }
    return false;
  }

  /// A blocking or own-stack trampoline calls into the shim (a blank
  /// import does), or a callback constructor names it.
  bool usesShim() const {
    if (!Callbacks.empty())
      return true;
    for (const TargetPlan &TP : Targets)
      for (const BoundFunction &BF : TP.Functions)
        if (BF.CallPath != CallPathDirect)
          return true;
    return false;
  }
};

} // namespace gotramp
