// Callbacks (issue 19), generator side: which functions get the callback
// call path, and how a Go callback decodes its arguments from the ABI
// locations of each target (bind/Callbacks.cpp, bind/Bind.cpp).
#include "gotramp/bind/Bind.h"

#include <gtest/gtest.h>

using namespace gotramp;

namespace {

Type integer(uint64_t Size, bool Signed, const char *Spelling) {
  Type T;
  T.Kind = TypeKind::Integer;
  T.Size = T.Align = Size;
  T.IsSigned = Signed;
  T.Spelling = Spelling;
  return T;
}

Type floating(uint64_t Size) {
  Type T;
  T.Kind = TypeKind::Float;
  T.Size = T.Align = Size;
  T.Spelling = Size == 4 ? "float" : "double";
  return T;
}

Type voidPointer() {
  Type T;
  T.Kind = TypeKind::Pointer;
  T.Size = T.Align = 8;
  T.Spelling = "void *";
  return T;
}

Type functionPointer() {
  Type T;
  T.Kind = TypeKind::FunctionPointer;
  T.Size = T.Align = 8;
  T.Spelling = "int (*)(int)";
  return T;
}

Type boolean() {
  Type T;
  T.Kind = TypeKind::Bool;
  T.Size = T.Align = 1;
  T.Spelling = "bool";
  return T;
}

std::unique_ptr<TargetABI> abiFor(Arch A) {
  auto ABI = createTargetABI(Target{A});
  EXPECT_TRUE(static_cast<bool>(ABI));
  return std::move(*ABI);
}

/// The decoder of F on A, or the reason there is none.
llvm::Expected<CallbackDecoder> decode(const Function &F, Arch A, const Module &M = {}) {
  auto ABI = abiFor(A);
  auto L = lowerFunction(F, M, *ABI);
  if (!L)
    return L.takeError();
  return lowerCallbackDecoder(F, *L);
}

CallbackDecoder decodeOK(const Function &F, Arch A, const Module &M = {}) {
  auto D = decode(F, A, M);
  if (!D) {
    ADD_FAILURE() << llvm::toString(D.takeError());
    return {};
  }
  return std::move(*D);
}

/// int8_t (*)(int64_t a0, ..., int64_t a7, int32_t a8, uint8_t a9).
Function tenInts() {
  Function F;
  F.Name = "ten_fn";
  F.Result = integer(1, true, "int8_t");
  for (int I = 0; I < 8; ++I)
    F.Params.push_back({"a" + std::to_string(I), integer(8, true, "int64_t")});
  F.Params.push_back({"a8", integer(4, true, "int32_t")});
  F.Params.push_back({"a9", integer(1, false, "uint8_t")});
  return F;
}

} // namespace

// amd64 passes six integers in registers, arm64 eight: the rest come from
// the caller's stack-argument area, 8 bytes a slot, at the offsets the
// caller's lowering stores them to.
TEST(CallbackDecoder, IntegerRegistersThenStackPerTarget) {
  CallbackDecoder X86 = decodeOK(tenInts(), Arch::AMD64);
  EXPECT_EQ(X86.Args, (std::vector<std::string>{
                          "int64(fr.Int(0))", "int64(fr.Int(1))", "int64(fr.Int(2))",
                          "int64(fr.Int(3))", "int64(fr.Int(4))", "int64(fr.Int(5))",
                          "int64(fr.Stack(0))", "int64(fr.Stack(8))", "int32(fr.Stack(16))",
                          "uint8(fr.Stack(24))"}));
  CallbackDecoder Arm = decodeOK(tenInts(), Arch::ARM64);
  EXPECT_EQ(Arm.Args, (std::vector<std::string>{
                          "int64(fr.Int(0))", "int64(fr.Int(1))", "int64(fr.Int(2))",
                          "int64(fr.Int(3))", "int64(fr.Int(4))", "int64(fr.Int(5))",
                          "int64(fr.Int(6))", "int64(fr.Int(7))", "int32(fr.Stack(0))",
                          "uint8(fr.Stack(8))"}));
  // A narrow signed result fills the whole register, sign-extended.
  EXPECT_EQ(X86.StoreResult, std::vector<std::string>{"fr.SetInt(uint64(int64(r)))"});
  EXPECT_EQ(Arm.StoreResult, X86.StoreResult);
  EXPECT_FALSE(X86.UsesMath);
}

// FP arguments count their own registers (eight on both), floats are read
// as their 32-bit pattern, and FP stack slots follow the integer ones.
TEST(CallbackDecoder, FloatsPointersBoolsAndResults) {
  Function F;
  F.Name = "mix";
  F.Result = floating(4);
  F.Params.push_back({"p", voidPointer()});
  for (int I = 0; I < 8; ++I)
    F.Params.push_back({"d" + std::to_string(I), floating(8)});
  F.Params.push_back({"s", floating(4)});
  F.Params.push_back({"b", boolean()});
  F.Params.push_back({"fn", functionPointer()});
  for (Arch A : {Arch::AMD64, Arch::ARM64}) {
    CallbackDecoder D = decodeOK(F, A);
    ASSERT_EQ(D.Args.size(), 12u);
    EXPECT_EQ(D.Args[0], "fr.IntPointer(0)");
    EXPECT_EQ(D.Args[1], "math.Float64frombits(fr.Float(0))");
    EXPECT_EQ(D.Args[8], "math.Float64frombits(fr.Float(7))");
    EXPECT_EQ(D.Args[9], "math.Float32frombits(uint32(fr.Stack(0)))");
    EXPECT_EQ(D.Args[10], "fr.Int(1)&0xff != 0");
    EXPECT_EQ(D.Args[11], "uintptr(fr.Int(2))");
    EXPECT_EQ(D.StoreResult, std::vector<std::string>{"fr.SetFloat(uint64(math.Float32bits(r)))"});
    EXPECT_TRUE(D.UsesMath);
  }
  // Results: zero-extended unsigned, bool as 0/1, pointers as addresses.
  Function U;
  U.Name = "u";
  U.Result = integer(4, false, "uint32_t");
  EXPECT_EQ(decodeOK(U, Arch::ARM64).StoreResult,
            std::vector<std::string>{"fr.SetInt(uint64(r))"});
  U.Result = boolean();
  EXPECT_EQ(decodeOK(U, Arch::AMD64).StoreResult,
            (std::vector<std::string>{"var v uint64", "if r {", "\tv = 1", "}", "fr.SetInt(v)"}));
  U.Result = voidPointer();
  EXPECT_EQ(decodeOK(U, Arch::AMD64).StoreResult,
            std::vector<std::string>{"fr.SetInt(uint64(uintptr(r)))"});
  U.Result = Type{}; // void
  EXPECT_TRUE(decodeOK(U, Arch::AMD64).StoreResult.empty());
}

// Structs by value and variadic types get no decoder, with a reason.
TEST(CallbackDecoder, UnsupportedSignaturesSayWhy) {
  Module M;
  Record R;
  R.Name = "pair";
  R.IsComplete = true;
  R.Size = R.Align = 8;
  R.Fields = {{"a", integer(4, true, "int"), 0, 0}, {"b", integer(4, true, "int"), 4, 0}};
  M.Records.push_back(R);
  Type Pair;
  Pair.Kind = TypeKind::Record;
  Pair.Name = "pair";
  Pair.Spelling = "struct pair";
  Pair.Size = Pair.Align = 8;
  Function ByValue;
  ByValue.Name = "by_value";
  ByValue.Params.push_back({"p", Pair});
  for (Arch A : {Arch::AMD64, Arch::ARM64}) {
    auto D = decode(ByValue, A, M);
    ASSERT_FALSE(static_cast<bool>(D));
    EXPECT_NE(llvm::toString(D.takeError()).find("parameter 'p' is a struct or union passed by value"),
              std::string::npos);
  }
  Function Returns;
  Returns.Name = "returns";
  Returns.Result = Pair;
  auto D = decode(Returns, Arch::AMD64, M);
  ASSERT_FALSE(static_cast<bool>(D));
  EXPECT_NE(llvm::toString(D.takeError()).find("its result is a struct or union"),
            std::string::npos);
  // A variadic type never reaches the ABI: its lowering is a caller's.
  Function Variadic;
  Variadic.Name = "v";
  Variadic.IsVariadic = true;
  Lowering Empty;
  auto V = lowerCallbackDecoder(Variadic, Empty);
  ASSERT_FALSE(static_cast<bool>(V));
  EXPECT_NE(llvm::toString(V.takeError()).find("variadic"), std::string::npos);
}

namespace {

struct Bound {
  PackagePlan Plan;
  const BoundFunction *find(const std::string &Name) const {
    for (const BoundFunction &BF : Plan.Targets.front().Functions)
      if (BF.Fn.Name == Name)
        return &BF;
    return nullptr;
  }
};

Function function(const std::string &Name, std::vector<Parameter> Params) {
  Function F;
  F.Name = F.Symbol = Name;
  F.Result = integer(4, true, "int");
  F.Params = std::move(Params);
  return F;
}

Bound bindBoth(const Module &M, const GenerateOptions &Opts) {
  std::vector<Target> Targets{Target{Arch::AMD64}, Target{Arch::ARM64}};
  std::vector<std::unique_ptr<TargetABI>> ABIs;
  ABIs.push_back(abiFor(Arch::AMD64));
  ABIs.push_back(abiFor(Arch::ARM64));
  auto Plan = bindPackage(Opts, Targets, {M, M}, ABIs);
  if (!Plan) {
    ADD_FAILURE() << llvm::toString(Plan.takeError());
    return {};
  }
  return {std::move(*Plan)};
}

} // namespace

// A function-pointer parameter (or a struct field passed by value) gives
// the callback path and drops //go:noescape; the config's call_path and
// frame_bytes and the header annotation win.
TEST(CallbackPath, ChosenForFunctionPointersUnlessTheUserSaysOtherwise) {
  Module M;
  Record Mem;
  Mem.Name = "mem";
  Mem.IsComplete = true;
  Mem.Size = 16;
  Mem.Align = 8;
  Mem.Fields = {{"opaque", voidPointer(), 0, 0}, {"alloc", functionPointer(), 8, 0}};
  M.Records.push_back(Mem);
  Type MemT;
  MemT.Kind = TypeKind::Record;
  MemT.Name = "mem";
  MemT.Spelling = "mem";
  MemT.Size = 16;
  MemT.Align = 8;
  M.Functions = {function("sort", {{"base", voidPointer()}, {"compar", functionPointer()}}),
                 function("plain", {{"p", voidPointer()}}),
                 function("with_mem", {{"m", MemT}}),
                 function("blocks", {{"cb", functionPointer()}}),
                 function("framed", {{"cb", functionPointer()}}),
                 function("annotated", {{"cb", functionPointer()}}),
                 function("step", {{"x", integer(4, true, "int")}})};
  M.Functions[5].Annotations = {"gotramp:call_path=direct"};
  GenerateOptions Opts;
  Opts.Package = "p";
  Opts.Overrides["blocks"].CallPath = "blocking";
  Opts.Overrides["framed"].FrameBytes = 512;
  Opts.Overrides["step"].CallPath = "callback";
  Bound B = bindBoth(M, Opts);
  for (const TargetPlan &TP : B.Plan.Targets)
    ASSERT_EQ(TP.Functions.size(), 7u);
  const BoundFunction *Sort = B.find("sort");
  ASSERT_NE(Sort, nullptr);
  EXPECT_EQ(Sort->CallPath, CallPathCallback);
  EXPECT_EQ(Sort->CallPathReason,
            "takes a function pointer (parameter 'compar'): native frames stay off the "
            "goroutine stack while Go callbacks run");
  EXPECT_FALSE(Sort->NoEscape);
  EXPECT_EQ(B.Plan.Targets[1].Functions[0].CallPath, CallPathCallback);
  EXPECT_EQ(B.find("plain")->CallPath, CallPathDirect);
  EXPECT_TRUE(B.find("plain")->NoEscape);
  EXPECT_EQ(B.find("with_mem")->CallPath, CallPathCallback);
  EXPECT_NE(B.find("with_mem")->CallPathReason.find("parameter 'm', field 'alloc'"),
            std::string::npos);
  EXPECT_EQ(B.find("blocks")->CallPath, CallPathBlocking);
  EXPECT_EQ(B.find("framed")->CallPath, CallPathDirect);
  EXPECT_EQ(B.find("annotated")->CallPath, CallPathDirect);
  EXPECT_EQ(B.find("step")->CallPath, CallPathCallback);
  EXPECT_EQ(B.find("step")->CallPathReason, "set by functions.overrides.step.call_path");
}

// Every function-pointer type gets a constructor named New + its Go name
// (an inline one's from function and parameter), unless that Go name is
// taken; the decoders differ per target when the locations do.
TEST(CallbackConstructors, NamesCollisionsAndPerTargetDecoders) {
  Module M;
  Function Cmp = tenInts();
  Cmp.Name = "cmp_fn";
  M.FunctionTypes.push_back(Cmp);
  Function Inline;
  Inline.Name = "sqlite3_exec.callback";
  Inline.InlineParameter = true;
  Inline.Result = integer(4, true, "int");
  Inline.Params = {{"ctx", voidPointer()}};
  M.FunctionTypes.push_back(Inline);
  Function Taken = Inline;
  Taken.Name = "taken.cb";
  M.FunctionTypes.push_back(Taken);
  Function ByConstant = Inline;
  ByConstant.Name = "by_constant.cb";
  M.FunctionTypes.push_back(ByConstant);
  M.Functions = {function("sqlite3_exec", {{"callback", functionPointer()}}),
                 function("new_taken_cb", {{"x", integer(4, true, "int")}})};
  M.Constants.push_back({"NewByConstantCb", 1, false, "", {}});
  GenerateOptions Opts;
  Opts.Package = "p";
  Bound B = bindBoth(M, Opts);
  ASSERT_EQ(B.Plan.Callbacks.size(), 2u);
  const CallbackConstructor &C = B.Plan.Callbacks[0];
  EXPECT_EQ(C.GoName, "NewCmpFn");
  EXPECT_EQ(C.FuncType, "func(a0 int64, a1 int64, a2 int64, a3 int64, a4 int64, a5 int64, "
                        "a6 int64, a7 int64, a8 int32, a9 uint8) int8");
  ASSERT_EQ(C.Decoders.size(), 2u);
  EXPECT_EQ(C.Decoders[0].Args[6], "int64(fr.Stack(0))");
  EXPECT_EQ(C.Decoders[1].Args[6], "int64(fr.Int(6))");
  EXPECT_EQ(B.Plan.Callbacks[1].GoName, "NewSqlite3ExecCallback");
  EXPECT_EQ(B.Plan.Callbacks[1].Decoders[0].Args,
            std::vector<std::string>{"fr.IntPointer(0)"});
  // Inline types get no caller; the typedef does.
  std::vector<std::string> Callers;
  for (const BoundFunction &BF : B.Plan.Targets.front().Functions)
    if (BF.ThroughPointer)
      Callers.push_back(BF.Low.GoName);
  EXPECT_EQ(Callers, std::vector<std::string>{"CallCmpFn"});
  ASSERT_EQ(B.Plan.SkippedCallbacks.size(), 2u);
  EXPECT_EQ(B.Plan.SkippedCallbacks[0].Reason,
            "no callback constructor: its Go name NewTakenCb is already taken by 'new_taken_cb'");
  EXPECT_EQ(B.Plan.SkippedCallbacks[1].Reason,
            "no callback constructor: its Go name NewByConstantCb is already taken by the "
            "constant 'NewByConstantCb'");
}
