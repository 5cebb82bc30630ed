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
/// Go keywords and names the generated code reserves get a trailing '_';
/// an empty name becomes "p<Index>".
std::string goParamName(llvm::StringRef CName, unsigned Index);

bool isGoKeyword(llvm::StringRef Word);

} // namespace gotramp
