//===- DwarfTypes.cpp - DWARF type DIEs -> IR types (LLVM DebugInfo) ------===//
//
// ModuleBuilder's type reading (see DwarfReader.h). Types are read from the
// DIEs the way the header frontend reads them from Clang's AST, so a C object
// built with -g yields the same IR as its header, minus what DWARF does not
// record (doc comments, macros, annotations, unused enums). Rust types are
// named as rustc names them in DWARF ("*const u8", "&mut Point", "[u8; 32]");
// Rust's Option<&T> and NonNull<T> become pointers, and gotramp_go's GoSlice<T>
// and GoString Go slices and strings. Also the DIE attribute helpers that
// DwarfFrontend.cpp shares.
//
//===----------------------------------------------------------------------===//
#include "DwarfReader.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/BinaryFormat/Dwarf.h"
#include "llvm/DebugInfo/DWARF/DWARFDie.h"
#include "llvm/Support/Path.h"

#include <optional>
#include <vector>

namespace gotramp {
namespace detail {

using namespace llvm;
using llvm::dwarf::Attribute;

namespace {

constexpr uint64_t PointerBytes = 8; // both supported targets are LP64

} // namespace

std::string attrString(const DWARFDie &D, Attribute A) {
  if (auto V = D.find(A)) {
    if (auto S = V->getAsCString())
      return *S;
    else
      consumeError(S.takeError());
  }
  return "";
}

std::vector<DWARFDie> childrenOf(const DWARFDie &D) {
  std::vector<DWARFDie> Out;
  for (DWARFDie C : D.children()) {
    if (!C.isValid())
      break;
    Out.push_back(C);
  }
  return Out;
}

std::optional<uint64_t> attrUnsigned(const DWARFDie &D, Attribute A) {
  if (auto V = D.find(A))
    return V->getAsUnsignedConstant();
  return std::nullopt;
}

gotramp::SourceLocation locationOf(const DWARFDie &D) {
  gotramp::SourceLocation L;
  L.File = D.getDeclFile(DILineInfoSpecifier::FileLineInfoKind::AbsoluteFilePath);
  if (L.File.empty())
    return L;
  llvm::SmallString<256> Clean(L.File);
  llvm::sys::path::remove_dots(Clean, /*remove_dot_dot=*/true);
  L.File = std::string(Clean);
  L.Line = D.getDeclLine();
  if (auto V = D.findRecursively(dwarf::DW_AT_decl_column))
    L.Column = V->getAsUnsignedConstant().value_or(0);
  return L;
}

namespace {

/// " (src/lib.rs:12)" for a type DIE with a location, else "".
std::string declaredAt(const DWARFDie &D) {
  gotramp::SourceLocation L = locationOf(D);
  if (!L.isValid())
    return "";
  return " (" + L.File + ":" + std::to_string(L.Line) + ")";
}

Type unsupported(Type T, const std::string &Why) {
  T.Kind = TypeKind::Unsupported;
  T.UnsupportedReason = Why;
  return T;
}

bool hasVariantPart(const DWARFDie &D) {
  for (DWARFDie C : childrenOf(D))
    if (C.getTag() == dwarf::DW_TAG_variant_part)
      return true;
  return false;
}

/// The payload type of a Rust Option<T>: rustc nests a `Some` struct with
/// one member `__0` in the Option's DIE.
DWARFDie optionPayload(const DWARFDie &D) {
  for (DWARFDie C : childrenOf(D))
    if (C.getTag() == dwarf::DW_TAG_structure_type && attrString(C, dwarf::DW_AT_name) == "Some")
      for (DWARFDie F : childrenOf(C))
        if (F.getTag() == dwarf::DW_TAG_member && attrString(F, dwarf::DW_AT_name) == "__0")
          return F.getAttributeValueAsReferencedDie(dwarf::DW_AT_type);
  return {};
}

/// How many DW_AT_type links a type may nest: real C and Rust types stay far
/// below it, while a corrupt object can make the links a cycle.
constexpr unsigned MaxTypeDepth = 64;

/// D without its typedefs; an empty DIE for a typedef chain longer than
/// MaxTypeDepth (a cycle).
DWARFDie stripTypedefs(DWARFDie D) {
  for (unsigned Steps = 0; D && D.getTag() == dwarf::DW_TAG_typedef; ++Steps) {
    if (Steps == MaxTypeDepth)
      return {};
    D = D.getAttributeValueAsReferencedDie(dwarf::DW_AT_type);
  }
  return D;
}

/// Whether the DW_AT_type links DWARFDie::getTypeSize follows from D end
/// within MaxTypeDepth steps: it follows them without a limit.
bool sizeChainEnds(DWARFDie D) {
  for (unsigned Steps = 0; D; ++Steps) {
    if (Steps == MaxTypeDepth)
      return false;
    if (D.find(dwarf::DW_AT_byte_size) || D.getTag() == dwarf::DW_TAG_pointer_type ||
        D.getTag() == dwarf::DW_TAG_reference_type ||
        D.getTag() == dwarf::DW_TAG_rvalue_reference_type)
      return true;
    D = D.getAttributeValueAsReferencedDie(dwarf::DW_AT_type);
  }
  return true;
}

} // namespace

Type ModuleBuilder::convert(DWARFDie D, const std::string &NameHint) {
  Type T;
  if (!D) {
    T.Kind = TypeKind::Void;
    T.Spelling = "void";
    return T;
  }
  if (ConvertDepth == MaxTypeDepth)
    return unsupported(T, "its type nests more than " + std::to_string(MaxTypeDepth) +
                              " levels deep (a cycle in the object's DWARF?)");
  ++ConvertDepth;
  T = convertDie(D, NameHint);
  --ConvertDepth;
  return T;
}

Type ModuleBuilder::convertDie(DWARFDie D, const std::string &NameHint) {
  Type T;
  switch (D.getTag()) {
  case dwarf::DW_TAG_base_type:
    return convertBase(D);
  case dwarf::DW_TAG_unspecified_type: // C++ decltype(nullptr)
    return unsupported(T, "type '" + attrString(D, dwarf::DW_AT_name) + "' is not supported");
  case dwarf::DW_TAG_typedef: {
    std::string Name = attrString(D, dwarf::DW_AT_name);
    T = convert(D.getAttributeValueAsReferencedDie(dwarf::DW_AT_type), Name);
    T.Spelling = Name;
    if (T.Kind == TypeKind::Integer && T.Flavor == IntegerFlavor::Plain) {
      if (Name == "size_t" || Name == "uintptr_t")
        T.Flavor = IntegerFlavor::Size;
      else if (Name == "ptrdiff_t" || Name == "intptr_t" || Name == "ssize_t")
        T.Flavor = IntegerFlavor::PtrDiff;
    }
    return T;
  }
  case dwarf::DW_TAG_const_type:
  case dwarf::DW_TAG_volatile_type:
  case dwarf::DW_TAG_restrict_type:
  case dwarf::DW_TAG_atomic_type: {
    T = convert(D.getAttributeValueAsReferencedDie(dwarf::DW_AT_type), NameHint);
    const char *Q = D.getTag() == dwarf::DW_TAG_const_type      ? "const"
                    : D.getTag() == dwarf::DW_TAG_volatile_type ? "volatile"
                    : D.getTag() == dwarf::DW_TAG_restrict_type ? "restrict"
                                                                : "_Atomic";
    if (D.getTag() == dwarf::DW_TAG_atomic_type)
      return unsupported(T, "_Atomic type '" + T.Spelling + "' is not supported");
    if (!T.Spelling.empty() && T.Spelling.back() == '*')
      T.Spelling += Q;
    else
      T.Spelling = std::string(Q) + " " + T.Spelling;
    return T;
  }
  case dwarf::DW_TAG_pointer_type:
  case dwarf::DW_TAG_reference_type:
  case dwarf::DW_TAG_rvalue_reference_type:
    return convertPointer(D);
  case dwarf::DW_TAG_structure_type:
  case dwarf::DW_TAG_class_type:
  case dwarf::DW_TAG_union_type:
    return convertRecordType(D, NameHint);
  case dwarf::DW_TAG_enumeration_type:
    return convertEnumType(D, NameHint);
  case dwarf::DW_TAG_array_type:
    return convertArray(D);
  case dwarf::DW_TAG_subroutine_type:
    T.Spelling = functionSpelling(D, "");
    return unsupported(T, "function type '" + T.Spelling + "' is not a value type");
  default:
    T.Spelling = attrString(D, dwarf::DW_AT_name);
    return unsupported(T, "type '" + T.Spelling + "' (" +
                              dwarf::TagString(D.getTag()).str() + ") is not supported" +
                              declaredAt(D));
  }
}

/// Alignment of a type DIE: DW_AT_alignment when the producer wrote one,
/// else what both LP64 targets use (natural alignment of scalars, largest
/// member for aggregates).
uint64_t ModuleBuilder::alignOf(DWARFDie D, unsigned Depth) {
  if (!D || Depth == MaxTypeDepth)
    return 0;
  if (auto A = attrUnsigned(D, dwarf::DW_AT_alignment))
    return *A;
  switch (D.getTag()) {
  case dwarf::DW_TAG_base_type: {
    uint64_t Size = attrUnsigned(D, dwarf::DW_AT_byte_size).value_or(0);
    return Size == 0 ? 1 : std::min<uint64_t>(Size, 16);
  }
  case dwarf::DW_TAG_pointer_type:
  case dwarf::DW_TAG_reference_type:
  case dwarf::DW_TAG_rvalue_reference_type:
    return PointerBytes;
  case dwarf::DW_TAG_typedef:
  case dwarf::DW_TAG_const_type:
  case dwarf::DW_TAG_volatile_type:
  case dwarf::DW_TAG_restrict_type:
  case dwarf::DW_TAG_atomic_type:
  case dwarf::DW_TAG_array_type:
    return alignOf(D.getAttributeValueAsReferencedDie(dwarf::DW_AT_type), Depth + 1);
  case dwarf::DW_TAG_enumeration_type:
    if (DWARFDie U = D.getAttributeValueAsReferencedDie(dwarf::DW_AT_type))
      return alignOf(U, Depth + 1);
    return attrUnsigned(D, dwarf::DW_AT_byte_size).value_or(4);
  case dwarf::DW_TAG_structure_type:
  case dwarf::DW_TAG_class_type:
  case dwarf::DW_TAG_union_type: {
    if (D.find(dwarf::DW_AT_declaration))
      return 0;
    uint64_t Align = 1;
    bool Packed = false;
    for (DWARFDie C : childrenOf(D)) {
      if (C.getTag() != dwarf::DW_TAG_member || C.find(dwarf::DW_AT_external))
        continue;
      uint64_t A = alignOf(C.getAttributeValueAsReferencedDie(dwarf::DW_AT_type), Depth + 1);
      if (auto Off = attrUnsigned(C, dwarf::DW_AT_data_member_location); Off && A && *Off % A)
        Packed = true;
      Align = std::max(Align, A);
    }
    uint64_t Size = attrUnsigned(D, dwarf::DW_AT_byte_size).value_or(0);
    if (Packed || (Size && Size % Align))
      return 1; // __attribute__((packed)) leaves no other trace in DWARF
    return Align;
  }
  default:
    return 1;
  }
}

uint64_t ModuleBuilder::sizeOf(DWARFDie D) {
  if (!D)
    return 0;
  if (D.find(dwarf::DW_AT_declaration) || !sizeChainEnds(D))
    return 0;
  return D.getTypeSize(PointerBytes).value_or(0);
}

Type ModuleBuilder::convertBase(DWARFDie D) {
  Type T;
  std::string Name = attrString(D, dwarf::DW_AT_name);
  T.Spelling = Name == "_Bool" ? "bool" : Name;
  T.Size = attrUnsigned(D, dwarf::DW_AT_byte_size).value_or(0);
  T.Align = alignOf(D);
  unsigned Encoding = attrUnsigned(D, dwarf::DW_AT_encoding).value_or(0);
  if (Rust && Name == "()") {
    T.Kind = TypeKind::Void;
    T.Spelling = "void";
    T.Size = T.Align = 0;
    return T;
  }
  switch (Encoding) {
  case dwarf::DW_ATE_boolean:
    T.Kind = TypeKind::Bool;
    return T;
  case dwarf::DW_ATE_float:
    if (T.Size == 4 || T.Size == 8) {
      T.Kind = TypeKind::Float;
      return T;
    }
    if (!Rust && (Name == "long double" || T.Size == 16 || T.Size == 10))
      return unsupported(T, "'long double' has no Go equivalent");
    return unsupported(T, "floating-point type '" + Name + "' has no Go equivalent");
  case dwarf::DW_ATE_UTF:
    if (Rust)
      return unsupported(T, "Rust 'char' is not FFI-safe here: Go can pass any uint32, and a "
                            "value that is not a Unicode scalar value is undefined behaviour; "
                            "take a u32 and convert with char::from_u32");
    T.Kind = TypeKind::Integer; // C++ char8_t/char16_t/char32_t
    return T;
  case dwarf::DW_ATE_signed:
  case dwarf::DW_ATE_unsigned:
  case dwarf::DW_ATE_signed_char:
  case dwarf::DW_ATE_unsigned_char:
    break;
  default:
    return unsupported(T, "type '" + Name + "' (DWARF encoding " +
                              dwarf::AttributeEncodingString(Encoding).str() +
                              ") is not supported");
  }
  bool Signed = Encoding == dwarf::DW_ATE_signed || Encoding == dwarf::DW_ATE_signed_char;
  if (T.Size == 16)
    return unsupported(T, "128-bit integer '" + T.Spelling + "' has no Go equivalent");
  T.Kind = TypeKind::Integer;
  T.IsSigned = Signed;
  if (!Rust && Name == "char")
    T.Flavor = IntegerFlavor::Char; // sign follows the target, as the encoding says
  else if (Rust && Name == "usize")
    T.Flavor = IntegerFlavor::Size;
  else if (Rust && Name == "isize")
    T.Flavor = IntegerFlavor::PtrDiff;
  return T;
}

std::optional<Function> ModuleBuilder::pointedFunctionType(DWARFDie D) {
  auto bare = [](DWARFDie X) {
    for (unsigned Steps = 0; X && Steps < MaxTypeDepth; ++Steps) {
      dwarf::Tag T = X.getTag();
      if (T != dwarf::DW_TAG_typedef && T != dwarf::DW_TAG_const_type &&
          T != dwarf::DW_TAG_volatile_type && T != dwarf::DW_TAG_restrict_type)
        return X;
      X = X.getAttributeValueAsReferencedDie(dwarf::DW_AT_type);
    }
    return DWARFDie();
  };
  DWARFDie Ptr = bare(D);
  if (!Ptr || Ptr.getTag() != dwarf::DW_TAG_pointer_type)
    return std::nullopt;
  DWARFDie Sub = bare(Ptr.getAttributeValueAsReferencedDie(dwarf::DW_AT_type));
  if (!Sub || Sub.getTag() != dwarf::DW_TAG_subroutine_type)
    return std::nullopt;
  Function F;
  F.InlineParameter = true;
  F.Result = convert(Sub.getAttributeValueAsReferencedDie(dwarf::DW_AT_type));
  for (DWARFDie P : childrenOf(Sub)) {
    if (P.getTag() == dwarf::DW_TAG_unspecified_parameters)
      F.IsVariadic = true;
    else if (P.getTag() == dwarf::DW_TAG_formal_parameter)
      F.Params.push_back({"", convert(P.getAttributeValueAsReferencedDie(dwarf::DW_AT_type))});
  }
  return F;
}

/// "int (*)(int, char *)", the way Clang prints a function pointer type.
std::string ModuleBuilder::functionSpelling(DWARFDie Fn, const std::string &Declarator) {
  std::string S = convert(Fn.getAttributeValueAsReferencedDie(dwarf::DW_AT_type)).Spelling;
  S += " (" + Declarator + ")(";
  bool First = true, Variadic = false;
  for (DWARFDie P : childrenOf(Fn)) {
    if (P.getTag() == dwarf::DW_TAG_unspecified_parameters)
      Variadic = true;
    if (P.getTag() != dwarf::DW_TAG_formal_parameter)
      continue;
    S += (First ? "" : ", ") +
         convert(P.getAttributeValueAsReferencedDie(dwarf::DW_AT_type)).Spelling;
    First = false;
  }
  if (Variadic)
    S += First ? "..." : ", ...";
  else if (First && Fn.find(dwarf::DW_AT_prototyped))
    S += "void";
  return S + ")";
}

Type ModuleBuilder::convertPointer(DWARFDie D) {
  Type T;
  T.Size = PointerBytes;
  T.Align = PointerBytes;
  std::string RustName = Rust ? attrString(D, dwarf::DW_AT_name) : "";
  DWARFDie Pointee = D.getAttributeValueAsReferencedDie(dwarf::DW_AT_type);
  DWARFDie Bare = Pointee;
  for (unsigned Steps = 0; Bare && (Bare.getTag() == dwarf::DW_TAG_const_type ||
                                    Bare.getTag() == dwarf::DW_TAG_volatile_type ||
                                    Bare.getTag() == dwarf::DW_TAG_restrict_type);
       ++Steps)
    Bare = Steps == MaxTypeDepth ? DWARFDie()
                                 : Bare.getAttributeValueAsReferencedDie(dwarf::DW_AT_type);
  DWARFDie Canon = stripTypedefs(Bare);
  if (Canon && Canon.getTag() == dwarf::DW_TAG_subroutine_type) {
    T.Kind = TypeKind::FunctionPointer;
    T.Spelling = !RustName.empty() ? RustName : functionSpelling(Canon, "*");
    return T;
  }
  T.Kind = TypeKind::Pointer;
  // core::ffi::c_void is a two-variant enum in DWARF; behind a pointer it is void.
  bool RustVoid = Rust && Canon && Canon.getTag() == dwarf::DW_TAG_enumeration_type &&
                  attrString(Canon, dwarf::DW_AT_name) == "c_void";
  Type Elem = convert(RustVoid ? DWARFDie() : Pointee);
  if (Rust) {
    // rustc writes no DW_TAG_const_type: constness is in the name.
    llvm::StringRef N(RustName);
    T.PointeeConst = N.starts_with("*const ") || (N.starts_with("&") && !N.starts_with("&mut "));
    T.Spelling = RustName;
  } else {
    // Clang marks the pointee const on the pointee type itself.
    T.PointeeConst = Pointee && Pointee.getTag() == dwarf::DW_TAG_const_type;
    if (!Pointee)
      Elem.Spelling = "void";
    T.Spelling = Elem.Spelling + (llvm::StringRef(Elem.Spelling).ends_with("*") ? "*" : " *");
    if (D.getTag() != dwarf::DW_TAG_pointer_type)
      return unsupported(T, "C++ reference '" + T.Spelling + "' is not supported");
  }
  T.Element.push_back(std::move(Elem));
  return T;
}

/// Rust Option<&T>, Option<&mut T>, Option<NonNull<T>>, Option<extern fn>:
/// the null-pointer optimisation makes them a nullable pointer. Returns
/// false for any other Option.
bool ModuleBuilder::nullablePointer(DWARFDie D, Type &Out) {
  DWARFDie Arg = stripTypedefs(optionPayload(D));
  if (!Arg || sizeOf(D) != PointerBytes)
    return false;
  Type Inner;
  if (Arg.getTag() == dwarf::DW_TAG_pointer_type &&
      llvm::StringRef(attrString(Arg, dwarf::DW_AT_name)).starts_with("&"))
    Inner = convertPointer(Arg);
  else if (Arg.getTag() == dwarf::DW_TAG_structure_type &&
           llvm::StringRef(attrString(Arg, dwarf::DW_AT_name)).starts_with("NonNull<"))
    Inner = convertRecordType(Arg, "");
  else if (Arg.getTag() == dwarf::DW_TAG_pointer_type &&
           stripTypedefs(Arg.getAttributeValueAsReferencedDie(dwarf::DW_AT_type)).getTag() ==
               dwarf::DW_TAG_subroutine_type)
    Inner = convertPointer(Arg);
  else
    return false;
  if (Inner.Kind != TypeKind::Pointer && Inner.Kind != TypeKind::FunctionPointer)
    return false;
  Inner.Spelling = attrString(D, dwarf::DW_AT_name);
  Out = std::move(Inner);
  return true;
}

/// The Rust path of a type DIE without its own name: the names of the
/// namespaces around it, outermost (the crate) first ("gotramp_go").
std::string ModuleBuilder::rustPath(DWARFDie D) {
  std::string Path;
  for (DWARFDie P = D.getParent(); P && P.getTag() == dwarf::DW_TAG_namespace; P = P.getParent())
    Path = attrString(P, dwarf::DW_AT_name) + (Path.empty() ? "" : "::" + Path);
  return Path;
}

/// runtime-shims/rust's gotramp_go::GoSlice<T> and gotramp_go::GoString,
/// recognised by their path and name: Go's own slice ({data, len, cap}) and
/// string ({data, len}) headers, bound as Go []T and string. The layout is
/// checked field by field, because Go passes its headers exactly so: a
/// changed or look-alike crate is rejected with the struct's file:line
/// rather than bound wrongly. nullopt for any other type.
std::optional<Type> ModuleBuilder::goHeader(DWARFDie D, const std::string &Name) {
  llvm::StringRef N(Name);
  bool Slice = N.starts_with("GoSlice<") && N.ends_with(">");
  if ((!Slice && N != "GoString") || rustPath(D) != "gotramp_go")
    return std::nullopt;
  Type T;
  T.Spelling = Name;
  T.Size = sizeOf(D);
  T.Align = alignOf(D);
  const char *Header = Slice ? "Go slice header {data: *mut T, len: isize, cap: isize}"
                             : "Go string header {data: *const u8, len: isize}";
  // rustc gives structs no DW_AT_decl_file; their methods have one. The
  // skip warning names the function's own file:line in any case.
  std::string Where = declaredAt(D);
  for (DWARFDie C : childrenOf(D))
    if (Where.empty() && C.getTag() == dwarf::DW_TAG_subprogram)
      if (gotramp::SourceLocation L = locationOf(C); L.isValid())
        Where = " (from " + L.File + ")";
  auto bad = [&](const std::string &Why) {
    return unsupported(T, "'gotramp_go::" + Name + "'" + Where +
                              " does not have the layout of a " + Header + ": " + Why +
                              " (a gotramp-go crate that does not match this gotramp?)");
  };
  if (D.find(dwarf::DW_AT_declaration))
    return bad("it is only declared");
  // Zero-sized members (PhantomData<T>) take no room and are ignored.
  std::vector<DWARFDie> Members;
  for (DWARFDie C : childrenOf(D))
    if (C.getTag() == dwarf::DW_TAG_member && !C.find(dwarf::DW_AT_external) &&
        sizeOf(C.getAttributeValueAsReferencedDie(dwarf::DW_AT_type)) != 0)
      Members.push_back(C);
  const std::vector<std::string> Want =
      Slice ? std::vector<std::string>{"data", "len", "cap"}
            : std::vector<std::string>{"data", "len"};
  if (Members.size() != Want.size())
    return bad("it has " + std::to_string(Members.size()) + " non-empty fields, not " +
               std::to_string(Want.size()));
  for (size_t I = 0; I < Want.size(); ++I) {
    DWARFDie Ty = stripTypedefs(Members[I].getAttributeValueAsReferencedDie(dwarf::DW_AT_type));
    std::string Field = attrString(Members[I], dwarf::DW_AT_name);
    std::string TyName = Ty ? attrString(Ty, dwarf::DW_AT_name) : "";
    uint64_t Offset = attrUnsigned(Members[I], dwarf::DW_AT_data_member_location).value_or(~0ull);
    if (Field != Want[I])
      return bad("field " + std::to_string(I) + " is '" + Field + "', not '" + Want[I] + "'");
    if (Offset != I * PointerBytes)
      return bad("field '" + Field + "' is at offset " + std::to_string(Offset) + ", not " +
                 std::to_string(I * PointerBytes));
    if (I == 0) {
      if (!Ty || Ty.getTag() != dwarf::DW_TAG_pointer_type || sizeOf(Ty) != PointerBytes ||
          !llvm::StringRef(TyName).starts_with("*"))
        return bad("field 'data' is '" + TyName + "', not a raw pointer");
      continue;
    }
    unsigned Encoding = Ty ? attrUnsigned(Ty, dwarf::DW_AT_encoding).value_or(0) : 0;
    if (!Ty || Ty.getTag() != dwarf::DW_TAG_base_type || sizeOf(Ty) != PointerBytes ||
        (Encoding != dwarf::DW_ATE_signed && Encoding != dwarf::DW_ATE_unsigned))
      return bad("field '" + Field + "' is '" + TyName + "', not isize or usize");
  }
  if (T.Size != Want.size() * PointerBytes || T.Align != PointerBytes)
    return bad("it is " + std::to_string(T.Size) + " bytes aligned to " +
               std::to_string(T.Align) + ", not " + std::to_string(Want.size() * PointerBytes) +
               " aligned to " + std::to_string(PointerBytes));
  Type Data = convertPointer(Members[0].getAttributeValueAsReferencedDie(dwarf::DW_AT_type));
  Type Elem = Data.Element.empty() ? convert(DWARFDie()) : Data.Element[0];
  if (Slice) {
    T.Kind = TypeKind::GoSlice;
    T.Element.push_back(std::move(Elem));
    return T;
  }
  if (Elem.Kind != TypeKind::Integer || Elem.Size != 1)
    return bad("field 'data' is '" + Data.Spelling + "', not *const u8");
  T.Kind = TypeKind::GoString;
  return T;
}

Type ModuleBuilder::convertRecordType(DWARFDie D, const std::string &NameHint) {
  Type T;
  std::string Name = attrString(D, dwarf::DW_AT_name);
  bool IsUnion = D.getTag() == dwarf::DW_TAG_union_type;
  T.Size = sizeOf(D);
  T.Align = alignOf(D);
  if (Rust) {
    llvm::StringRef N(Name);
    T.Spelling = Name;
    if (N.starts_with("Option<") && nullablePointer(D, T))
      return T;
    if (std::optional<Type> G = goHeader(D, Name))
      return *G;
    if (N.starts_with("NonNull<")) {
      for (DWARFDie C : childrenOf(D))
        if (C.getTag() == dwarf::DW_TAG_member && attrString(C, dwarf::DW_AT_name) == "pointer") {
          T = convertPointer(C.getAttributeValueAsReferencedDie(dwarf::DW_AT_type));
          T.PointeeConst = false;
          T.Spelling = Name;
          return T;
        }
    }
    if (N.starts_with("&") || N.starts_with("*"))
      return unsupported(T, "'" + Name + "' is a fat pointer (address plus length or vtable) "
                            "and not FFI-safe; pass a thin pointer and a length, or a "
                            "gotramp GoSlice/GoString (runtime-shims/rust)");
    if (N.starts_with("("))
      return unsupported(T, "tuple '" + Name + "' is not FFI-safe (no guaranteed layout); "
                            "use a #[repr(C)] struct" + declaredAt(D));
    if (hasVariantPart(D))
      return unsupported(T, "enum '" + Name + "'" + declaredAt(D) +
                                " carries data and is not FFI-safe; use a #[repr(C)] struct, "
                                "a fieldless #[repr(C)] enum, or Option<&T>/Option<NonNull<T>>");
    if (N.starts_with("{closure") || N.contains("{"))
      return unsupported(T, "'" + Name + "' is not FFI-safe" + declaredAt(D));
  } else {
    T.Spelling = (IsUnion ? "union " : "struct ") + Name;
  }
  if (Name.empty()) {
    if (!NameHint.empty()) {
      Name = NameHint;
      T.Spelling = NameHint;
    } else {
      gotramp::SourceLocation L = locationOf(D);
      Name = "anon_" + llvm::sys::path::stem(L.File).str() + "_" + std::to_string(L.Line);
      T.Spelling = (IsUnion ? "union " : "struct ") + Name;
    }
  }
  T.Kind = TypeKind::Record;
  T.Name = Name;
  addRecord(D, Name, IsUnion);
  return T;
}

void ModuleBuilder::addRecord(DWARFDie D, const std::string &Name, bool IsUnion) {
  bool Complete = !D.find(dwarf::DW_AT_declaration);
  auto It = RecordIndex.find(Name);
  if (It != RecordIndex.end()) {
    // A declaration seen first, its definition in a later unit: fill it in.
    if (!Complete || M.Records[It->second].IsComplete)
      return;
  }
  Record R;
  R.Name = Name;
  R.IsUnion = IsUnion;
  R.IsComplete = Complete;
  R.Location = locationOf(D);
  size_t Index;
  if (It != RecordIndex.end()) {
    Index = It->second;
    M.Records[Index] = R;
  } else {
    Index = M.Records.size();
    RecordIndex[Name] = Index;
    M.Records.push_back(R);
  }
  if (!Complete)
    return;
  Record Filled = R;
  Filled.Size = sizeOf(D);
  Filled.Align = alignOf(D);
  for (DWARFDie C : childrenOf(D)) {
    if (C.getTag() != dwarf::DW_TAG_member || C.find(dwarf::DW_AT_external) ||
        C.find(dwarf::DW_AT_declaration))
      continue;
    Field F;
    F.Name = attrString(C, dwarf::DW_AT_name);
    F.Ty = convert(C.getAttributeValueAsReferencedDie(dwarf::DW_AT_type));
    if (auto Bits = attrUnsigned(C, dwarf::DW_AT_data_bit_offset))
      F.Offset = *Bits / 8;
    else
      F.Offset = attrUnsigned(C, dwarf::DW_AT_data_member_location).value_or(0);
    F.BitWidth = attrUnsigned(C, dwarf::DW_AT_bit_size).value_or(0);
    Filled.Fields.push_back(std::move(F));
  }
  // convert() may have appended records: index, do not hold a reference.
  M.Records[Index] = std::move(Filled);
}

Type ModuleBuilder::convertEnumType(DWARFDie D, const std::string &NameHint) {
  Type T;
  std::string Name = attrString(D, dwarf::DW_AT_name);
  if (Name.empty())
    Name = NameHint;
  T.Spelling = Rust || Name == NameHint ? Name : "enum " + Name;
  T.Size = sizeOf(D);
  T.Align = alignOf(D);
  if (Name.empty()) {
    gotramp::SourceLocation L = locationOf(D);
    Name = "anon_" + llvm::sys::path::stem(L.File).str() + "_" + std::to_string(L.Line);
    T.Spelling = "enum " + Name;
  }
  if (D.find(dwarf::DW_AT_declaration))
    return unsupported(T, "enum '" + T.Spelling + "' is declared but never defined");
  Type Underlying;
  if (DWARFDie U = D.getAttributeValueAsReferencedDie(dwarf::DW_AT_type)) {
    Underlying = convert(U);
  } else {
    // Producers that omit the underlying type: C's int or unsigned int.
    bool Negative = false;
    for (DWARFDie C : childrenOf(D))
      if (auto V = C.find(dwarf::DW_AT_const_value))
        if (V->getForm() == dwarf::DW_FORM_sdata && V->getAsSignedConstant().value_or(0) < 0)
          Negative = true;
    Underlying.Kind = TypeKind::Integer;
    Underlying.Size = Underlying.Align = T.Size;
    Underlying.IsSigned = Negative;
    Underlying.Spelling = Negative ? "int" : "unsigned int";
  }
  if (Underlying.Kind != TypeKind::Integer)
    return unsupported(T, "enum '" + T.Spelling + "' has a non-integer underlying type");
  T.Kind = TypeKind::Enum;
  T.Name = Name;
  T.IsSigned = Underlying.IsSigned;
  if (!SeenEnums.insert(Name).second)
    return T;
  Enum E;
  E.Name = Name;
  E.Underlying = Underlying;
  E.Location = locationOf(D);
  for (DWARFDie C : childrenOf(D)) {
    if (C.getTag() != dwarf::DW_TAG_enumerator)
      continue;
    auto V = C.find(dwarf::DW_AT_const_value);
    if (!V)
      continue;
    int64_t Value = Underlying.IsSigned
                        ? V->getAsSignedConstant().value_or(0)
                        : static_cast<int64_t>(V->getAsUnsignedConstant().value_or(0));
    E.Constants.push_back({attrString(C, dwarf::DW_AT_name), Value, ""});
  }
  M.Enums.push_back(std::move(E));
  return T;
}

Type ModuleBuilder::convertArray(DWARFDie D) {
  Type T;
  Type Elem = convert(D.getAttributeValueAsReferencedDie(dwarf::DW_AT_type));
  std::vector<uint64_t> Dims;
  for (DWARFDie C : childrenOf(D)) {
    if (C.getTag() != dwarf::DW_TAG_subrange_type)
      continue;
    if (auto Count = attrUnsigned(C, dwarf::DW_AT_count))
      Dims.push_back(*Count);
    else if (auto Upper = attrUnsigned(C, dwarf::DW_AT_upper_bound))
      Dims.push_back(*Upper + 1);
    else
      Dims.push_back(0); // flexible array member
  }
  if (Dims.empty())
    Dims.push_back(0);
  // int a[2][3]: an array of 2 arrays of 3, innermost built first.
  for (size_t I = Dims.size(); I-- > 0;) {
    Type A;
    A.Kind = TypeKind::Array;
    A.Count = Dims[I];
    A.Size = Elem.Size * Dims[I];
    A.Align = Elem.Align;
    if (Rust)
      A.Spelling = "[" + Elem.Spelling + "; " + std::to_string(Dims[I]) + "]";
    else {
      // Clang prints int[2][3]: the outer dimension first.
      size_t Bracket = Elem.Kind == TypeKind::Array ? Elem.Spelling.find('[') : std::string::npos;
      std::string Dim = "[" + std::to_string(Dims[I]) + "]";
      A.Spelling = Bracket == std::string::npos
                       ? Elem.Spelling + Dim
                       : Elem.Spelling.substr(0, Bracket) + Dim + Elem.Spelling.substr(Bracket);
    }
    A.Element.push_back(std::move(Elem));
    Elem = std::move(A);
  }
  if (Rust)
    if (std::string N = attrString(D, dwarf::DW_AT_name); !N.empty())
      Elem.Spelling = N;
  return Elem;
}

} // namespace detail
} // namespace gotramp
