// Builds C objects with -g in the test and checks that the DWARF frontend
// reads them into the same IR the header frontend reads from their headers,
// on everything DWARF records (not doc comments, macros or annotations; the
// functions' locations are their definitions, not their declarations).
#include "gotramp/frontend/DwarfFrontend.h"
#include "gotramp/abi/GoTypes.h"
#include "gotramp/frontend/HeaderFrontend.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/raw_ostream.h"

#include <gtest/gtest.h>

using namespace gotramp;

namespace {

std::string describe(const Type &T) {
  std::string S = "{kind " + std::to_string(int(T.Kind)) + " '" + T.Spelling + "' size " +
                  std::to_string(T.Size) + " align " + std::to_string(T.Align) +
                  (T.IsSigned ? " signed" : "") + " flavor " + std::to_string(int(T.Flavor)) +
                  " name '" + T.Name + "' count " + std::to_string(T.Count) +
                  (T.PointeeConst ? " pointee-const" : "") + " reason '" + T.UnsupportedReason +
                  "'";
  for (const Type &E : T.Element)
    S += " elem " + describe(E);
  return S + "}";
}

class DwarfFrontendTest : public ::testing::Test {
protected:
  void SetUp() override {
    ASSERT_FALSE(llvm::sys::fs::createUniqueDirectory("gotramp-dwarf", Dir));
  }
  void TearDown() override { llvm::sys::fs::remove_directories(Dir); }

  std::string path(const std::string &Name) { return (Dir + "/" + Name).str(); }

  std::string write(const std::string &Name, const std::string &Text) {
    std::error_code EC;
    llvm::raw_fd_ostream OS(path(Name), EC);
    EXPECT_FALSE(EC);
    OS << Text;
    return path(Name);
  }

  /// Compiles Source with -g (or Debug) for A, the way
  /// examples/mathlib/native/build.sh does.
  std::string compile(const std::string &Source, Arch A, const std::string &Out,
                      const std::vector<std::string> &Debug = {"-g"}) {
    std::string Triple = A == Arch::AMD64 ? "x86_64-linux-gnu" : "aarch64-linux-gnu";
    std::vector<std::string> Args = {GOTRAMP_TEST_CLANG, "--target=" + Triple, "-O2",
                                     "-fPIC", "-ffreestanding", "-fno-stack-protector",
                                     "-fno-builtin", "-c", Source, "-o", path(Out)};
    Args.insert(Args.begin() + 2, Debug.begin(), Debug.end());
    std::vector<llvm::StringRef> Refs(Args.begin(), Args.end());
    std::string Error;
    int RC = llvm::sys::ExecuteAndWait(Args[0], Refs, std::nullopt, {}, 0, 0, &Error);
    EXPECT_EQ(RC, 0) << "clang failed: " << Error;
    return path(Out);
  }

  static const Function *find(const Module &M, const std::string &Name) {
    for (const Function &F : M.Functions)
      if (F.Name == Name)
        return &F;
    return nullptr;
  }

  /// Every exported function of the header must come out of DWARF the same.
  static void expectSameFunctions(const Module &FromHeader, const Module &FromDwarf,
                                  size_t &Compared) {
    for (const Function &H : FromHeader.Functions) {
      SCOPED_TRACE(H.Name);
      const Function *D = find(FromDwarf, H.Name);
      if (!H.UnsupportedReason.empty()) {
        EXPECT_EQ(D, nullptr) << "a static or prototype-less declaration has no exported symbol";
        continue;
      }
      ASSERT_NE(D, nullptr) << "missing from the DWARF-derived IR";
      ++Compared;
      EXPECT_EQ(D->Symbol, H.Symbol);
      EXPECT_EQ(D->IsVariadic, H.IsVariadic);
      EXPECT_EQ(D->Result, H.Result) << describe(D->Result) << "\n vs header " << describe(H.Result);
      ASSERT_EQ(D->Params.size(), H.Params.size());
      for (size_t I = 0; I < H.Params.size(); ++I) {
        EXPECT_EQ(D->Params[I].Name, H.Params[I].Name);
        EXPECT_EQ(D->Params[I].Ty, H.Params[I].Ty)
            << describe(D->Params[I].Ty) << "\n vs header " << describe(H.Params[I].Ty);
      }
      EXPECT_EQ(cPrototype(*D), cPrototype(H));
      EXPECT_TRUE(D->Location.isValid());
      EXPECT_TRUE(D->Doc.empty() && D->Annotations.empty());
    }
    for (const Function &D : FromDwarf.Functions)
      EXPECT_NE(find(FromHeader, D.Name), nullptr) << D.Name << " is not in the header";
  }

  /// Records and enums the functions use: same layout, fields and constants.
  static void expectSameTypes(const Module &FromHeader, const Module &FromDwarf) {
    for (const Record &D : FromDwarf.Records) {
      SCOPED_TRACE("record " + D.Name);
      const Record *H = FromHeader.findRecord(D.Name);
      ASSERT_NE(H, nullptr);
      EXPECT_EQ(D.IsUnion, H->IsUnion);
      EXPECT_EQ(D.IsComplete, H->IsComplete);
      EXPECT_EQ(D.Size, H->Size);
      EXPECT_EQ(D.Align, H->Align);
      EXPECT_EQ(D.Fields, H->Fields);
      if (D.IsComplete) // clang gives a mere declaration no DW_AT_decl_line
        EXPECT_EQ(D.Location.Line, H->Location.Line);
    }
    for (const Record &H : FromHeader.Records)
      EXPECT_NE(FromDwarf.findRecord(H.Name), nullptr) << "record " << H.Name;
    for (const Enum &D : FromDwarf.Enums) {
      SCOPED_TRACE("enum " + D.Name);
      const Enum *H = FromHeader.findEnum(D.Name);
      ASSERT_NE(H, nullptr);
      EXPECT_EQ(D.Underlying, H->Underlying)
          << describe(D.Underlying) << "\n vs header " << describe(H->Underlying);
      ASSERT_EQ(D.Constants.size(), H->Constants.size());
      for (size_t I = 0; I < D.Constants.size(); ++I) {
        EXPECT_EQ(D.Constants[I].Name, H->Constants[I].Name);
        EXPECT_EQ(D.Constants[I].Value, H->Constants[I].Value);
      }
      EXPECT_EQ(D.Location.Line, H->Location.Line);
    }
  }

  void compare(const std::string &Header, const std::string &Source, Arch A,
               size_t ExpectFunctions) {
    SCOPED_TRACE(A == Arch::AMD64 ? "amd64" : "arm64");
    std::string Obj = compile(Source, A, A == Arch::AMD64 ? "amd64.o" : "arm64.o");
    auto H = parseHeaders(HeaderInput{{Header}, {}, ""}, Target{A});
    ASSERT_TRUE(bool(H)) << llvm::toString(H.takeError());
    auto D = parseDwarf(DwarfInput{{Obj}, {}, {}}, Target{A});
    ASSERT_TRUE(bool(D)) << llvm::toString(D.takeError());
    EXPECT_EQ(D->Triple, H->Triple);
    size_t Compared = 0;
    expectSameFunctions(*H, *D, Compared);
    EXPECT_EQ(Compared, ExpectFunctions);
    expectSameTypes(*H, *D);
  }

  llvm::SmallString<128> Dir;
};

} // namespace

TEST_F(DwarfFrontendTest, MathlibMatchesHeaderFrontend) {
  std::string Native = std::string(GOTRAMP_TEST_SOURCE_DIR) + "/examples/mathlib/native/";
  for (Arch A : {Arch::AMD64, Arch::ARM64})
    compare(Native + "mathlib.h", Native + "mathlib.c", A, 21);
}

TEST_F(DwarfFrontendTest, RecordsEnumsTypedefsAndPointers) {
  std::string H = write("types.h", R"(#include <stdint.h>
#include <stddef.h>
#include <stdbool.h>
struct vec3 { float x, y, z; };
typedef struct vec3 vec3_t;
typedef struct { uint8_t r, g, b; uint32_t flags : 3, more : 5; } rgb_pixel;
union bits { uint64_t u; double d; unsigned char b[8]; };
struct opaque;
struct nested { struct vec3 v[2]; int grid[2][3]; const char *name; void (*cb)(int, void *); };
enum color { RED, GREEN = 5, BLUE };
typedef enum { NEG = -2, POS = 2 } sign_t;
struct packed_s { char c; int i; } __attribute__((packed));
float vec3_dot(const vec3_t *a, const struct vec3 *b);
void fill(rgb_pixel *p, enum color c, sign_t s);
uint64_t bits_of(union bits *b);
struct opaque *make_opaque(size_t n, ptrdiff_t d, uintptr_t u, intptr_t i);
int nested_sum(struct nested *n, char **argv, void const *blob);
int (*pick(int which))(int);
int packed_get(struct packed_s *p);
static inline int helper(int x) { return x + 1; }
int sum_varargs(int n, ...);
)");
  std::string C = write("types.c", R"(#include "types.h"
#include <stdarg.h>
float vec3_dot(const vec3_t *a, const struct vec3 *b) { return a->x * b->x + a->y * b->y + a->z * b->z; }
void fill(rgb_pixel *p, enum color c, sign_t s) { p->r = (uint8_t)c; p->g = (uint8_t)s; p->flags = 1; }
uint64_t bits_of(union bits *b) { return b->u; }
struct opaque *make_opaque(size_t n, ptrdiff_t d, uintptr_t u, intptr_t i) { return (struct opaque *)(n + d + u + i); }
int nested_sum(struct nested *n, char **argv, void const *blob) { return n->grid[1][2] + (argv != 0) + (blob != 0) + helper(1); }
static int twice(int x) { return 2 * x; }
int (*pick(int which))(int) { return which ? twice : 0; }
int packed_get(struct packed_s *p) { return p->i; }
int sum_varargs(int n, ...) { va_list ap; va_start(ap, n); int s = 0; for (int i = 0; i < n; i++) s += va_arg(ap, int); va_end(ap); return s; }
)");
  for (Arch A : {Arch::AMD64, Arch::ARM64})
    compare(H, C, A, 8);
}

TEST_F(DwarfFrontendTest, OnlySelectsSymbolsAndReportsMissingOnes) {
  std::string C = write("two.c", "int one(int a) { return a; }\nint two(int b) { return b; }\n"
                                 "static int three(int c) { return c; }\n"
                                 "int use3(void) { return three(3); }\n");
  std::string Obj = compile(C, Arch::AMD64, "two.o");
  auto All = parseDwarf(DwarfInput{{Obj}, {}, {}}, Target{Arch::AMD64});
  ASSERT_TRUE(bool(All)) << llvm::toString(All.takeError());
  EXPECT_EQ(All->Functions.size(), 3u) << "one, two, use3; not the static three";
  const Function *One = find(*All, "one");
  ASSERT_NE(One, nullptr);
  EXPECT_EQ(One->Location.Line, 1u);
  EXPECT_NE(One->Location.File.find("two.c"), std::string::npos) << One->Location.File;

  auto Some = parseDwarf(DwarfInput{{Obj}, {"two"}, {}}, Target{Arch::AMD64});
  ASSERT_TRUE(bool(Some)) << llvm::toString(Some.takeError());
  ASSERT_EQ(Some->Functions.size(), 1u);
  EXPECT_EQ(Some->Functions[0].Name, "two");

  auto Missing = parseDwarf(DwarfInput{{Obj}, {"three"}, {}}, Target{Arch::AMD64});
  ASSERT_FALSE(bool(Missing));
  EXPECT_NE(llvm::toString(Missing.takeError()).find("'three'"), std::string::npos);

  auto Wrong = parseDwarf(DwarfInput{{Obj}, {}, {}}, Target{Arch::ARM64});
  ASSERT_FALSE(bool(Wrong));
  EXPECT_NE(llvm::toString(Wrong.takeError()).find("not for linux/arm64"), std::string::npos);
}

// A C definition without DW_AT_prototyped (K&R) takes promoted arguments:
// it is kept with a reason, unless it has no parameter to promote. C++ never
// emits DW_AT_prototyped, and its functions always have prototypes.
TEST_F(DwarfFrontendTest, KAndRDefinitionsAreUnsupportedInCOnly) {
  std::string C = write("kr.c", "float kr(f) float f; { return f * 2; }\n"
                                "int none() { return 7; }\n"
                                "float proto(float f) { return f * 2; }\n");
  std::string CC = write("cc.cpp", "extern \"C\" float cc(float f) { return f * 2; }\n");
  for (Arch A : {Arch::AMD64, Arch::ARM64}) {
    SCOPED_TRACE(A == Arch::AMD64 ? "amd64" : "arm64");
    auto M = parseDwarf(DwarfInput{{compile(C, A, "kr.o"), compile(CC, A, "cc.o")}, {}, {}},
                        Target{A});
    ASSERT_TRUE(bool(M)) << llvm::toString(M.takeError());
    const Function *KR = find(*M, "kr");
    ASSERT_NE(KR, nullptr);
    EXPECT_NE(KR->UnsupportedReason.find("defined without a prototype (K&R style)"),
              std::string::npos)
        << KR->UnsupportedReason;
    EXPECT_NE(KR->UnsupportedReason.find("'float kr(float f)'"), std::string::npos)
        << KR->UnsupportedReason;
    for (const char *Name : {"none", "proto", "cc"}) {
      const Function *F = find(*M, Name);
      ASSERT_NE(F, nullptr) << Name;
      EXPECT_EQ(F->UnsupportedReason, "") << Name;
    }
  }
}

TEST_F(DwarfFrontendTest, ObjectsWithoutFunctionDescriptionsSayWhatTheyLack) {
  std::string C = write("nodw.c", "int nodw_one(int a) { return a + 1; }\n");
  for (Arch A : {Arch::AMD64, Arch::ARM64}) {
    std::string Tag = A == Arch::AMD64 ? "64" : "a64";
    const std::pair<std::vector<std::string>, std::string> Cases[] = {
        {{}, "has no debug info"},
        {{"-g", "-gsplit-dwarf"}, "has split DWARF (-gsplit-dwarf): the function descriptions "
                                  "are in "},
        {{"-gline-tables-only"}, "has line tables only (-gline-tables-only or -g1)"},
    };
    std::vector<std::string> Objects;
    for (size_t I = 0; I < std::size(Cases); ++I) {
      std::string Obj = compile(C, A, "nodw" + Tag + "_" + std::to_string(I) + ".o",
                                Cases[I].first);
      Objects.push_back(Obj);
      auto M = parseDwarf(DwarfInput{{Obj}, {}, {}}, Target{A});
      ASSERT_FALSE(bool(M)) << Cases[I].second;
      std::string Msg = llvm::toString(M.takeError());
      EXPECT_NE(Msg.find("nothing to bind for " + Target{A}.goName()), std::string::npos) << Msg;
      EXPECT_NE(Msg.find(Obj + " " + Cases[I].second), std::string::npos) << Msg;
      EXPECT_NE(Msg.find("compile with -g (full DWARF in the object, not -gsplit-dwarf or "
                         "-gline-tables-only"),
                std::string::npos)
          << Msg;
    }
    // All of them at once: each object named with its own reason.
    auto M = parseDwarf(DwarfInput{Objects, {}, {}}, Target{A});
    ASSERT_FALSE(bool(M));
    std::string Msg = llvm::toString(M.takeError());
    for (size_t I = 0; I < std::size(Cases); ++I)
      EXPECT_NE(Msg.find(Objects[I] + " " + Cases[I].second), std::string::npos) << Msg;
    // One object with full DWARF is enough.
    Objects.push_back(compile(C, A, "nodw" + Tag + "_full.o"));
    auto Ok = parseDwarf(DwarfInput{{Objects.back()}, {}, {}}, Target{A});
    ASSERT_TRUE(bool(Ok)) << llvm::toString(Ok.takeError());
    EXPECT_EQ(Ok->Functions.size(), 1u);
  }
}

// Rust: runtime-shims/rust's GoSlice<T> and GoString by value become the IR's
// GoSlice and GoString kinds (Go []T and string); a pointer to one stays a
// pointer; a crate whose GoSlice/GoString do not have Go's header layout is
// rejected with its file and line. Needs rustc (and, for arm64, the
// aarch64-unknown-linux-gnu target); skipped without.
namespace {

class DwarfFrontendRustTest : public DwarfFrontendTest {
protected:
  static std::string triple(Arch A) {
    return A == Arch::AMD64 ? "x86_64-unknown-linux-gnu" : "aarch64-unknown-linux-gnu";
  }

  /// Runs rustc; false (with the reason in Error) when it fails.
  bool rustc(std::vector<std::string> Args, std::string &Error) {
    Args.insert(Args.begin(), GOTRAMP_TEST_RUSTC);
    std::vector<llvm::StringRef> Refs(Args.begin(), Args.end());
    std::string Log = path("rustc.log");
    std::optional<llvm::StringRef> Redirects[] = {std::nullopt, llvm::StringRef(Log),
                                                  llvm::StringRef(Log)};
    int RC = llvm::sys::ExecuteAndWait(Args[0], Refs, std::nullopt, Redirects, 0, 0, &Error);
    if (RC == 0)
      return true;
    if (auto B = llvm::MemoryBuffer::getFile(Log))
      Error += (*B)->getBuffer().str();
    return false;
  }

  /// Builds Shim as the crate gotramp_go and Source (which uses it) as an
  /// object for A, with full debug info. "" when rustc cannot build for A.
  std::string buildRust(const std::string &Shim, const std::string &Source, Arch A,
                        std::string &Error) {
    std::string T = triple(A), Deps = path(T);
    llvm::sys::fs::create_directories(Deps);
    std::vector<std::string> Common = {"--edition=2021", "--target=" + T, "-C", "panic=abort",
                                       "-C", "opt-level=1", "-C", "debuginfo=2"};
    std::vector<std::string> Shim1 = Common;
    Shim1.insert(Shim1.end(), {"--crate-type=rlib", "--crate-name=gotramp_go", Shim, "-o",
                               Deps + "/libgotramp_go.rlib"});
    if (!rustc(Shim1, Error))
      return "";
    std::vector<std::string> User = Common;
    std::string Obj = path(T + ".o");
    User.insert(User.end(), {"--crate-type=lib", "--emit=obj", "--crate-name=rusttest",
                             "--extern", "gotramp_go=" + Deps + "/libgotramp_go.rlib", Source,
                             "-o", Obj});
    if (!rustc(User, Error))
      return "";
    return Obj;
  }

  void SetUp() override {
    DwarfFrontendTest::SetUp();
    if (std::string(GOTRAMP_TEST_RUSTC).empty())
      GTEST_SKIP() << "rustc not found at configure time";
  }

  static const Parameter &param(const Function &F, size_t I) { return F.Params.at(I); }
};

} // namespace

TEST_F(DwarfFrontendRustTest, GoSliceAndGoStringByValue) {
  std::string Shim = std::string(GOTRAMP_TEST_SOURCE_DIR) + "/runtime-shims/rust/src/lib.rs";
  std::string Src = write("user.rs", R"(#![no_std]
use gotramp_go::{GoSlice, GoString};
#[no_mangle]
pub unsafe extern "C" fn sum_bytes(s: GoSlice<u8>) -> u64 {
    s.as_slice().iter().map(|b| *b as u64).sum()
}
#[no_mangle]
pub unsafe extern "C" fn fill_words(mut s: GoSlice<u64>, v: u64) {
    for x in s.as_mut_slice() { *x = v; }
}
#[no_mangle]
pub unsafe extern "C" fn str_len(s: GoString) -> isize { s.as_bytes().len() as isize }
#[no_mangle]
pub unsafe extern "C" fn slice_len_via(p: *const GoSlice<u8>) -> isize { (*p).len }
#[no_mangle]
pub unsafe extern "C" fn count_strings(s: GoSlice<GoString>) -> usize { s.as_slice().len() }
)");
  for (Arch A : {Arch::AMD64, Arch::ARM64}) {
    SCOPED_TRACE(triple(A));
    std::string Error;
    std::string Obj = buildRust(Shim, Src, A, Error);
    if (Obj.empty()) {
      ASSERT_EQ(A, Arch::ARM64) << "rustc failed for the host: " << Error;
      GTEST_SKIP() << "rustc cannot build for aarch64 (rustup target add "
                      "aarch64-unknown-linux-gnu): "
                   << Error;
    }
    auto M = parseDwarf(DwarfInput{{Obj}, {}, {}}, Target{A});
    ASSERT_TRUE(bool(M)) << llvm::toString(M.takeError());
    EXPECT_EQ(M->Functions.size(), 5u);
    auto goType = [&](const Type &T) {
      auto G = goTypeFor(T, *M);
      return G ? G->Spelling : "error: " + llvm::toString(G.takeError());
    };

    const Function *F = find(*M, "sum_bytes");
    ASSERT_NE(F, nullptr);
    const Type &Bytes = param(*F, 0).Ty;
    EXPECT_EQ(Bytes.Kind, TypeKind::GoSlice) << describe(Bytes);
    EXPECT_EQ(Bytes.Spelling, "GoSlice<u8>");
    EXPECT_EQ(Bytes.Size, 24u);
    EXPECT_EQ(Bytes.Align, 8u);
    ASSERT_NE(Bytes.pointee(), nullptr);
    EXPECT_EQ(Bytes.pointee()->Kind, TypeKind::Integer);
    EXPECT_EQ(Bytes.pointee()->Size, 1u);
    EXPECT_FALSE(Bytes.pointee()->IsSigned);
    EXPECT_EQ(goType(Bytes), "[]uint8");

    F = find(*M, "fill_words");
    ASSERT_NE(F, nullptr);
    ASSERT_EQ(F->Params.size(), 2u);
    EXPECT_EQ(param(*F, 0).Ty.Kind, TypeKind::GoSlice) << describe(param(*F, 0).Ty);
    EXPECT_EQ(goType(param(*F, 0).Ty), "[]uint64");

    F = find(*M, "str_len");
    ASSERT_NE(F, nullptr);
    const Type &Str = param(*F, 0).Ty;
    EXPECT_EQ(Str.Kind, TypeKind::GoString) << describe(Str);
    EXPECT_EQ(Str.Spelling, "GoString");
    EXPECT_EQ(Str.Size, 16u);
    EXPECT_EQ(Str.Align, 8u);
    EXPECT_TRUE(Str.Element.empty());
    EXPECT_EQ(goType(Str), "string");

    // By value only: a pointer to a GoSlice stays a pointer (to a Go slice header).
    F = find(*M, "slice_len_via");
    ASSERT_NE(F, nullptr);
    const Type &Ptr = param(*F, 0).Ty;
    EXPECT_EQ(Ptr.Kind, TypeKind::Pointer) << describe(Ptr);
    EXPECT_TRUE(Ptr.PointeeConst);
    EXPECT_EQ(goType(Ptr), "*[]uint8");

    F = find(*M, "count_strings");
    ASSERT_NE(F, nullptr);
    EXPECT_EQ(goType(param(*F, 0).Ty), "[]string") << describe(param(*F, 0).Ty);

    for (const Record &R : M->Records)
      EXPECT_EQ(llvm::StringRef(R.Name).find("Go"), llvm::StringRef::npos)
          << "the Go headers are not records: " << R.Name;
  }
}

TEST_F(DwarfFrontendRustTest, GoHeadersWithAnotherLayoutAreRejected) {
  // A gotramp_go crate whose types look like the real ones but are not laid
  // out as Go's headers; and a look-alike GoString in another crate, which
  // is an ordinary struct.
  std::string Shim = write("bad_shim.rs", R"(#![no_std]
#[repr(C)]
pub struct GoSlice<T> {
    pub data: *mut T,
    pub len: u32,
    pub cap: isize,
}
#[repr(C)]
pub struct GoString {
    pub len: isize,
    pub data: *const u8,
}
)");
  std::string Src = write("user.rs", R"(#![no_std]
#[repr(C)]
pub struct GoString { pub data: *const u8, pub len: isize }
#[no_mangle]
pub extern "C" fn bad_slice(s: gotramp_go::GoSlice<u8>) -> u32 { s.len }
#[no_mangle]
pub extern "C" fn bad_string(s: gotramp_go::GoString) -> isize { s.len }
#[no_mangle]
pub extern "C" fn own_string(s: GoString) -> isize { s.len }
)");
  std::string Error;
  std::string Obj = buildRust(Shim, Src, Arch::AMD64, Error);
  ASSERT_FALSE(Obj.empty()) << Error;
  auto M = parseDwarf(DwarfInput{{Obj}, {}, {}}, Target{Arch::AMD64});
  ASSERT_TRUE(bool(M)) << llvm::toString(M.takeError());

  const Function *F = find(*M, "bad_slice");
  ASSERT_NE(F, nullptr);
  const Type &S = param(*F, 0).Ty;
  EXPECT_EQ(S.Kind, TypeKind::Unsupported) << describe(S);
  // rustc records no location for a struct: the skip warning names the
  // function's file and line.
  EXPECT_NE(F->Location.File.find("user.rs"), std::string::npos) << F->Location.File;
  EXPECT_EQ(F->Location.Line, 5u);
  EXPECT_NE(S.UnsupportedReason.find("'gotramp_go::GoSlice<u8>'"), std::string::npos)
      << S.UnsupportedReason;
  EXPECT_NE(S.UnsupportedReason.find("Go slice header"), std::string::npos) << S.UnsupportedReason;
  EXPECT_NE(S.UnsupportedReason.find("field 'len' is 'u32', not isize or usize"),
            std::string::npos)
      << S.UnsupportedReason;

  F = find(*M, "bad_string");
  ASSERT_NE(F, nullptr);
  const Type &G = param(*F, 0).Ty;
  EXPECT_EQ(G.Kind, TypeKind::Unsupported) << describe(G);
  EXPECT_NE(G.UnsupportedReason.find("field 0 is 'len', not 'data'"), std::string::npos)
      << G.UnsupportedReason;

  F = find(*M, "own_string");
  ASSERT_NE(F, nullptr);
  EXPECT_EQ(param(*F, 0).Ty.Kind, TypeKind::Record) << describe(param(*F, 0).Ty);
}

// A C function's function-pointer parameters become function types named
// as the header frontend names inline ones ("FUNCTION.PARAM"), with the
// pointee's signature, through typedefs and qualifiers (issue 19).
TEST_F(DwarfFrontendTest, FunctionPointerParametersBecomeFunctionTypes) {
  std::string C = write("cb.c", R"(typedef long (*fold_fn)(long acc, double x);
long fold(const double *xs, int n, fold_fn const f, long acc) {
  for (int i = 0; i < n; i++) acc = f(acc, xs[i]);
  return acc;
}
int each(void (*visit)(void *, int), void *ctx, int (*log)(const char *, ...)) {
  visit(ctx, 1); return log("x");
}
)");
  for (Arch A : {Arch::AMD64, Arch::ARM64}) {
    std::string Obj = compile(C, A, A == Arch::AMD64 ? "cb_amd64.o" : "cb_arm64.o");
    auto M = parseDwarf(DwarfInput{{Obj}, {}, {}}, Target{A});
    ASSERT_TRUE(static_cast<bool>(M)) << llvm::toString(M.takeError());
    std::vector<std::string> Names;
    for (const Function &F : M->FunctionTypes) {
      EXPECT_TRUE(F.InlineParameter) << F.Name;
      Names.push_back(F.Name);
    }
    std::sort(Names.begin(), Names.end());
    EXPECT_EQ(Names, (std::vector<std::string>{"each.log", "each.visit", "fold.f"}));
    for (const Function &F : M->FunctionTypes) {
      if (F.Name == "fold.f") {
        ASSERT_EQ(F.Params.size(), 2u);
        EXPECT_EQ(F.Params[1].Ty.Kind, TypeKind::Float);
        EXPECT_EQ(F.Result.Kind, TypeKind::Integer);
        EXPECT_EQ(F.Result.Size, 8u);
      } else if (F.Name == "each.visit") {
        ASSERT_EQ(F.Params.size(), 2u);
        EXPECT_EQ(F.Params[0].Ty.Kind, TypeKind::Pointer);
        EXPECT_EQ(F.Result.Kind, TypeKind::Void);
      } else {
        EXPECT_TRUE(F.IsVariadic);
      }
    }
  }
}
