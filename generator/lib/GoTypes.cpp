//===- GoTypes.cpp - C types -> Go types -----------------------------------===//
#include "gotramp/GoTypes.h"

#include "gotramp/Naming.h"

namespace gotramp {

static llvm::Error unsupported(const llvm::Twine &Why) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), Why);
}

static llvm::Expected<GoType> integerType(const Type &T) {
  if (T.Size == 16)
    return unsupported("128-bit integer '" + T.Spelling + "' has no Go equivalent");
  if (T.Size != 1 && T.Size != 2 && T.Size != 4 && T.Size != 8)
    return unsupported("integer type '" + T.Spelling + "' has unsupported size " +
                       llvm::Twine(T.Size));
  switch (T.Flavor) {
  case IntegerFlavor::Char:
    return GoType{"byte", 1, 1};
  case IntegerFlavor::Size:
    return GoType{"uintptr", 8, 8};
  case IntegerFlavor::PtrDiff:
    return GoType{"int", 8, 8};
  case IntegerFlavor::Plain:
    break;
  }
  std::string Name = (T.IsSigned ? "int" : "uint") + std::to_string(T.Size * 8);
  return GoType{Name, T.Size, T.Size};
}

llvm::Expected<GoType> goTypeFor(const Type &T, const Module &M) {
  switch (T.Kind) {
  case TypeKind::Void:
    return unsupported("'void' is not a value type");
  case TypeKind::Bool:
    return GoType{"bool", 1, 1};
  case TypeKind::Integer:
    return integerType(T);
  case TypeKind::Float:
    if (T.Size == 4)
      return GoType{"float32", 4, 4, /*IsFloat=*/true};
    if (T.Size == 8)
      return GoType{"float64", 8, 8, /*IsFloat=*/true};
    return unsupported("'" + T.Spelling + "' has no Go equivalent");
  case TypeKind::Enum: {
    const Enum *E = M.findEnum(T.Name);
    if (!E)
      return unsupported("enum '" + T.Name + "' is not defined in the headers");
    auto Underlying = integerType(E->Underlying);
    if (!Underlying)
      return Underlying.takeError();
    Underlying->Spelling = goEnumTypeName(*E);
    return Underlying;
  }
  case TypeKind::FunctionPointer:
    return GoType{"uintptr", 8, 8};
  case TypeKind::Pointer: {
    const Type *Pointee = T.pointee();
    GoType Ptr{"unsafe.Pointer", 8, 8, false, /*ContainsPointer=*/true, /*UsesUnsafe=*/true};
    if (!Pointee || Pointee->Kind == TypeKind::Void)
      return Ptr;
    // Records become Go types with the C layout in a later version; until
    // then a pointer to one is untyped, which is honest about what Go knows.
    if (Pointee->Kind == TypeKind::Record || Pointee->Kind == TypeKind::Unsupported ||
        Pointee->Kind == TypeKind::Array)
      return Ptr;
    auto Elem = goTypeFor(*Pointee, M);
    if (!Elem) {
      llvm::consumeError(Elem.takeError());
      return Ptr;
    }
    return GoType{"*" + Elem->Spelling, 8, 8, false, true, Elem->UsesUnsafe};
  }
  case TypeKind::Record:
    return unsupported("struct or union '" + T.Spelling + "' passed by value is not supported yet");
  case TypeKind::Array:
    return unsupported("array type '" + T.Spelling + "' is not supported here");
  case TypeKind::Unsupported:
    return unsupported(T.UnsupportedReason.empty() ? "type '" + T.Spelling + "' is not supported"
                                                   : T.UnsupportedReason);
  }
  return unsupported("unknown type kind");
}

std::string goEnumTypeName(const Enum &E) { return goExportedName(E.Name); }

} // namespace gotramp
