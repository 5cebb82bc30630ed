//===- Bind.h - from the IR and the settings to a PackagePlan --------------===//
//
// The binding stage decides everything the emitters print. bindPackage
// (Bind.cpp) chooses what is bound — functions, callers of function-pointer
// types, variadic call shapes, through one binding loop — lowers each on
// every target, applies the header annotations and the config's overrides,
// and resolves the Go declarations (GoDecls.cpp). Once the native code is
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
