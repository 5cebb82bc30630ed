//===- Emitter.h - Go, assembly and report files from a plan ---------------===//
//
// The emitters print a PackagePlan (plan/Plan.h) and decide nothing: names,
// Go types, frames and trampoline instructions are in the plan already.
// Emitter.cpp writes the Go file, the assembly, the dynamic-import glue, the
// layout test and the report; CrashReport.cpp the crash-report tables.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "gotramp/plan/Plan.h"

#include "llvm/Support/Error.h"

#include <string>
#include <utility>
#include <vector>

namespace gotramp {

/// Name of the Go symbol for a function: the middle dot makes it package-local.
std::string goAsmSymbol(const std::string &GoName);
/// The Go name of BF's assembly function: the Go name, or for a callback
/// path "gotramp" + it (the Go function wraps it in a panic barrier).
std::string trampolineGoName(const BoundFunction &BF);

/// NAME.go: declarations, enum types, constants, doc comments.
llvm::Expected<std::string> emitGoFile(const PackagePlan &Plan);

/// NAME_linux_ARCH.s: one trampoline per bound function.
llvm::Expected<std::string> emitAsmFile(const PackagePlan &Plan, const TargetPlan &TP);

/// One trampoline, BF.Body with its comments and TEXT line (exposed for
/// tests).
std::string emitTrampoline(const BoundFunction &BF);

/// Glue that makes cmd/link apply the relocations of a DynamicGlue .syso.
std::string emitDynamicGlueFile(const PackagePlan &Plan, const TargetPlan &TP);

/// Libc mode: NAME_libc_cgo.go (build tag cgo, imports runtime/cgo) and
/// NAME_libc_purego.go (!cgo, imports github.com/ebitengine/purego), which
/// give every thread glibc's TLS, for the targets whose code imports from
/// glibc; empty when none does. {name, content}.
std::vector<std::pair<std::string, std::string>> emitLibcThreadFiles(const PackagePlan &Plan);
/// Their names, whether written or not (for removing stale ones).
std::vector<std::string> libcThreadFileNames(const PackagePlan &Plan);

/// NAME_layout_test.go: every struct's size, alignment and field offsets
/// checked against the C layout; empty when there is no struct.
std::string emitLayoutTest(const PackagePlan &Plan);
std::string layoutTestFileName(const PackagePlan &Plan);

/// gotramp-report.json.
std::string emitReport(const PackagePlan &Plan);

/// The symbols file (CrashReport.cpp): whether TP gets crash reports, and
/// whether it gets the file, which relocates the image's data
/// (PackResult::Relocation) and registers the code range and function table
/// with the shim; the assembly function it needs, appended to TP's .s (""
/// without a symbols file).
bool emitsCrashReport(const PackagePlan &Plan, const TargetPlan &TP);
bool emitsSymbolsFile(const PackagePlan &Plan, const TargetPlan &TP);
std::string emitSymbolsFile(const PackagePlan &Plan, const TargetPlan &TP);
std::string emitNativeRootFunction(const PackagePlan &Plan, const TargetPlan &TP);
std::string symbolsFileName(const PackagePlan &Plan, const Target &Tgt);

/// File names, all relative to the output directory.
std::string goFileName(const PackagePlan &Plan);
std::string asmFileName(const PackagePlan &Plan, const Target &Tgt);
std::string sysoFileName(const PackagePlan &Plan, const Target &Tgt);
std::string glueFileName(const PackagePlan &Plan, const Target &Tgt);

} // namespace gotramp
