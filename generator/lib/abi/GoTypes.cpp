//===- GoTypes.cpp - C types -> Go types -----------------------------------===//
#include "gotramp/abi/GoTypes.h"

#include "gotramp/support/Naming.h"

#include <set>

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
    // Every record gets a Go type (opaque ones too), so a pointer to one is
    // typed without looking at the record's layout: self-referential
    // structs need no recursion.
    if (Pointee->Kind == TypeKind::Record) {
      if (const Record *R = M.findRecord(Pointee->Name))
        return GoType{"*" + goRecordTypeName(*R), 8, 8, false, true};
      return Ptr;
    }
    if (Pointee->Kind == TypeKind::Unsupported || Pointee->Kind == TypeKind::Array)
      return Ptr;
    auto Elem = goTypeFor(*Pointee, M);
    if (!Elem) {
      llvm::consumeError(Elem.takeError());
      return Ptr;
    }
    return GoType{"*" + Elem->Spelling, 8, 8, false, true, Elem->UsesUnsafe};
  }
  case TypeKind::Record: {
    const Record *R = M.findRecord(T.Name);
    if (!R)
      return unsupported("struct or union '" + T.Spelling + "' is not defined in the headers");
    if (!R->IsComplete)
      return unsupported("'" + T.Spelling + "' is declared but never defined; only pointers to it "
                         "can be passed");
    GoStruct S = goStructFor(*R, M);
    if (!S.Inexpressible.empty())
      return unsupported("'" + T.Spelling + "' " + S.Inexpressible);
    return GoType{S.Name, S.Size, S.Align, false, S.ContainsPointer, S.UsesUnsafe};
  }
  case TypeKind::Array: {
    const Type *Elem = T.pointee();
    auto GT = Elem ? goTypeFor(*Elem, M) : unsupported("array without an element type");
    if (!GT)
      return GT.takeError();
    return GoType{"[" + std::to_string(T.Count) + "]" + GT->Spelling, GT->Size * T.Count,
                  GT->Align, false, GT->ContainsPointer, GT->UsesUnsafe};
  }
  case TypeKind::GoSlice: {
    const Type *Elem = T.pointee();
    auto GT = Elem ? goTypeFor(*Elem, M) : unsupported("GoSlice without an element type");
    if (!GT)
      return GT.takeError();
    return GoType{"[]" + GT->Spelling, 24, 8, false, true, GT->UsesUnsafe};
  }
  case TypeKind::GoString:
    return GoType{"string", 16, 8, false, true};
  case TypeKind::Unsupported:
    return unsupported(T.UnsupportedReason.empty() ? "type '" + T.Spelling + "' is not supported"
                                                   : T.UnsupportedReason);
  }
  return unsupported("unknown type kind");
}

std::string goEnumTypeName(const Enum &E) { return goExportedName(E.Name); }

std::string goRecordTypeName(const Record &R) { return goExportedName(R.Name); }

namespace {

uint64_t alignUp(uint64_t V, uint64_t A) { return A ? (V + A - 1) / A * A : V; }

/// `[0]uint64` and friends: a zero-size field that gives a Go struct the
/// alignment C gave the record.
std::string alignmentFiller(uint64_t Align) {
  return "[0]uint" + std::to_string(Align * 8);
}

std::string uniqueFieldName(std::string Name, std::set<std::string> &Used) {
  std::string Candidate = Name;
  for (unsigned N = 2; !Used.insert(Candidate).second; ++N)
    Candidate = Name + std::to_string(N);
  return Candidate;
}

void unionLayout(const Record &R, GoStruct &S) {
  // Go has no unions: the bytes, aligned as C aligns them. The members are
  // listed in the comment; callers read them with unsafe or encoding/binary.
  if (R.Align > 1)
    S.Fields.push_back({"_", alignmentFiller(R.Align), 0, 0, ""});
  std::string Members;
  for (const Field &F : R.Fields)
    Members += (Members.empty() ? "" : "; ") + declarator(F.Ty, F.Name);
  S.Fields.push_back({"Raw", "[" + std::to_string(R.Size) + "]byte", 0, R.Size,
                      "union { " + Members + "; }"});
}

void structLayout(const Record &R, const Module &M, GoStruct &S) {
  std::set<std::string> Used;
  uint64_t Cursor = 0, GoAlign = 1;
  std::string BitFields;
  for (size_t I = 0; I < R.Fields.size(); ++I) {
    const Field &F = R.Fields[I];
    if (F.BitWidth) {
      // Covered by the padding before the next field or at the end.
      BitFields += (BitFields.empty() ? "" : ", ") + F.Name;
      continue;
    }
    uint64_t Size = F.Ty.Size;
    if (Size == 0) // flexible array member, `char x[0]`
      continue;
    if (F.Offset < Cursor) {
      S.Inexpressible = "has overlapping member '" + F.Name + "'";
      return;
    }
    std::string Name =
        uniqueFieldName(F.Name.empty() ? "Anon" + std::to_string(I) : goExportedName(F.Name), Used);
    GoField GF{Name, "", F.Offset, Size, ""};
    auto GT = goTypeFor(F.Ty, M);
    uint64_t Align = 1;
    if (!GT) {
      GF.Type = "[" + std::to_string(Size) + "]byte";
      GF.Comment = F.Ty.Spelling + " as bytes: " + llvm::toString(GT.takeError());
    } else if (F.Offset % GT->Align || GT->Align > R.Align || GT->Size != Size) {
      GF.Type = "[" + std::to_string(Size) + "]byte";
      GF.Comment = F.Ty.Spelling + " as bytes: packed to a " +
                   (F.Offset % GT->Align ? "misaligned offset" : "smaller alignment") +
                   " Go cannot express";
    } else {
      GF.Type = GT->Spelling;
      Align = GT->Align;
      S.ContainsPointer |= GT->ContainsPointer;
      S.UsesUnsafe |= GT->UsesUnsafe;
    }
    if (alignUp(Cursor, Align) != F.Offset) {
      std::string Comment;
      if (!BitFields.empty())
        Comment = "bit-fields " + BitFields;
      S.Fields.push_back({"_", "[" + std::to_string(F.Offset - Cursor) + "]byte", Cursor,
                          F.Offset - Cursor, Comment});
    }
    BitFields.clear();
    S.Fields.push_back(GF);
    Cursor = F.Offset + Size;
    GoAlign = std::max(GoAlign, Align);
  }
  if (R.Align > GoAlign) {
    S.Fields.insert(S.Fields.begin(), {"_", alignmentFiller(R.Align), 0, 0, ""});
    GoAlign = R.Align;
  }
  if (alignUp(Cursor, GoAlign) != R.Size) {
    if (Cursor > R.Size) {
      S.Inexpressible = "is smaller than its members";
      return;
    }
    S.Fields.push_back({"_", "[" + std::to_string(R.Size - Cursor) + "]byte", Cursor,
                        R.Size - Cursor, BitFields.empty() ? "" : "bit-fields " + BitFields});
  }
}

} // namespace

GoStruct goStructFor(const Record &R, const Module &M) {
  GoStruct S;
  S.Name = goRecordTypeName(R);
  if (!R.IsComplete) {
    S.Opaque = true;
    return S;
  }
  S.Size = R.Size;
  S.Align = R.Align;
  if (R.Align > 8) {
    S.Inexpressible = "is aligned to " + std::to_string(R.Align) +
                      " bytes; no Go type is aligned to more than 8";
    S.Fields.push_back({"_", "[" + std::to_string(R.Size) + "]byte", 0, R.Size, ""});
    S.Align = 8;
    return S;
  }
  if (R.IsUnion)
    unionLayout(R, S);
  else
    structLayout(R, M, S);
  if (!S.Inexpressible.empty())
    S.Fields = {{"_", "[" + std::to_string(R.Size) + "]byte", 0, R.Size, ""}};
  return S;
}

} // namespace gotramp
