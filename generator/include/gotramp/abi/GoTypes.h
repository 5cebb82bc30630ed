//===- GoTypes.h - C types -> Go types -------------------------------------===//
//
// The type contract of ARCHITECTURE.md ("Go-side conventions"). A type with
// no Go equivalent yields an error whose message is the reason, used verbatim
// in "skipping 'fn': <reason>" diagnostics.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "gotramp/ir/IR.h"

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

/// Go type of a C value type as used in a function signature or a struct
/// field. Void is an error (callers handle `void` results before asking).
llvm::Expected<GoType> goTypeFor(const Type &T, const Module &M);

/// Go name of an enum's named type.
std::string goEnumTypeName(const Enum &E);

/// Go name of a struct or union's named type: "vec3" -> "Vec3".
std::string goRecordTypeName(const Record &R);

/// One field of a generated Go struct. Padding and bytes Go cannot type
/// (bit-fields, members a packed struct misaligns) are `_` or byte arrays.
struct GoField {
  std::string Name;    // "X", or "_" for padding
  std::string Type;    // "float64", "[3]byte", "[0]uint64"
  uint64_t Offset = 0; // equal to the C offset for every named field
  uint64_t Size = 0;
  std::string Comment; // why a C member became bytes; may be empty
  bool Named() const { return Name != "_"; }
};

/// The Go struct for a C record, with `structs.HostLayout` and the C size,
/// alignment and named-field offsets (ARCHITECTURE.md, Go-side
/// conventions). Alignment comes from the fields, or from a leading
/// `_ [0]uintN` when C's is larger; gaps become `_ [n]byte`.
struct GoStruct {
  std::string Name;
  std::vector<GoField> Fields;
  uint64_t Size = 0, Align = 0;
  bool ContainsPointer = false, UsesUnsafe = false;
  /// Forward-declared in C: a distinct Go type with no fields, only ever
  /// used through pointers.
  bool Opaque = false;
  /// The C layout cannot be reproduced (alignment over 8 bytes, ...): the
  /// type is still declared, as bytes, but cannot be passed by value.
  std::string Inexpressible;
};

GoStruct goStructFor(const Record &R, const Module &M);

} // namespace gotramp
