//===- StackAnalysisTest.cpp - stack bounds from machine code --------------===//
//
// Hand-written assembly (exact expectations for every modelled instruction
// form and every reason a bound becomes unknown) and small C objects (the
// .stack_sizes cross-check, per-function sections, the packed blob) through
// the real clang and ld.lld. The soundness harness that runs the code is in
// tests/stack/.
//
//===----------------------------------------------------------------------===//

#include "gotramp/BuildConfig.h"
#include "gotramp/pack/Packer.h"
#include "gotramp/driver/Inspect.h"
#include "gotramp/stack/StackAnalysis.h"
#include "gotramp/support/Target.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/raw_ostream.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <string>
#include <vector>

using namespace gotramp;
using namespace llvm;

namespace {

Target targetFor(Arch A) {
  Target T;
  T.Architecture = A;
  return T;
}

std::string tempPath(StringRef Suffix) {
  SmallString<128> P;
  EXPECT_FALSE(sys::fs::createTemporaryFile("stack-test", Suffix, P));
  return std::string(P);
}

std::vector<uint8_t> readBytes(const std::string &Path) {
  auto B = MemoryBuffer::getFile(Path, false, false);
  if (!B)
    return {};
  return std::vector<uint8_t>((*B)->getBufferStart(), (*B)->getBufferEnd());
}

/// Compiles or assembles Source (Lang "assembler" or "c") into an object.
std::string compileToFile(Arch A, StringRef Source, StringRef Lang,
                          std::vector<std::string> Extra = {}) {
  std::string Src = tempPath(Lang == "c" ? "c" : "s");
  std::string Obj = tempPath("o");
  {
    std::error_code EC;
    raw_fd_ostream OS(Src, EC);
    if (Lang == "assembler" && A == Arch::AMD64)
      OS << ".intel_syntax noprefix\n";
    OS << Source;
  }
  std::vector<std::string> Args = {
      GOTRAMP_TEST_CLANG,
      A == Arch::AMD64 ? "--target=x86_64-linux-gnu" : "--target=aarch64-linux-gnu",
      "-x", Lang.str(), "-c", Src, "-o", Obj};
  if (Lang == "c") {
    append_range(Args, std::vector<std::string>{
                           "-fPIC", "-ffreestanding", "-fno-stack-protector",
                           "-fno-builtin", "-fno-asynchronous-unwind-tables"});
    if (A == Arch::ARM64)
      Args.push_back("-ffixed-x28");
  }
  append_range(Args, Extra);
  std::vector<StringRef> Argv(Args.begin(), Args.end());
  std::string Err;
  int Rc = sys::ExecuteAndWait(Args[0], Argv, std::nullopt, {}, 60, 0, &Err);
  EXPECT_EQ(Rc, 0) << "clang failed on:\n" << Source.str() << Err;
  sys::fs::remove(Src);
  return Obj;
}

StackReport analyze(Arch A, StringRef Source, StringRef Lang = "assembler",
                    std::vector<std::string> Extra = {}) {
  std::string Obj = compileToFile(A, Source, Lang, std::move(Extra));
  std::vector<uint8_t> Bytes = readBytes(Obj);
  sys::fs::remove(Obj);
  Expected<StackReport> R = analyzeStack(Bytes, targetFor(A));
  if (!R) {
    ADD_FAILURE() << toString(R.takeError());
    return StackReport();
  }
  return std::move(*R);
}

const StackFunction &fn(const StackReport &R, StringRef Name) {
  for (const StackFunction &F : R.Functions)
    if (F.Name == Name)
      return F;
  static StackFunction None;
  ADD_FAILURE() << "no function " << Name.str();
  return None;
}

std::vector<std::string> names(std::initializer_list<const char *> L) {
  return std::vector<std::string>(L.begin(), L.end());
}

// A leaf that every test may call: x86-64 own frame 8, arm64 0.
constexpr const char *X86Leaf = R"(
  .text
  .globl leaf
  .type leaf,@function
leaf:
  ret
  .size leaf, .-leaf
)";

constexpr const char *A64Leaf = R"(
  .text
  .globl leaf
  .type leaf,%function
leaf:
  ret
  .size leaf, .-leaf
)";

#define FUNC(name) "  .globl " name "\n  .type " name ",@function\n" name ":\n"
#define END(name) "  .size " name ", .-" name "\n"
#define AFUNC(name) "  .globl " name "\n  .type " name ",%function\n" name ":\n"

//===-- x86-64 frames -------------------------------------------------------===//

TEST(StackAnalysisX86, FramePointerFrameAndCall) {
  StackReport R = analyze(Arch::AMD64, std::string(X86Leaf) +
      FUNC("framed")
      "  push rbp\n  mov rbp, rsp\n  sub rsp, 32\n  call leaf\n"
      "  leave\n  ret\n" END("framed"));
  const StackFunction &L = fn(R, "leaf");
  EXPECT_EQ(L.OwnFrame, 8u);
  EXPECT_TRUE(L.Bounded);
  EXPECT_EQ(L.Bound, 8u);
  const StackFunction &F = fn(R, "framed");
  EXPECT_EQ(F.OwnFrame, 48u);
  ASSERT_TRUE(F.Bounded) << F.Reason;
  EXPECT_EQ(F.Bound, 56u); // the call site at depth 48 + leaf's 8
  EXPECT_EQ(F.Callees, names({"leaf"}));
  ASSERT_EQ(F.Calls.size(), 1u);
  EXPECT_EQ(F.Calls[0].DepthAtSite, 48u);
  EXPECT_FALSE(F.Calls[0].Tail);
  EXPECT_EQ(F.DeepestPath, names({"framed", "leaf"}));
  EXPECT_EQ(R.ReturnAddressBytes, 8u);
}

TEST(StackAnalysisX86, RealignmentUsesTheKnownEntryAlignment) {
  // After push rbp the depth is 16, so RSP is 16-aligned and `and rsp,-64`
  // drops it by at most 48.
  StackReport R = analyze(Arch::AMD64, std::string(X86Leaf) +
      FUNC("realigned")
      "  push rbp\n  mov rbp, rsp\n  and rsp, -64\n  sub rsp, 128\n"
      "  call leaf\n  mov rsp, rbp\n  pop rbp\n  ret\n" END("realigned")
      FUNC("realigned_odd")
      "  push rbp\n  push rbx\n  mov rbp, rsp\n  and rsp, -32\n"
      "  call leaf\n  lea rsp, [rbp]\n  pop rbx\n  pop rbp\n  ret\n"
      END("realigned_odd"));
  EXPECT_EQ(fn(R, "realigned").OwnFrame, 16u + 48 + 128);
  EXPECT_EQ(fn(R, "realigned").Bound, 16u + 48 + 128 + 8);
  // Depth 24: RSP is 8 mod 16, the and can drop it by up to 24.
  EXPECT_EQ(fn(R, "realigned_odd").OwnFrame, 24u + 24);
  EXPECT_TRUE(fn(R, "realigned_odd").Bounded) << fn(R, "realigned_odd").Reason;
}

TEST(StackAnalysisX86, RedZone) {
  StackReport R = analyze(Arch::AMD64,
      FUNC("rz_const") "  mov qword ptr [rsp - 24], rdi\n  mov eax, dword ptr [rsp - 12]\n  ret\n" END("rz_const")
      FUNC("rz_index") "  mov byte ptr [rsp + rax - 100], 1\n  ret\n" END("rz_index")
      FUNC("rz_escape") "  lea rdi, [rsp - 64]\n  mov ecx, 64\n  rep stosb\n  ret\n" END("rz_escape")
      FUNC("rz_tracked") "  lea rax, [rsp - 40]\n  mov qword ptr [rax + 8], rdi\n  ret\n" END("rz_tracked")
      FUNC("no_rz") "  mov rax, qword ptr [rsp + 8]\n  mov qword ptr [rdi - 64], rax\n  ret\n" END("no_rz")
      FUNC("rz_fp") "  push rbp\n  mov rbp, rsp\n  mov dword ptr [rbp - 20], edi\n  pop rbp\n  ret\n" END("rz_fp"));
  EXPECT_EQ(fn(R, "rz_const").OwnFrame, 8u + 24);
  EXPECT_EQ(fn(R, "rz_index").OwnFrame, 8u + 128);
  EXPECT_EQ(fn(R, "rz_escape").OwnFrame, 8u + 128);
  EXPECT_EQ(fn(R, "rz_tracked").OwnFrame, 8u + 32);
  EXPECT_EQ(fn(R, "no_rz").OwnFrame, 8u);
  EXPECT_EQ(fn(R, "rz_fp").OwnFrame, 16u + 20);
}

TEST(StackAnalysisX86, TailCallsCountTheReturnAddressOnce) {
  StackReport R = analyze(Arch::AMD64, std::string(X86Leaf) +
      FUNC("g") "  sub rsp, 100\n  mov qword ptr [rsp], rdi\n  add rsp, 100\n  ret\n" END("g")
      FUNC("f") "  push rbx\n  call leaf\n  pop rbx\n  jmp g\n" END("f")
      FUNC("cond") "  test edi, edi\n  jne g\n  push rax\n  call leaf\n  pop rax\n  ret\n" END("cond"));
  EXPECT_EQ(fn(R, "g").Bound, 108u);
  const StackFunction &F = fn(R, "f");
  EXPECT_EQ(F.OwnFrame, 16u);
  EXPECT_EQ(F.Bound, 108u); // max(16 + 8, 8 - 8 + 108)
  ASSERT_EQ(F.Calls.size(), 2u);
  EXPECT_TRUE(F.Calls[1].Tail);
  EXPECT_EQ(F.Calls[1].Callee, "g");
  EXPECT_EQ(F.DeepestPath, names({"f", "g"}));
  const StackFunction &C = fn(R, "cond");
  EXPECT_EQ(C.Bound, 108u);
  EXPECT_TRUE(C.Calls[0].Tail);
}

TEST(StackAnalysisX86, MidFunctionEpilogueKeepsTheFrame) {
  // A linear walk would see the call after the first epilogue at depth 8;
  // the control-flow graph reaches it with the frame still allocated.
  StackReport R = analyze(Arch::AMD64, std::string(X86Leaf) +
      FUNC("early") "  push rbx\n  sub rsp, 64\n  test edi, edi\n  je 1f\n"
      "  add rsp, 64\n  pop rbx\n  ret\n"
      "1:\n  call leaf\n  add rsp, 64\n  pop rbx\n  ret\n" END("early"));
  const StackFunction &F = fn(R, "early");
  EXPECT_EQ(F.Calls.at(0).DepthAtSite, 80u);
  EXPECT_EQ(F.Bound, 88u);
}

TEST(StackAnalysisX86, NoreturnCallAtTheEndAndTraps) {
  StackReport R = analyze(Arch::AMD64, std::string(X86Leaf) +
      FUNC("dies") "  push rax\n  test edi, edi\n  jne 1f\n  pop rax\n  ret\n1:\n  call leaf\n" END("dies")
      FUNC("traps") "  test edi, edi\n  jne 1f\n  ret\n1:\n  ud2\n" END("traps"));
  EXPECT_TRUE(fn(R, "dies").Bounded) << fn(R, "dies").Reason;
  EXPECT_EQ(fn(R, "dies").Bound, 24u);
  EXPECT_TRUE(fn(R, "traps").Bounded) << fn(R, "traps").Reason;
}

TEST(StackAnalysisX86, JumpTableInARelocatableObject) {
  // The table lives in .rodata with PC32 relocations against .text.
  StackReport R = analyze(Arch::AMD64, std::string(X86Leaf) +
      FUNC("big") "  sub rsp, 512\n  mov qword ptr [rsp], rdi\n  add rsp, 512\n  ret\n" END("big")
      FUNC("sw")
      "  push rax\n  lea rcx, [rip + .LJT]\n  movsxd rax, dword ptr [rcx + 4*rdi]\n"
      "  add rax, rcx\n  jmp rax\n"
      ".Lc0:\n  call leaf\n  pop rcx\n  ret\n"
      ".Lc1:\n  call big\n  pop rcx\n  ret\n"
      ".Lc2:\n  pop rcx\n  ret\n" END("sw")
      FUNC("notable") "  jmp rdi\n" END("notable")
      "  .section .rodata\n  .p2align 2\n.LJT:\n"
      "  .long .Lc0-.LJT\n  .long .Lc1-.LJT\n  .long .Lc2-.LJT\n");
  const StackFunction &S = fn(R, "sw");
  ASSERT_TRUE(S.Bounded) << S.Reason;
  EXPECT_EQ(S.JumpTables, 1u);
  EXPECT_EQ(S.Bound, 16u + 520);
  EXPECT_EQ(S.Callees, names({"leaf", "big"}));
  const StackFunction &N = fn(R, "notable");
  EXPECT_FALSE(N.Bounded);
  EXPECT_EQ(N.Problem, StackProblem::IndirectJump);
}

TEST(StackAnalysisX86, ReasonsABoundIsUnknown) {
  StackReport R = analyze(Arch::AMD64, std::string(X86Leaf) +
      FUNC("rec_a") "  push rax\n  call rec_b\n  pop rcx\n  ret\n" END("rec_a")
      FUNC("rec_b") "  push rax\n  call rec_a\n  pop rcx\n  ret\n" END("rec_b")
      FUNC("into_rec") "  push rax\n  call leaf\n  call rec_a\n  pop rcx\n  ret\n" END("into_rec")
      FUNC("self") "  push rax\n  call self\n  pop rcx\n  ret\n" END("self")
      FUNC("ind") "  push rax\n  call rax\n  pop rcx\n  ret\n" END("ind")
      FUNC("ind_mem") "  push rax\n  call qword ptr [rdi + 8]\n  pop rcx\n  ret\n" END("ind_mem")
      FUNC("dyn") "  push rbp\n  mov rbp, rsp\n  sub rsp, rdi\n  mov rsp, rbp\n  pop rbp\n  ret\n" END("dyn")
      FUNC("dyn_mov") "  mov rax, rsp\n  sub rax, rdi\n  mov rsp, rax\n  ret\n" END("dyn_mov")
      FUNC("ext") "  push rax\n  call memcpy@PLT\n  pop rcx\n  ret\n" END("ext")
      FUNC("loop") "1:\n  push rax\n  dec rdi\n  jne 1b\n  ret\n" END("loop")
      FUNC("unbalanced") "  push rbx\n  ret\n" END("unbalanced")
      FUNC("xchg") "  xchg rsp, rax\n  ret\n" END("xchg"));

  const StackFunction &A = fn(R, "rec_a");
  EXPECT_FALSE(A.Bounded);
  EXPECT_EQ(A.Problem, StackProblem::Recursion);
  EXPECT_EQ(A.Cycle, names({"rec_a", "rec_b", "rec_a"}));
  EXPECT_NE(A.Reason.find("rec_a -> rec_b -> rec_a"), std::string::npos);
  const StackFunction &I = fn(R, "into_rec");
  EXPECT_EQ(I.Problem, StackProblem::Recursion);
  EXPECT_EQ(I.ProblemPath, names({"into_rec", "rec_a"}));
  EXPECT_EQ(fn(R, "self").Cycle, names({"self", "self"}));

  EXPECT_EQ(fn(R, "ind").Problem, StackProblem::IndirectCall);
  EXPECT_EQ(fn(R, "ind").ProblemAddress, fn(R, "ind").Offset + 1);
  EXPECT_NE(fn(R, "ind").Reason.find("call rax"), std::string::npos);
  EXPECT_EQ(fn(R, "ind_mem").Problem, StackProblem::IndirectCall);
  EXPECT_EQ(fn(R, "dyn").Problem, StackProblem::DynamicStack);
  EXPECT_EQ(fn(R, "dyn_mov").Problem, StackProblem::DynamicStack);
  const StackFunction &E = fn(R, "ext");
  EXPECT_EQ(E.Problem, StackProblem::ExternalCall);
  EXPECT_NE(E.Reason.find("'memcpy'"), std::string::npos);
  ASSERT_EQ(E.Calls.size(), 1u);
  EXPECT_TRUE(E.Calls[0].External);
  EXPECT_EQ(fn(R, "loop").Problem, StackProblem::StackLoop);
  EXPECT_EQ(fn(R, "unbalanced").Problem, StackProblem::UnsupportedStackOp);
  EXPECT_EQ(fn(R, "xchg").Problem, StackProblem::UnsupportedStackOp);

  Expected<StackBound> B = boundFor(R, "into_rec");
  ASSERT_TRUE(bool(B));
  EXPECT_FALSE(B->Known);
  EXPECT_EQ(B->Problem, StackProblem::Recursion);
  EXPECT_EQ(B->ProblemFunction, "rec_a");
  EXPECT_EQ(describeStackBound(*B).rfind("stack bound unknown: recursion", 0),
            0u);
}

TEST(StackAnalysisX86, CallsThroughTheGotAndConstantRegisters) {
  StackReport R = analyze(Arch::AMD64, std::string(X86Leaf) +
      FUNC("via_got") "  push rax\n  call qword ptr [rip + leaf@GOTPCREL]\n  pop rcx\n  ret\n" END("via_got")
      FUNC("via_reg") "  push rax\n  lea rax, [rip + leaf]\n  call rax\n  pop rcx\n  ret\n" END("via_reg"));
  EXPECT_TRUE(fn(R, "via_got").Bounded) << fn(R, "via_got").Reason;
  EXPECT_EQ(fn(R, "via_got").Bound, 24u);
  EXPECT_EQ(fn(R, "via_got").Callees, names({"leaf"}));
  EXPECT_TRUE(fn(R, "via_reg").Bounded) << fn(R, "via_reg").Reason;
  EXPECT_EQ(fn(R, "via_reg").Bound, 24u);
}

TEST(StackAnalysisX86, PointerSteppingDownTheFrameConverges) {
  // `dec rax` over a buffer: widened, charged the escape amount, bounded.
  StackReport R = analyze(Arch::AMD64,
      FUNC("walk") "  sub rsp, 24\n  lea rax, [rsp + 16]\n1:\n  mov byte ptr [rax], dil\n"
      "  sub rax, 1\n  dec rsi\n  jne 1b\n  add rsp, 24\n  ret\n" END("walk"));
  const StackFunction &W = fn(R, "walk");
  ASSERT_TRUE(W.Bounded) << W.Reason;
  EXPECT_EQ(W.Bound, 32u + 128);
}

TEST(StackAnalysisX86, StackSizesCrossCheck) {
  // clang's figure excludes the return address: own == stack_sizes + 8 for
  // frames without red zone or realignment.
  StackReport R = analyze(Arch::AMD64,
      "int g(int *);\n"
      "int f(int x) { int a[40]; a[x & 31] = x; return g(a) + a[3]; }\n"
      "int h(int x) { volatile char b[3000]; b[x] = 1; return b[7] + f(x); }\n",
      "c", {"-O2", "-fstack-size-section"});
  EXPECT_TRUE(R.HasStackSizes);
  EXPECT_TRUE(R.Mismatches.empty()) << R.Mismatches.front();
  for (const char *N : {"f", "h"}) {
    const StackFunction &F = fn(R, N);
    ASSERT_TRUE(F.CompilerStackSize.has_value()) << N;
    EXPECT_EQ(F.OwnFrame, *F.CompilerStackSize + 8) << N;
    EXPECT_FALSE(F.Bounded); // g is external
    EXPECT_EQ(F.Problem, StackProblem::ExternalCall);
  }

  // A .stack_sizes entry larger than the code's frame is exposed.
  StackReport Bad = analyze(Arch::AMD64,
      "  .text\n" FUNC("small") "  push rax\n  pop rax\n  ret\n" END("small")
      "  .section .stack_sizes,\"o\",@progbits,.text\n  .quad small\n  .uleb128 100\n");
  ASSERT_EQ(Bad.Mismatches.size(), 1u);
  EXPECT_NE(Bad.Mismatches[0].find("small"), std::string::npos);
  EXPECT_TRUE(fn(Bad, "small").CompilerMismatch);
}

//===-- AArch64 ------------------------------------------------------------===//

TEST(StackAnalysisA64, FramesAndCalls) {
  StackReport R = analyze(Arch::ARM64, std::string(A64Leaf) +
      AFUNC("framed")
      "  stp x29, x30, [sp, #-32]!\n  mov x29, sp\n  str x19, [sp, #16]\n"
      "  sub sp, sp, #1, lsl #12\n  sub sp, sp, #64\n  bl leaf\n"
      "  add sp, sp, #1, lsl #12\n  add sp, sp, #64\n"
      "  ldr x19, [sp, #16]\n  ldp x29, x30, [sp], #32\n  ret\n" END("framed")
      AFUNC("pre") "  str x19, [sp, #-16]!\n  stp d8, d9, [sp, #-16]!\n"
      "  ldp d8, d9, [sp], #16\n  ldr x19, [sp], #16\n  ret\n" END("pre")
      AFUNC("below") "  stur x0, [sp, #-24]\n  ret\n" END("below")
      AFUNC("tail") "  stp x29, x30, [sp, #-16]!\n  bl leaf\n  ldp x29, x30, [sp], #16\n  b framed\n" END("tail"));
  EXPECT_EQ(R.ReturnAddressBytes, 0u);
  EXPECT_EQ(fn(R, "leaf").Bound, 0u);
  const StackFunction &F = fn(R, "framed");
  EXPECT_EQ(F.OwnFrame, 32u + 4096 + 64);
  EXPECT_EQ(F.Bound, 32u + 4096 + 64);
  EXPECT_EQ(fn(R, "pre").OwnFrame, 32u);
  EXPECT_EQ(fn(R, "below").OwnFrame, 24u);
  EXPECT_EQ(fn(R, "tail").Bound, F.Bound);
  EXPECT_TRUE(fn(R, "tail").Calls.back().Tail);
}

TEST(StackAnalysisA64, Realignment) {
  StackReport R = analyze(Arch::ARM64, std::string(A64Leaf) +
      AFUNC("realigned")
      "  stp x29, x30, [sp, #-16]!\n  mov x29, sp\n  sub x9, sp, #48\n"
      "  and sp, x9, #0xffffffffffffffc0\n  bl leaf\n  mov sp, x29\n"
      "  ldp x29, x30, [sp], #16\n  ret\n" END("realigned"));
  // Depth 64 before the and (16-aligned): it can drop SP by up to 48.
  EXPECT_EQ(fn(R, "realigned").OwnFrame, 112u);
  EXPECT_TRUE(fn(R, "realigned").Bounded) << fn(R, "realigned").Reason;
}

TEST(StackAnalysisA64, CompressedJumpTable) {
  StackReport R = analyze(Arch::ARM64, std::string(A64Leaf) +
      AFUNC("big") "  sub sp, sp, #256\n  str x0, [sp]\n  add sp, sp, #256\n  ret\n" END("big")
      AFUNC("sw")
      "  stp x29, x30, [sp, #-16]!\n  adrp x9, .LJT\n  add x9, x9, :lo12:.LJT\n"
      "  adr x10, .Lbase\n  ldrb w11, [x9, x0]\n  add x10, x10, x11, lsl #2\n  br x10\n"
      ".Lbase:\n  bl leaf\n  ldp x29, x30, [sp], #16\n  ret\n"
      ".Lc1:\n  bl big\n  ldp x29, x30, [sp], #16\n  ret\n" END("sw")
      AFUNC("notable") "  br x0\n" END("notable")
      "  .section .rodata\n.LJT:\n  .byte 0\n  .byte (.Lc1-.Lbase)>>2\n");
  const StackFunction &S = fn(R, "sw");
  ASSERT_TRUE(S.Bounded) << S.Reason;
  EXPECT_EQ(S.JumpTables, 1u);
  EXPECT_EQ(S.Bound, 16u + 256);
  EXPECT_EQ(fn(R, "notable").Problem, StackProblem::IndirectJump);
}

TEST(StackAnalysisA64, ReasonsABoundIsUnknown) {
  StackReport R = analyze(Arch::ARM64,
      AFUNC("ind") "  stp x29, x30, [sp, #-16]!\n  blr x8\n  ldp x29, x30, [sp], #16\n  ret\n" END("ind")
      AFUNC("dyn") "  stp x29, x30, [sp, #-16]!\n  mov x29, sp\n  sub sp, sp, x0\n  mov sp, x29\n  ldp x29, x30, [sp], #16\n  ret\n" END("dyn")
      AFUNC("dyn2") "  mov x9, sp\n  sub x8, x9, x0\n  mov sp, x8\n  ret\n" END("dyn2")
      AFUNC("ext") "  b external_fn\n" END("ext")
      AFUNC("rec") "  stp x29, x30, [sp, #-16]!\n  bl rec\n  ldp x29, x30, [sp], #16\n  ret\n" END("rec"));
  EXPECT_EQ(fn(R, "ind").Problem, StackProblem::IndirectCall);
  EXPECT_EQ(fn(R, "dyn").Problem, StackProblem::DynamicStack);
  EXPECT_EQ(fn(R, "dyn2").Problem, StackProblem::DynamicStack);
  EXPECT_EQ(fn(R, "ext").Problem, StackProblem::ExternalCall);
  EXPECT_NE(fn(R, "ext").Reason.find("external_fn"), std::string::npos);
  EXPECT_EQ(fn(R, "rec").Problem, StackProblem::Recursion);
}

TEST(StackAnalysisA64, StackSizesCrossCheck) {
  StackReport R = analyze(Arch::ARM64,
      "int g(int *);\n"
      "int f(int x) { int a[40]; a[x & 31] = x; return g(a) + a[3]; }\n",
      "c", {"-O0", "-fstack-size-section"});
  EXPECT_TRUE(R.Mismatches.empty()) << R.Mismatches.front();
  const StackFunction &F = fn(R, "f");
  ASSERT_TRUE(F.CompilerStackSize.has_value());
  EXPECT_EQ(F.OwnFrame, *F.CompilerStackSize);
}

//===-- Objects, blobs, API -----------------------------------------------===//

constexpr const char *CSource = R"(
static __attribute__((noinline)) int helper(volatile int *p, int n) {
  volatile int t[64];
  for (int i = 0; i < 64; ++i) t[i] = p[i % n];
  return t[n & 63];
}
__attribute__((noinline)) int api_a(int x) {
  volatile int buf[100];
  for (int i = 0; i < 100; ++i) buf[i] = i * x;
  return helper(buf, 100) + helper(buf + 1, 50);
}
int api_b(int x) { return api_a(x) + api_a(x + 1); }
)";

class StackAnalysisBoth : public ::testing::TestWithParam<Arch> {};

TEST_P(StackAnalysisBoth, FunctionSectionsAndPackedBlobAgree) {
  Arch A = GetParam();
  std::string Obj = compileToFile(A, CSource, "c",
                                  {"-O2", "-ffunction-sections",
                                   "-fstack-size-section"});
  std::vector<uint8_t> ObjBytes = readBytes(Obj);
  Expected<StackReport> ObjR = analyzeStack(ObjBytes, targetFor(A));
  ASSERT_TRUE(bool(ObjR)) << toString(ObjR.takeError());
  EXPECT_TRUE(ObjR->Mismatches.empty());
  EXPECT_EQ(fn(*ObjR, "api_a").Section, ".text.api_a");

  PackRequest Req;
  Req.Tgt = targetFor(A);
  Req.ObjectPaths = {Obj};
  Req.Roots = {"api_a", "api_b"};
  Req.LldPath = GOTRAMP_LLD;
  Req.SymbolPrefix = "gotramp_t_";
  Expected<PackResult> P = packObjects(Req);
  sys::fs::remove(Obj);
  ASSERT_TRUE(bool(P)) << toString(P.takeError());
  ASSERT_EQ(P->Strategy, PackStrategy::StaticBlob);
  Expected<StackReport> BlobR = analyzeStack(P->Syso, targetFor(A));
  ASSERT_TRUE(bool(BlobR)) << toString(BlobR.takeError());

  for (const char *Root : {"api_a", "api_b"}) {
    Expected<StackBound> OB = boundFor(*ObjR, Root);
    // Roots may be renamed in the .syso (PackRequest::SymbolPrefix).
    Expected<StackBound> BB = boundFor(*BlobR, P->symbolFor(Root));
    ASSERT_TRUE(OB && BB);
    ASSERT_TRUE(OB->Known) << OB->Reason;
    ASSERT_TRUE(BB->Known) << BB->Reason;
    EXPECT_EQ(OB->Bytes, BB->Bytes) << Root;
    EXPECT_GT(BB->Bytes, 400u) << Root; // buf alone is 400 bytes
  }
  Expected<StackBound> B = boundFor(*BlobR, P->symbolFor("api_b"));
  ASSERT_TRUE(bool(B));
  EXPECT_EQ(B->Path.front(), P->symbolFor("api_b"));
  EXPECT_EQ(B->Path.back(), "helper");
  // Offsets in the blob are the packer's.
  for (const PackedSymbol &S : P->Roots)
    EXPECT_EQ(fn(*BlobR, S.Symbol).Offset, S.Offset);
}

INSTANTIATE_TEST_SUITE_P(Targets, StackAnalysisBoth,
                         ::testing::Values(Arch::AMD64, Arch::ARM64),
                         [](const ::testing::TestParamInfo<Arch> &I) {
                           return I.param == Arch::AMD64 ? "amd64" : "arm64";
                         });

TEST(StackAnalysisApi, ErrorsAndHelpers) {
  std::vector<uint8_t> NotElf = {'h', 'e', 'l', 'l', 'o', 0, 0, 0,
                                 0,   0,   0,   0,   0,   0, 0, 0};
  Expected<StackReport> R1 = analyzeStack(NotElf, targetFor(Arch::AMD64));
  ASSERT_FALSE(bool(R1));
  EXPECT_NE(toString(R1.takeError()).find("not an ELF"), std::string::npos);

  std::string Obj = compileToFile(Arch::ARM64, A64Leaf, "assembler");
  std::vector<uint8_t> Bytes = readBytes(Obj);
  sys::fs::remove(Obj);
  Expected<StackReport> R2 = analyzeStack(Bytes, targetFor(Arch::AMD64));
  ASSERT_FALSE(bool(R2));
  EXPECT_NE(toString(R2.takeError()).find("linux/amd64"), std::string::npos);

  Expected<StackReport> R3 = analyzeStack(Bytes, targetFor(Arch::ARM64));
  ASSERT_TRUE(bool(R3));
  Expected<StackBound> Missing = boundFor(*R3, "nope");
  ASSERT_FALSE(bool(Missing));
  EXPECT_NE(toString(Missing.takeError()).find("'nope'"), std::string::npos);
  Expected<StackBound> Leaf = boundFor(*R3, "leaf");
  ASSERT_TRUE(bool(Leaf));
  EXPECT_EQ(describeStackBound(*Leaf), "stack bound 0 bytes (leaf)");

  EXPECT_EQ(trampolineFrameBytes(0), 32u);
  EXPECT_EQ(trampolineFrameBytes(100), 144u);
  EXPECT_TRUE(fitsNosplit(608)); // frame 640
  EXPECT_FALSE(fitsNosplit(609)); // frame 656
  EXPECT_EQ(stackProblemName(StackProblem::IndirectCall).str(), "indirect-call");
}

TEST(StackAnalysisApi, InspectTextAndJson) {
  std::string Obj = compileToFile(Arch::AMD64, std::string(X86Leaf) +
      FUNC("framed") "  push rbp\n  mov rbp, rsp\n  sub rsp, 32\n  call leaf\n  leave\n  ret\n" END("framed")
      FUNC("ind") "  push rax\n  call rax\n  pop rcx\n  ret\n" END("ind"),
      "assembler");
  std::string Text, Json;
  raw_string_ostream TS(Text), JS(Json);
  ASSERT_FALSE(bool(runInspect(Obj, targetFor(Arch::AMD64), false, TS)));
  ASSERT_FALSE(bool(runInspect(Obj, targetFor(Arch::AMD64), true, JS)));
  sys::fs::remove(Obj);
  EXPECT_NE(Text.find("FUNCTION"), std::string::npos);
  EXPECT_NE(Text.find("deepest: framed -> leaf"), std::string::npos) << Text;
  EXPECT_NE(Text.find("unknown (indirect-call): indirect call at"),
            std::string::npos)
      << Text;
  auto J = nlohmann::json::parse(Json);
  EXPECT_EQ(J["target"], "linux/amd64");
  ASSERT_EQ(J["functions"].size(), 3u);
  bool SawFramed = false;
  for (auto &F : J["functions"]) {
    if (F["name"] == "framed") {
      SawFramed = true;
      EXPECT_EQ(F["bound"], 56);
      EXPECT_EQ(F["own_frame"], 48);
      EXPECT_TRUE(F["unknown"].is_null());
    }
    if (F["name"] == "ind") {
      EXPECT_TRUE(F["bound"].is_null());
      EXPECT_EQ(F["unknown"]["kind"], "indirect-call");
    }
  }
  EXPECT_TRUE(SawFramed);

  Error E = runInspect("/nonexistent/x.o", targetFor(Arch::AMD64), false, TS);
  ASSERT_TRUE(bool(E));
  consumeError(std::move(E));
}

} // namespace
