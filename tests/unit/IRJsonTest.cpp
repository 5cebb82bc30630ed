#include "gotramp/ir/IRJson.h"

#include <gtest/gtest.h>

using namespace gotramp;

namespace {

Module sampleModule() {
  Module M;
  M.Triple = "x86_64-linux-gnu";
  Type I64;
  I64.Kind = TypeKind::Integer;
  I64.Spelling = "int64_t";
  I64.Size = I64.Align = 8;
  I64.IsSigned = true;
  Type CharPtr;
  CharPtr.Kind = TypeKind::Pointer;
  CharPtr.Spelling = "const char *";
  CharPtr.Size = CharPtr.Align = 8;
  CharPtr.PointeeConst = true;
  Type Char;
  Char.Kind = TypeKind::Integer;
  Char.Flavor = IntegerFlavor::Char;
  Char.Spelling = "const char";
  Char.Size = Char.Align = 1;
  Char.IsSigned = true;
  CharPtr.Element.push_back(Char);
  Type LD;
  LD.Kind = TypeKind::Unsupported;
  LD.Spelling = "long double";
  LD.Size = LD.Align = 16;
  LD.UnsupportedReason = "'long double' has no Go equivalent";

  Function F;
  F.Name = "count";
  F.Symbol = "count_v2";
  F.Result = I64;
  F.Params = {{"s", CharPtr}, {"", LD}};
  F.IsVariadic = true;
  F.Doc = "Counts.\nTwo lines.";
  F.Location = {"lib.h", 12, 9};
  F.Annotations = {"gotramp:blocking"};
  F.UnsupportedReason = "static function has no exported symbol";
  M.Functions.push_back(F);

  Record R;
  R.Name = "vec3";
  R.IsComplete = true;
  R.Size = 24;
  R.Align = 8;
  R.Fields = {{"x", I64, 0, 0}, {"flags", I64, 8, 3}};
  R.Location = {"lib.h", 3, 8};
  M.Records.push_back(R);

  Enum E;
  E.Name = "color";
  E.Underlying = I64;
  E.Constants = {{"RED", 0, ""}, {"BLUE", -2, "doc"}};
  M.Enums.push_back(E);

  M.Constants.push_back({"BIG", static_cast<int64_t>(UINT64_MAX), true, "", {"lib.h", 1, 9}});
  M.Constants.push_back({"NEG", -5, false, "negative", {"lib.h", 2, 9}});

  // A function-pointer type spelled inline in a parameter.
  Function Inline;
  Inline.Name = "sort.compar";
  Inline.Result = I64;
  Inline.Params = {{"", I64}};
  Inline.InlineParameter = true;
  M.FunctionTypes.push_back(Inline);
  return M;
}

std::string readError(const std::string &Text) {
  auto M = moduleFromJSONText(Text);
  if (M) {
    ADD_FAILURE() << "accepted: " << Text;
    return "";
  }
  return llvm::toString(M.takeError());
}

} // namespace

TEST(IRJson, RoundTripsEveryField) {
  Module M = sampleModule();
  std::string Text = moduleToJSONText(M);
  auto Back = moduleFromJSONText(Text);
  ASSERT_TRUE(static_cast<bool>(Back)) << llvm::toString(Back.takeError());
  EXPECT_EQ(*Back, M);
  EXPECT_EQ(moduleToJSONText(*Back), Text); // stable text
}

TEST(IRJson, UnknownKeysAreErrorsWithTheirPath) {
  nlohmann::ordered_json J = moduleToJSON(sampleModule());
  J["functions"][0]["params"][0]["type"]["colour"] = 1;
  std::string Why = readError(J.dump());
  EXPECT_NE(Why.find("functions[0].params[0].type.colour: unknown key"), std::string::npos) << Why;

  J = moduleToJSON(sampleModule());
  J["extra"] = true;
  Why = readError(J.dump());
  EXPECT_NE(Why.find("extra: unknown key"), std::string::npos) << Why;
}

TEST(IRJson, WrongKindsAndMissingKeysAreErrors) {
  nlohmann::ordered_json J = moduleToJSON(sampleModule());
  J["functions"][0]["params"][1]["type"]["kind"] = "quaternion";
  std::string Why = readError(J.dump());
  EXPECT_NE(Why.find("functions[0].params[1].type.kind: unknown value 'quaternion'"),
            std::string::npos)
      << Why;

  J = moduleToJSON(sampleModule());
  J["records"][0].erase("size");
  Why = readError(J.dump());
  EXPECT_NE(Why.find("records[0].size: missing required key"), std::string::npos) << Why;

  J = moduleToJSON(sampleModule());
  J["constants"][1]["value"] = "five";
  Why = readError(J.dump());
  EXPECT_NE(Why.find("constants[1].value: expected an integer"), std::string::npos) << Why;

  EXPECT_NE(readError("{not json").find("not valid JSON"), std::string::npos);
  EXPECT_NE(readError("[1]").find("expected an object"), std::string::npos);
}
