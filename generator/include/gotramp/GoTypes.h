//===- GoTypes.h - C types -> Go types -------------------------------------===//
//
// The type contract of ARCHITECTURE.md ("Go-side conventions"). A type with
// no Go equivalent yields an error whose message is the reason, used verbatim
// in "skipping 'fn': <reason>" diagnostics.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "gotramp/IR.h"

#include "llvm/Support/Error.h"

#include <string>

namespace gotramp {

struct GoType {
  std::string Spelling; // "int64", "*byte", "unsafe.Pointer"
  uint64_t Size = 0;    // under Go's rules on a 64-bit target
  uint64_t Align = 0;
  bool IsFloat = false;      // lives in floating-point registers
  bool ContainsPointer = false;
  bool UsesUnsafe = false;   // needs `import "unsafe"`
};

/// Go type of a C value type as used in a function signature. Void is an
/// error (callers handle `void` results before asking).
llvm::Expected<GoType> goTypeFor(const Type &T, const Module &M);

/// Go name of an enum's named type.
std::string goEnumTypeName(const Enum &E);

} // namespace gotramp
