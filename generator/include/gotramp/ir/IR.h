//===- IR.h - gotramp module IR -------------------------------------------===//
//
// The IR sits between the frontends (C headers, DWARF) and the lowering. It
// records what the native side declares, laid out for one target, and keeps
// what gotramp cannot bind as data (TypeKind::Unsupported with a reason): the
// decision to skip or reject is taken at lowering, with a diagnostic.
//
//===----------------------------------------------------------------------===//
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace gotramp {

struct SourceLocation {
  std::string File;
  unsigned Line = 0;
  unsigned Column = 0;

  bool isValid() const { return !File.empty(); }
  /// "file:line:col", or "<unknown>" when the frontend had no location.
  std::string str() const;
  bool operator==(const SourceLocation &) const = default;
};

enum class TypeKind {
  Void,
  Bool,
  Integer,
  Float,
  Pointer,
  Record,          // struct or union, by name (Module::Records)
  Enum,            // by name (Module::Enums)
  FunctionPointer, // pointer to a function; the signature is not kept yet
  Array,
  /// runtime-shims/rust's `GoSlice<T>` ({data, len, cap}, element type in
  /// Type::Element) and `GoString` ({data, len}): Go's own slice and string
  /// headers, bound as Go `[]T` and `string` and passed like the structs
  /// they are.
  GoSlice,
  GoString,
  Unsupported,     // kept as data; Type::UnsupportedReason says why
};

/// What a C integer type was spelled as, where that changes its Go type
/// (ARCHITECTURE.md, Go-side conventions). Width and sign are in Type.
enum class IntegerFlavor {
  Plain,   // int, long, int32_t, ...
  Char,    // plain `char` (sign follows the target) -> byte
  Size,    // size_t, uintptr_t -> uintptr
  PtrDiff, // ptrdiff_t, intptr_t, ssize_t -> int
};

struct Type {
  TypeKind Kind = TypeKind::Void;
  /// The type as the C source spells it ("const char *", "size_t").
  std::string Spelling;
  uint64_t Size = 0;  // bytes, as the target's C compiler lays it out
  uint64_t Align = 0; // bytes
  bool IsSigned = false;                       // Integer, Enum (underlying)
  IntegerFlavor Flavor = IntegerFlavor::Plain; // Integer
  std::string Name;                            // Record, Enum: IR name
  /// Pointee (Pointer) or element (Array, GoSlice): zero or one entry.
  std::vector<Type> Element;
  uint64_t Count = 0;        // Array
  bool PointeeConst = false; // Pointer to const
  std::string UnsupportedReason;

  const Type *pointee() const { return Element.empty() ? nullptr : &Element[0]; }
  bool operator==(const Type &) const = default;
};

struct Parameter {
  std::string Name; // may be empty when the prototype omits it
  Type Ty;
  bool operator==(const Parameter &) const = default;
};

struct Function {
  std::string Name;   // C name
  std::string Symbol; // linker symbol
  Type Result;
  std::vector<Parameter> Params;
  bool IsVariadic = false;
  std::string Doc; // plain text of the doc comment, lines joined by '\n'
  SourceLocation Location;
  /// Strings from __attribute__((annotate("..."))), in source order.
  std::vector<std::string> Annotations;
  /// Set when the declaration itself cannot be bound (no prototype, static
  /// linkage, ...), independently of any target.
  std::string UnsupportedReason;
  /// A Module::FunctionTypes entry spelled inline in a function's parameter
  /// (`int (*compar)(const void *, const void *)`) rather than a typedef:
  /// Name is "FUNCTION.PARAM". It gets a callback constructor, no caller.
  bool InlineParameter = false;
  bool operator==(const Function &) const = default;
};

struct Field {
  std::string Name;
  Type Ty;
  uint64_t Offset = 0;   // bytes
  unsigned BitWidth = 0; // non-zero for a bit-field
  bool operator==(const Field &) const = default;
};

struct Record {
  std::string Name; // "struct vec3" -> "vec3"; a typedef'd anonymous struct takes the typedef name
  bool IsUnion = false;
  bool IsComplete = false; // false for an opaque (forward-declared) struct
  uint64_t Size = 0;
  uint64_t Align = 0;
  std::vector<Field> Fields;
  std::string Doc;
  SourceLocation Location;
  bool operator==(const Record &) const = default;
};

struct EnumConstant {
  std::string Name;
  int64_t Value = 0;
  std::string Doc;
  bool operator==(const EnumConstant &) const = default;
};

struct Enum {
  std::string Name;
  Type Underlying; // an Integer type
  std::vector<EnumConstant> Constants;
  std::string Doc;
  SourceLocation Location;
  bool operator==(const Enum &) const = default;
};

/// An integer constant from an object-like macro (`#define N 16`).
struct Constant {
  std::string Name;
  int64_t Value = 0;
  bool IsUnsigned = false; // the value is to be read as uint64_t
  std::string Doc;
  SourceLocation Location;
  bool operator==(const Constant &) const = default;
};

/// Everything one frontend run found, for one target.
struct Module {
  std::string Triple; // target the layouts were computed for
  std::vector<Function> Functions;
  std::vector<Record> Records;
  std::vector<Enum> Enums;
  std::vector<Constant> Constants;
  /// Function-pointer typedefs (`typedef int (*cmp_fn)(const void *, const
  /// void *);`): Name is the typedef's, Symbol is empty. Each gets a Go
  /// function that calls a pointer of that type, and a constructor for Go
  /// callbacks of that type. Then the function-pointer types spelled inline
  /// in parameters (Function::InlineParameter), in declaration order.
  std::vector<Function> FunctionTypes;

  const Record *findRecord(const std::string &Name) const;
  const Enum *findEnum(const std::string &Name) const;
  bool operator==(const Module &) const = default;
};

/// "int64_t a", "const char *s", "unsigned char bytes[8]".
std::string declarator(const Type &T, const std::string &Name);

/// The C prototype of F, for comments and the report: "int64_t add(int64_t a, int64_t b)".
std::string cPrototype(const Function &F);

} // namespace gotramp
