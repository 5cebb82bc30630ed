//===- Bind.h - from the IR and the settings to a PackagePlan --------------===//
//
// The binding stage decides everything the emitters print. bindPackage
// (Bind.cpp) chooses what is bound — functions, callers of function-pointer
// types, variadic call shapes, through one binding loop — lowers each on
// every target, applies the header annotations and the config's overrides,
// and resolves the Go declarations (GoDecls.cpp) and the callback
// constructors of function-pointer types (Callbacks.cpp). Once the native code is
// packed, sizeFrames (Frames.cpp) sizes every trampoline from the stack
// analysis and selectTrampolines picks its instructions.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "gotramp/abi/ABI.h"
#include "gotramp/config/Options.h"
#include "gotramp/ir/IR.h"
#include "gotramp/plan/Plan.h"
#include "gotramp/support/Diagnostics.h"
#include "gotramp/support/Target.h"

#include "llvm/Support/Error.h"

#include <map>
#include <memory>
#include <string>
#include <vector>

namespace gotramp {

/// Binds every function of Modules[0] (one module per target, in Targets'
/// order) that lowers on every target, every function-pointer typedef's
/// caller and every configured variadic call shape. What cannot be bound is
/// listed in PackagePlan::Skipped with the reason; a config error is an
/// Error.
llvm::Expected<PackagePlan> bindPackage(const GenerateOptions &Opts,
                                        const std::vector<Target> &Targets,
                                        const std::vector<Module> &Modules,
                                        const std::vector<std::unique_ptr<TargetABI>> &ABIs);

/// Why the config leaves Name out, or "" when it is in: an include list
/// keeps only names matching one of its patterns, an exclude list drops
/// names matching any. Key names the list in the reason ("functions").
std::string filteredOut(const std::string &Name, const std::vector<std::string> &Include,
                        const std::vector<std::string> &Exclude, const char *Key);

/// How a Go callback of function-pointer type F decodes its arguments and
/// stores its result on one target, from L, F lowered for that target (the
/// caller's view of the same convention is the callee's). The error message
/// is why F gets no constructor: a struct by value, a variadic type, a
/// result returned in memory or in two registers.
llvm::Expected<CallbackDecoder> lowerCallbackDecoder(const Function &F, const Lowering &L);

/// The callback constructor of every function-pointer type of Modules[0]
/// that the config's function filters keep (a typedef by its name, an
/// inline type by its function's), lowered on every target, into
/// Plan.Callbacks, or Plan.SkippedCallbacks with the reason. GoNames holds
/// the Go names taken so far (Go name -> C name); a constructor claims its
/// own, and a name already taken, by a function or a Go constant of
/// Plan.Go, skips it.
void bindCallbacks(const GenerateOptions &Opts, const std::vector<Module> &Modules,
                   const std::vector<std::unique_ptr<TargetABI>> &ABIs,
                   std::map<std::string, std::string> &GoNames, PackagePlan &Plan);

/// The Go declarations of Types' constants, enums and records (the renames
/// applied) and the imports the records need.
GoDecls resolveGoDecls(const Module &Types, const std::map<std::string, std::string> &Renames);

/// Why a bound function is to be skipped after all (a missing or undefined
/// symbol, an unknown stack bound), found on some target.
struct SkipRequest {
  std::string Reason;
  bool UnknownBoundOnly = false;
};

/// Moves the bindings at the given indices (the same on every target) from
/// every TargetPlan to Plan.Skipped, with their reasons.
void skipBindings(PackagePlan &Plan, const std::map<size_t, SkipRequest> &Skips);

/// Sizes every trampoline of TP from the stack analysis of its packed code
/// (ARCHITECTURE.md fact 4). A function whose bound is unknown, when the
/// config gives no number and does not let it run on its own stack, is
/// returned by index with the reason, to be skipped. A frame_bytes override
/// below the analysed bound is a warning, recorded in the frame's source, or
/// with Strict an error in Diag. SymbolPrefix is the packed roots' prefix,
/// removed from messages.
llvm::Expected<std::map<size_t, SkipRequest>> sizeFrames(TargetPlan &TP,
                                                         const std::string &SymbolPrefix,
                                                         const std::string &UnknownBound, bool Strict,
                                                         Diagnostics &Diag);

/// Selects the instructions of every trampoline of TP (frames sized), and
/// marks NOSPLIT those whose whole frame fits Go's nosplit budget.
llvm::Error selectTrampolines(TargetPlan &TP);

/// The instructions of one trampoline for BF's frame and call path.
llvm::Expected<TrampolineBody> selectTrampoline(const BoundFunction &BF, const Target &Tgt);

} // namespace gotramp
