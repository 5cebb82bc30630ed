//===- Naming.h - C names -> Go names ---------------------------------------===//
//
// The naming contract of ARCHITECTURE.md: split the C name on '_', upper-case
// the first letter of each part, join. `add_i64` -> `AddI64`,
// `XXH64_digest` -> `XXH64Digest`.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "llvm/ADT/StringRef.h"

#include <string>

namespace gotramp {

/// Exported Go name for a C function, type or field name.
std::string goExportedName(llvm::StringRef CName);

/// Go name for a constant: kept as spelled when already exported, else
/// converted like goExportedName.
std::string goConstantName(llvm::StringRef CName);

/// A parameter name usable in Go source and in `name+off(FP)` operands:
/// Go keywords, assembler names (isAssemblerName) and names the generated
/// code reserves get trailing '_'s; an empty name or "_" becomes
/// "p<Index>". Distinct C names may still meet (`g` and `g_`): see
/// uniqueParamNames.
std::string goParamName(llvm::StringRef CName, unsigned Index);

/// Whether the Go assembler of amd64 or arm64 gives Name a meaning (a
/// register, pseudo-register, special operand or predefined macro) or may
/// in a later Go release, so that `Name+8(FP)` would not name the argument.
/// One Go declaration serves both targets' .s files, so a name is taken when
/// either assembler takes it.
bool isAssemblerName(llvm::StringRef Name);

/// Whether goParamName renames Name.
bool isReservedParamName(llvm::StringRef Name);

bool isGoKeyword(llvm::StringRef Word);

} // namespace gotramp
