//===- IRJson.cpp - Module <-> JSON ---------------------------------------===//
#include "gotramp/ir/IRJson.h"

#include "llvm/ADT/StringExtras.h"

#include <array>
#include <set>

using json = nlohmann::ordered_json;

namespace gotramp {
namespace {

constexpr std::array<std::pair<TypeKind, const char *>, 12> KindNames{{
    {TypeKind::Void, "void"},
    {TypeKind::Bool, "bool"},
    {TypeKind::Integer, "integer"},
    {TypeKind::Float, "float"},
    {TypeKind::Pointer, "pointer"},
    {TypeKind::Record, "record"},
    {TypeKind::Enum, "enum"},
    {TypeKind::FunctionPointer, "function_pointer"},
    {TypeKind::Array, "array"},
    {TypeKind::GoSlice, "go_slice"},
    {TypeKind::GoString, "go_string"},
    {TypeKind::Unsupported, "unsupported"},
}};

constexpr std::array<std::pair<IntegerFlavor, const char *>, 4> FlavorNames{{
    {IntegerFlavor::Plain, "plain"},
    {IntegerFlavor::Char, "char"},
    {IntegerFlavor::Size, "size"},
    {IntegerFlavor::PtrDiff, "ptrdiff"},
}};

template <typename E, size_t N>
const char *nameOf(const std::array<std::pair<E, const char *>, N> &Table, E V) {
  for (const auto &[Value, Name] : Table)
    if (Value == V)
      return Name;
  return "?";
}

// ---------------------------------------------------------------- writing --

json locationToJSON(const SourceLocation &L) {
  return json{{"file", L.File}, {"line", L.Line}, {"column", L.Column}};
}

json typeToJSON(const Type &T) {
  json J;
  J["kind"] = nameOf(KindNames, T.Kind);
  J["spelling"] = T.Spelling;
  J["size"] = T.Size;
  J["align"] = T.Align;
  if (T.Kind == TypeKind::Integer || T.Kind == TypeKind::Enum)
    J["signed"] = T.IsSigned;
  if (T.Kind == TypeKind::Integer)
    J["flavor"] = nameOf(FlavorNames, T.Flavor);
  if (!T.Name.empty())
    J["name"] = T.Name;
  if (const Type *E = T.pointee())
    J["element"] = typeToJSON(*E);
  if (T.Kind == TypeKind::Array)
    J["count"] = T.Count;
  if (T.PointeeConst)
    J["pointee_const"] = true;
  if (!T.UnsupportedReason.empty())
    J["unsupported_reason"] = T.UnsupportedReason;
  return J;
}

json functionToJSON(const Function &F) {
  json Params = json::array();
  for (const Parameter &P : F.Params)
    Params.push_back(json{{"name", P.Name}, {"type", typeToJSON(P.Ty)}});
  json J{{"name", F.Name},
         {"symbol", F.Symbol},
         {"result", typeToJSON(F.Result)},
         {"params", Params},
         {"variadic", F.IsVariadic},
         {"doc", F.Doc},
         {"location", locationToJSON(F.Location)},
         {"annotations", F.Annotations}};
  if (!F.UnsupportedReason.empty())
    J["unsupported_reason"] = F.UnsupportedReason;
  if (F.InlineParameter)
    J["inline_parameter"] = true;
  return J;
}

json recordToJSON(const Record &R) {
  json Fields = json::array();
  for (const Field &F : R.Fields) {
    json JF{{"name", F.Name}, {"type", typeToJSON(F.Ty)}, {"offset", F.Offset}};
    if (F.BitWidth)
      JF["bit_width"] = F.BitWidth;
    Fields.push_back(JF);
  }
  return json{{"name", R.Name},     {"union", R.IsUnion},
              {"complete", R.IsComplete}, {"size", R.Size},
              {"align", R.Align},   {"fields", Fields},
              {"doc", R.Doc},       {"location", locationToJSON(R.Location)}};
}

json enumToJSON(const Enum &E) {
  json Constants = json::array();
  for (const EnumConstant &C : E.Constants)
    Constants.push_back(json{{"name", C.Name}, {"value", C.Value}, {"doc", C.Doc}});
  return json{{"name", E.Name},
              {"underlying", typeToJSON(E.Underlying)},
              {"constants", Constants},
              {"doc", E.Doc},
              {"location", locationToJSON(E.Location)}};
}

json constantToJSON(const Constant &C) {
  json J{{"name", C.Name}};
  if (C.IsUnsigned)
    J["value"] = static_cast<uint64_t>(C.Value);
  else
    J["value"] = C.Value;
  J["unsigned"] = C.IsUnsigned;
  J["doc"] = C.Doc;
  J["location"] = locationToJSON(C.Location);
  return J;
}

// ---------------------------------------------------------------- reading --

/// Reads one JSON object, remembering which keys were consumed so that
/// finish() can reject the ones nobody asked for. The first error wins.
class ObjectReader {
public:
  ObjectReader(const json &J, std::string Path, llvm::Error &Err)
      : J(J), Path(std::move(Path)), Err(Err) {
    if (!J.is_object())
      fail(this->Path + ": expected an object");
  }

  const json *get(const char *Key, bool Required) {
    Seen.insert(Key);
    if (Err || !J.is_object())
      return nullptr;
    auto It = J.find(Key);
    if (It == J.end()) {
      if (Required)
        fail(at(Key) + ": missing required key");
      return nullptr;
    }
    return &*It;
  }

  void string(const char *Key, std::string &Out, bool Required = true) {
    if (const json *V = get(Key, Required)) {
      if (!V->is_string())
        return fail(at(Key) + ": expected a string");
      Out = V->get<std::string>();
    }
  }
  template <typename Int> void integer(const char *Key, Int &Out, bool Required = true) {
    if (const json *V = get(Key, Required)) {
      if (!V->is_number_integer())
        return fail(at(Key) + ": expected an integer");
      Out = V->get<Int>();
    }
  }
  void boolean(const char *Key, bool &Out, bool Required = true) {
    if (const json *V = get(Key, Required)) {
      if (!V->is_boolean())
        return fail(at(Key) + ": expected true or false");
      Out = V->get<bool>();
    }
  }
  const json *array(const char *Key, bool Required = true) {
    const json *V = get(Key, Required);
    if (V && !V->is_array()) {
      fail(at(Key) + ": expected an array");
      return nullptr;
    }
    return V;
  }

  std::string at(const std::string &Key) const { return Path.empty() ? Key : Path + "." + Key; }

  void finish() {
    if (Err || !J.is_object())
      return;
    for (auto It = J.begin(); It != J.end(); ++It)
      if (!Seen.count(It.key()))
        return fail(at(It.key()) + ": unknown key");
  }

  void fail(const std::string &Message) {
    if (!Err)
      Err = llvm::createStringError(llvm::inconvertibleErrorCode(), "IR JSON: " + Message);
  }

private:
  const json &J;
  std::string Path;
  llvm::Error &Err;
  std::set<std::string> Seen;
};

template <typename E, size_t N>
void readEnumName(ObjectReader &R, const char *Key,
                  const std::array<std::pair<E, const char *>, N> &Table, E &Out,
                  bool Required = true) {
  std::string Name;
  R.string(Key, Name, Required);
  if (Name.empty() && !Required)
    return;
  for (const auto &[Value, Spelling] : Table)
    if (Name == Spelling) {
      Out = Value;
      return;
    }
  if (!Name.empty())
    R.fail(R.at(Key) + ": unknown value '" + Name + "'");
}

void readLocation(const json &J, const std::string &Path, SourceLocation &L, llvm::Error &Err) {
  ObjectReader R(J, Path, Err);
  R.string("file", L.File);
  R.integer("line", L.Line);
  R.integer("column", L.Column);
  R.finish();
}

void readType(const json &J, const std::string &Path, Type &T, llvm::Error &Err) {
  ObjectReader R(J, Path, Err);
  readEnumName(R, "kind", KindNames, T.Kind);
  R.string("spelling", T.Spelling);
  R.integer("size", T.Size);
  R.integer("align", T.Align);
  R.boolean("signed", T.IsSigned, false);
  readEnumName(R, "flavor", FlavorNames, T.Flavor, false);
  R.string("name", T.Name, false);
  if (const json *E = R.get("element", false)) {
    T.Element.resize(1);
    readType(*E, R.at("element"), T.Element[0], Err);
  }
  R.integer("count", T.Count, false);
  R.boolean("pointee_const", T.PointeeConst, false);
  R.string("unsupported_reason", T.UnsupportedReason, false);
  R.finish();
}

/// Calls Each(element, path) for every element of the array at Key.
template <typename Fn>
void forEach(ObjectReader &R, const char *Key, llvm::Error &Err, Fn Each) {
  const json *A = R.array(Key);
  if (!A)
    return;
  for (size_t I = 0; I < A->size() && !Err; ++I)
    Each((*A)[I], R.at(Key) + "[" + std::to_string(I) + "]");
}

void readFunction(const json &J, const std::string &Path, Function &F, llvm::Error &Err) {
  ObjectReader R(J, Path, Err);
  R.string("name", F.Name);
  R.string("symbol", F.Symbol);
  if (const json *V = R.get("result", true))
    readType(*V, R.at("result"), F.Result, Err);
  forEach(R, "params", Err, [&](const json &E, const std::string &P) {
    Parameter Param;
    ObjectReader PR(E, P, Err);
    PR.string("name", Param.Name);
    if (const json *V = PR.get("type", true))
      readType(*V, PR.at("type"), Param.Ty, Err);
    PR.finish();
    F.Params.push_back(std::move(Param));
  });
  R.boolean("variadic", F.IsVariadic);
  R.string("doc", F.Doc);
  if (const json *V = R.get("location", true))
    readLocation(*V, R.at("location"), F.Location, Err);
  forEach(R, "annotations", Err, [&](const json &E, const std::string &P) {
    if (!E.is_string())
      return R.fail(P + ": expected a string");
    F.Annotations.push_back(E.get<std::string>());
  });
  R.string("unsupported_reason", F.UnsupportedReason, false);
  R.boolean("inline_parameter", F.InlineParameter, false);
  R.finish();
}

void readRecord(const json &J, const std::string &Path, Record &Rec, llvm::Error &Err) {
  ObjectReader R(J, Path, Err);
  R.string("name", Rec.Name);
  R.boolean("union", Rec.IsUnion);
  R.boolean("complete", Rec.IsComplete);
  R.integer("size", Rec.Size);
  R.integer("align", Rec.Align);
  forEach(R, "fields", Err, [&](const json &E, const std::string &P) {
    Field F;
    ObjectReader FR(E, P, Err);
    FR.string("name", F.Name);
    if (const json *V = FR.get("type", true))
      readType(*V, FR.at("type"), F.Ty, Err);
    FR.integer("offset", F.Offset);
    FR.integer("bit_width", F.BitWidth, false);
    FR.finish();
    Rec.Fields.push_back(std::move(F));
  });
  R.string("doc", Rec.Doc);
  if (const json *V = R.get("location", true))
    readLocation(*V, R.at("location"), Rec.Location, Err);
  R.finish();
}

void readEnum(const json &J, const std::string &Path, Enum &En, llvm::Error &Err) {
  ObjectReader R(J, Path, Err);
  R.string("name", En.Name);
  if (const json *V = R.get("underlying", true))
    readType(*V, R.at("underlying"), En.Underlying, Err);
  forEach(R, "constants", Err, [&](const json &E, const std::string &P) {
    EnumConstant C;
    ObjectReader CR(E, P, Err);
    CR.string("name", C.Name);
    CR.integer("value", C.Value);
    CR.string("doc", C.Doc);
    CR.finish();
    En.Constants.push_back(std::move(C));
  });
  R.string("doc", En.Doc);
  if (const json *V = R.get("location", true))
    readLocation(*V, R.at("location"), En.Location, Err);
  R.finish();
}

void readConstant(const json &J, const std::string &Path, Constant &C, llvm::Error &Err) {
  ObjectReader R(J, Path, Err);
  R.string("name", C.Name);
  R.boolean("unsigned", C.IsUnsigned);
  if (const json *V = R.get("value", true)) {
    if (!V->is_number_integer())
      R.fail(R.at("value") + ": expected an integer");
    else if (C.IsUnsigned)
      C.Value = static_cast<int64_t>(V->get<uint64_t>());
    else
      C.Value = V->get<int64_t>();
  }
  R.string("doc", C.Doc);
  if (const json *V = R.get("location", true))
    readLocation(*V, R.at("location"), C.Location, Err);
  R.finish();
}

} // namespace

json moduleToJSON(const Module &M) {
  json Functions = json::array(), Records = json::array(), Enums = json::array(),
       Constants = json::array();
  for (const Function &F : M.Functions)
    Functions.push_back(functionToJSON(F));
  for (const Record &R : M.Records)
    Records.push_back(recordToJSON(R));
  for (const Enum &E : M.Enums)
    Enums.push_back(enumToJSON(E));
  for (const Constant &C : M.Constants)
    Constants.push_back(constantToJSON(C));
  json FunctionTypes = json::array();
  for (const Function &F : M.FunctionTypes)
    FunctionTypes.push_back(functionToJSON(F));
  return json{{"triple", M.Triple},
              {"functions", Functions},
              {"records", Records},
              {"enums", Enums},
              {"constants", Constants},
              {"function_types", FunctionTypes}};
}

llvm::Expected<Module> moduleFromJSON(const json &J) {
  llvm::Error Err = llvm::Error::success();
  Module M;
  {
    ObjectReader R(J, "", Err);
    R.string("triple", M.Triple);
    forEach(R, "functions", Err, [&](const json &E, const std::string &P) {
      M.Functions.emplace_back();
      readFunction(E, P, M.Functions.back(), Err);
    });
    forEach(R, "records", Err, [&](const json &E, const std::string &P) {
      M.Records.emplace_back();
      readRecord(E, P, M.Records.back(), Err);
    });
    forEach(R, "enums", Err, [&](const json &E, const std::string &P) {
      M.Enums.emplace_back();
      readEnum(E, P, M.Enums.back(), Err);
    });
    forEach(R, "constants", Err, [&](const json &E, const std::string &P) {
      M.Constants.emplace_back();
      readConstant(E, P, M.Constants.back(), Err);
    });
    if (R.get("function_types", false))
      forEach(R, "function_types", Err, [&](const json &E, const std::string &P) {
        M.FunctionTypes.emplace_back();
        readFunction(E, P, M.FunctionTypes.back(), Err);
      });
    R.finish();
  }
  if (Err)
    return std::move(Err);
  return M;
}

std::string moduleToJSONText(const Module &M) {
  // Names and comments from objects and headers need not be UTF-8.
  return moduleToJSON(M).dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) +
         "\n";
}

llvm::Expected<Module> moduleFromJSONText(llvm::StringRef Text) {
  json J = json::parse(Text.begin(), Text.end(), nullptr, /*allow_exceptions=*/false);
  if (J.is_discarded())
    return llvm::createStringError(llvm::inconvertibleErrorCode(), "IR JSON: not valid JSON");
  return moduleFromJSON(J);
}

} // namespace gotramp
