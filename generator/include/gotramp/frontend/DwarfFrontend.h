//===- DwarfFrontend.h - objects' DWARF -> Module (LLVM DebugInfo) ---------===//
//
// Reads the functions an object or archive exports from its debug info:
// C (built with -g), C++ `extern "C"` and Rust `#[no_mangle] extern "C"`
// code, into the same IR the header frontend produces.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "gotramp/ir/IR.h"
#include "gotramp/support/Target.h"

#include "llvm/Support/Error.h"

#include <string>
#include <vector>

namespace gotramp {

struct DwarfInput {
  std::vector<std::string> Objects; // .o and .a files, all built for one target
  /// Symbols to bind; empty: every exported function (global, defined,
  /// STT_FUNC) that has a DWARF subprogram, minus the Rust runtime's own
  /// (see parseDwarf).
  std::vector<std::string> Only;
  /// Rust only: bind functions of these crates (the DWARF namespace the
  /// function sits in, e.g. "mycrate"); empty: every crate but the standard
  /// library's (std, core, alloc, compiler_builtins, ...).
  std::vector<std::string> Crates;
};

/// Functions from the objects' DWARF for Tgt, with the records and enums their
/// signatures use. Function::Location is the definition's DW_AT_decl_file and
/// DW_AT_decl_line (absolute path). Types DWARF shows but Go cannot take
/// (Rust slices, str, trait objects, tuples, data-carrying enums, char,
/// 128-bit integers, long double) stay in the IR as TypeKind::Unsupported
/// with a reason that names the type's own file:line when DWARF has it.
/// Errors: unreadable or non-ELF input, input for another architecture, a
/// symbol in Only that no object defines or that has no debug info.
/// DWARF has no doc comments, macros or annotations: those fields stay empty.
llvm::Expected<Module> parseDwarf(const DwarfInput &Input, const Target &Tgt);

} // namespace gotramp
