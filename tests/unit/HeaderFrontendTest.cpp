// Parses real headers with Clang for each target and checks the IR.
#include "gotramp/frontend/HeaderFrontend.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/raw_ostream.h"

#include <gtest/gtest.h>

using namespace gotramp;

namespace {

class HeaderFrontendTest : public ::testing::Test {
protected:
  void SetUp() override {
    ASSERT_FALSE(llvm::sys::fs::createUniqueDirectory("gotramp-hf", Dir));
  }
  void TearDown() override { llvm::sys::fs::remove_directories(Dir); }

  std::string write(const std::string &Name, const std::string &Text) {
    std::string Path = (Dir + "/" + Name).str();
    std::error_code EC;
    llvm::raw_fd_ostream OS(Path, EC);
    EXPECT_FALSE(EC);
    OS << Text;
    return Path;
  }

  Module parse(const std::string &Header, Arch A = Arch::AMD64) {
    auto M = parseHeaders(HeaderInput{{Header}, {}, ""}, Target{A});
    if (!M) {
      ADD_FAILURE() << llvm::toString(M.takeError());
      return {};
    }
    return std::move(*M);
  }

  static const Function *find(const Module &M, const std::string &Name) {
    for (const Function &F : M.Functions)
      if (F.Name == Name)
        return &F;
    return nullptr;
  }

  llvm::SmallString<128> Dir;
};

} // namespace

TEST_F(HeaderFrontendTest, FunctionsTypesDocsAndLocations) {
  std::string H = write("lib.h", R"(#include <stdint.h>
#include <stddef.h>
#include <stdbool.h>
#include "other.h"
/** Adds two numbers.
 *  Second line. */
int64_t add(int64_t a, int64_t b);
// Plain comment doc.
size_t length(const char *s, uintptr_t cap, ptrdiff_t d);
bool flag(bool on, float f, double d, unsigned short us, signed char sc);
void *ident(void *p, int (*cb)(int));
static int hidden(int x) { return x; }
int no_proto();
long double ld(long double x);
int renamed(int x) __asm__("renamed_v2");
struct opaque;
struct opaque *make(void);
)");
  write("other.h", "int from_other(int);\n");
  Module M = parse(H);
  EXPECT_EQ(M.Triple, "x86_64-linux-gnu");
  EXPECT_EQ(find(M, "from_other"), nullptr) << "only the named header's functions are bound";

  const Function *Add = find(M, "add");
  ASSERT_NE(Add, nullptr);
  EXPECT_EQ(Add->Doc, "Adds two numbers.\nSecond line.");
  EXPECT_EQ(Add->Location.Line, 7u);
  EXPECT_EQ(Add->Location.Column, 9u);
  EXPECT_NE(Add->Location.File.find("lib.h"), std::string::npos);
  EXPECT_EQ(cPrototype(*Add), "int64_t add(int64_t a, int64_t b)");
  EXPECT_EQ(Add->Result.Kind, TypeKind::Integer);
  EXPECT_TRUE(Add->Result.IsSigned);
  EXPECT_EQ(Add->Result.Size, 8u);

  const Function *Len = find(M, "length");
  ASSERT_NE(Len, nullptr);
  EXPECT_EQ(Len->Doc, "Plain comment doc.");
  EXPECT_EQ(Len->Result.Flavor, IntegerFlavor::Size);
  ASSERT_EQ(Len->Params.size(), 3u);
  EXPECT_EQ(Len->Params[0].Ty.Kind, TypeKind::Pointer);
  EXPECT_TRUE(Len->Params[0].Ty.PointeeConst);
  EXPECT_EQ(Len->Params[0].Ty.pointee()->Flavor, IntegerFlavor::Char);
  EXPECT_EQ(Len->Params[1].Ty.Flavor, IntegerFlavor::Size);
  EXPECT_EQ(Len->Params[2].Ty.Flavor, IntegerFlavor::PtrDiff);

  const Function *Flag = find(M, "flag");
  ASSERT_NE(Flag, nullptr);
  EXPECT_EQ(Flag->Result.Kind, TypeKind::Bool);
  EXPECT_EQ(Flag->Params[1].Ty.Kind, TypeKind::Float);
  EXPECT_EQ(Flag->Params[1].Ty.Size, 4u);
  EXPECT_EQ(Flag->Params[3].Ty.Size, 2u);
  EXPECT_FALSE(Flag->Params[3].Ty.IsSigned);
  EXPECT_TRUE(Flag->Params[4].Ty.IsSigned);
  EXPECT_EQ(Flag->Params[4].Ty.Flavor, IntegerFlavor::Plain);

  const Function *Ident = find(M, "ident");
  ASSERT_NE(Ident, nullptr);
  EXPECT_EQ(Ident->Params[0].Ty.pointee()->Kind, TypeKind::Void);
  EXPECT_EQ(Ident->Params[1].Ty.Kind, TypeKind::FunctionPointer);

  ASSERT_NE(find(M, "hidden"), nullptr);
  EXPECT_NE(find(M, "hidden")->UnsupportedReason.find("static"), std::string::npos);
  ASSERT_NE(find(M, "no_proto"), nullptr);
  EXPECT_NE(find(M, "no_proto")->UnsupportedReason.find("prototype"), std::string::npos);
  ASSERT_NE(find(M, "ld"), nullptr);
  EXPECT_EQ(find(M, "ld")->Params[0].Ty.Kind, TypeKind::Unsupported);
  EXPECT_EQ(find(M, "renamed")->Symbol, "renamed_v2");

  const Function *Make = find(M, "make");
  ASSERT_NE(Make, nullptr);
  EXPECT_EQ(Make->Result.pointee()->Kind, TypeKind::Record);
  const Record *Opaque = M.findRecord("opaque");
  ASSERT_NE(Opaque, nullptr);
  EXPECT_FALSE(Opaque->IsComplete);
}

TEST_F(HeaderFrontendTest, CharSignednessFollowsTheTarget) {
  std::string H = write("c.h", "char next(char c);\n");
  Module X86 = parse(H, Arch::AMD64);
  Module ARM = parse(H, Arch::ARM64);
  ASSERT_EQ(X86.Functions.size(), 1u);
  ASSERT_EQ(ARM.Functions.size(), 1u);
  EXPECT_TRUE(X86.Functions[0].Result.IsSigned);
  EXPECT_FALSE(ARM.Functions[0].Result.IsSigned);
  EXPECT_EQ(ARM.Triple, "aarch64-linux-gnu");
}

TEST_F(HeaderFrontendTest, RecordsEnumsAndMacros) {
  std::string H = write("t.h", R"(#include <stdint.h>
/// Version.
#define LIB_VERSION 3
#define LIB_NEG (-42)
#define LIB_MASK 0xFFFFFFFFFFFFFFFFull
#define LIB_NAME "not an integer"
#define LIB_EXPR (1 << 4)
struct vec3 { float x; double y; char z; };
typedef struct { uint8_t r, g, b; } rgb_pixel;
/// Levels.
typedef enum { LOG_DEBUG = -1, LOG_INFO = 2 } log_level;
double norm(const struct vec3 *v, rgb_pixel p, log_level l);
)");
  Module M = parse(H);
  ASSERT_EQ(M.Constants.size(), 3u);
  EXPECT_EQ(M.Constants[0].Name, "LIB_VERSION");
  EXPECT_EQ(M.Constants[0].Value, 3);
  EXPECT_EQ(M.Constants[0].Doc, "Version.");
  EXPECT_EQ(M.Constants[1].Value, -42);
  EXPECT_TRUE(M.Constants[2].IsUnsigned);
  EXPECT_EQ(static_cast<uint64_t>(M.Constants[2].Value), UINT64_MAX);

  const Record *V = M.findRecord("vec3");
  ASSERT_NE(V, nullptr);
  EXPECT_TRUE(V->IsComplete);
  EXPECT_EQ(V->Size, 24u);
  EXPECT_EQ(V->Align, 8u);
  ASSERT_EQ(V->Fields.size(), 3u);
  EXPECT_EQ(V->Fields[1].Offset, 8u);
  EXPECT_EQ(V->Fields[2].Offset, 16u);

  const Record *P = M.findRecord("rgb_pixel");
  ASSERT_NE(P, nullptr);
  EXPECT_EQ(P->Size, 3u);
  EXPECT_EQ(P->Fields[2].Name, "b");

  const Enum *E = M.findEnum("log_level");
  ASSERT_NE(E, nullptr);
  EXPECT_EQ(E->Doc, "Levels.");
  ASSERT_EQ(E->Constants.size(), 2u);
  EXPECT_EQ(E->Constants[0].Name, "LOG_DEBUG");
  EXPECT_EQ(E->Constants[0].Value, -1);
  ASSERT_EQ(M.Functions.size(), 1u);
  EXPECT_EQ(M.Functions[0].Params[2].Ty.Kind, TypeKind::Enum);
  EXPECT_TRUE(M.Functions[0].Params[2].Ty.IsSigned);
}

TEST_F(HeaderFrontendTest, ParseErrorsAreErrors) {
  std::string H = write("bad.h", "int f(int x\n");
  auto M = parseHeaders(HeaderInput{{H}, {}, ""}, Target{Arch::AMD64});
  ASSERT_FALSE(static_cast<bool>(M));
  EXPECT_NE(llvm::toString(M.takeError()).find("could not parse"), std::string::npos);
  auto Missing = parseHeaders(HeaderInput{{(Dir + "/nope.h").str()}, {}, ""}, Target{Arch::AMD64});
  ASSERT_FALSE(static_cast<bool>(Missing));
  EXPECT_NE(llvm::toString(Missing.takeError()).find("nope.h"), std::string::npos);
}

TEST_F(HeaderFrontendTest, FunctionPointerTypedefsAndRecordLayouts) {
  std::string H = write("fp.h", "#include <stdint.h>\n"
                                "typedef struct { char tag; double v; } item;\n"
                                "/* Orders two items. */\n"
                                "typedef int (*cmp_fn)(const item *a, const item *b);\n"
                                "typedef void (*log_fn)(const char *, ...);\n"
                                "int sort(item *items, int n, cmp_fn cmp);\n");
  Module M = parse(H);
  ASSERT_EQ(M.FunctionTypes.size(), 2u);
  const Function &Cmp = M.FunctionTypes[0];
  EXPECT_EQ(Cmp.Name, "cmp_fn");
  EXPECT_TRUE(Cmp.Symbol.empty());
  ASSERT_EQ(Cmp.Params.size(), 2u);
  EXPECT_EQ(Cmp.Params[1].Name, "b");
  EXPECT_EQ(Cmp.Params[0].Ty.Kind, TypeKind::Pointer);
  EXPECT_EQ(Cmp.Result.Kind, TypeKind::Integer);
  EXPECT_EQ(Cmp.Doc, "Orders two items.");
  EXPECT_EQ(Cmp.Location.Line, 4u);
  EXPECT_TRUE(M.FunctionTypes[1].IsVariadic);
  // Clang's record layout, which the Go struct and its layout test follow.
  const Record *Item = M.findRecord("item");
  ASSERT_NE(Item, nullptr);
  EXPECT_EQ(Item->Size, 16u);
  EXPECT_EQ(Item->Align, 8u);
  ASSERT_EQ(Item->Fields.size(), 2u);
  EXPECT_EQ(Item->Fields[1].Offset, 8u);
}

TEST_F(HeaderFrontendTest, ArrayElementsKeepTheirTypedef) {
  std::string H = write("arr.h", "#include <stddef.h>\n"
                                 "typedef struct { size_t v[2]; } sizes;\n"
                                 "size_t first(const sizes *s);\n");
  Module M = parse(H);
  const Record *R = M.findRecord("sizes");
  ASSERT_NE(R, nullptr);
  ASSERT_EQ(R->Fields.size(), 1u);
  ASSERT_EQ(R->Fields[0].Ty.Element.size(), 1u);
  EXPECT_EQ(R->Fields[0].Ty.Element[0].Flavor, IntegerFlavor::Size);
}

// Function-pointer types spelled inline in parameters are recorded as
// function types "OWNER.PARAM" (issue 19: Go callbacks need their
// signatures); a parameter typed with a recorded typedef adds none.
TEST_F(HeaderFrontendTest, InlineFunctionPointerParameters) {
  std::string H = write("inl.h", "#include <stddef.h>\n"
                                 "typedef int (*cmp_fn)(const void *, const void *);\n"
                                 "void qsort_like(void *base, size_t n,\n"
                                 "                int (*compar)(const void *x, const void *y));\n"
                                 "void uses_typedef(cmp_fn c);\n"
                                 "void unnamed(void (*)(int), int cb(double d));\n"
                                 "typedef void (*reg_fn)(void (*handler)(int sig));\n"
                                 "static void hidden(void (*h)(void));\n");
  Module M = parse(H);
  std::vector<std::string> Names;
  for (const Function &F : M.FunctionTypes)
    Names.push_back(F.Name + (F.InlineParameter ? " inline" : ""));
  EXPECT_EQ(Names, (std::vector<std::string>{"cmp_fn", "qsort_like.compar inline",
                                             "unnamed.p0 inline", "unnamed.cb inline", "reg_fn",
                                             "reg_fn.handler inline"}));
  ASSERT_EQ(M.FunctionTypes.size(), 6u);
  const Function &Compar = M.FunctionTypes[1];
  ASSERT_EQ(Compar.Params.size(), 2u);
  EXPECT_EQ(Compar.Params[0].Name, "x");
  EXPECT_EQ(Compar.Params[1].Ty.Kind, TypeKind::Pointer);
  EXPECT_EQ(Compar.Result.Kind, TypeKind::Integer);
  EXPECT_EQ(Compar.Location.Line, 4u);
  // A parameter declared as a function decays to a pointer; its names stay.
  ASSERT_EQ(M.FunctionTypes[3].Params.size(), 1u);
  EXPECT_EQ(M.FunctionTypes[3].Params[0].Name, "d");
  EXPECT_EQ(M.FunctionTypes[3].Params[0].Ty.Kind, TypeKind::Float);
  EXPECT_EQ(M.FunctionTypes[5].Params[0].Name, "sig");
  // The parameters themselves stay function pointers.
  const Function *Q = find(M, "qsort_like");
  ASSERT_NE(Q, nullptr);
  EXPECT_EQ(Q->Params[2].Ty.Kind, TypeKind::FunctionPointer);
  // The prototype names an inline function-pointer parameter where C does.
  EXPECT_EQ(cPrototype(*Q), "void qsort_like(void *base, size_t n, "
                            "int (*compar)(const void *, const void *))");
}
