// Instruction selection for both targets: frame sizes and the shape of the
// sequences that keep Go's frame records intact (ARCHITECTURE.md fact 4).
#include "gotramp/trampoline/Trampolines.h"

#include <gtest/gtest.h>

#include <regex>

using namespace gotramp;

namespace {

Type int64Type() {
  Type T;
  T.Kind = TypeKind::Integer;
  T.Size = T.Align = 8;
  T.IsSigned = true;
  T.Spelling = "int64_t";
  return T;
}

Type int8Type() {
  Type T = int64Type();
  T.Size = T.Align = 1;
  T.Spelling = "int8_t";
  return T;
}

Type doubleType() {
  Type T;
  T.Kind = TypeKind::Float;
  T.Size = T.Align = 8;
  T.Spelling = "double";
  return T;
}

/// f(int64_t x0, ..., int64_t x{NInts-1}, [int8_t n], double d0, ...).
BoundFunction bind(Arch A, unsigned NInts, unsigned NDoubles, uint64_t Budget,
                   bool NarrowLast = false) {
  Function F;
  F.Name = F.Symbol = "f";
  F.Result = int64Type();
  for (unsigned I = 0; I < NInts; ++I)
    F.Params.push_back({"x" + std::to_string(I), int64Type()});
  for (unsigned I = 0; I < NDoubles; ++I)
    F.Params.push_back({"d" + std::to_string(I), doubleType()});
  if (NarrowLast)
    F.Params.push_back({"n", int8Type()});
  auto ABI = createTargetABI(Target{A});
  EXPECT_TRUE(static_cast<bool>(ABI));
  auto L = lowerFunction(F, Module{}, **ABI);
  EXPECT_TRUE(static_cast<bool>(L));
  return BoundFunction{F, std::move(*L), FramePlan{Budget, "test"}};
}

TrampolineBody body(Arch A, const BoundFunction &BF) {
  auto B = A == Arch::AMD64 ? trampolineBodyAMD64(BF) : trampolineBodyARM64(BF);
  if (!B) {
    ADD_FAILURE() << llvm::toString(B.takeError());
    return {};
  }
  return std::move(*B);
}

std::vector<std::string> texts(const TrampolineBody &B) {
  std::vector<std::string> Out;
  for (const TrampolineInstr &I : B.Instrs)
    Out.push_back(I.Text);
  return Out;
}

/// Index of the first instruction equal to Text, or -1.
int indexOf(const TrampolineBody &B, const std::string &Text) {
  for (size_t I = 0; I < B.Instrs.size(); ++I)
    if (B.Instrs[I].Text == Text)
      return static_cast<int>(I);
  return -1;
}

/// The constant of "ADD $N, RSP, R20": where C's SP sits above Go's RSP.
uint64_t cSPOffsetARM64(const TrampolineBody &B) {
  static const std::regex Add(R"(ADD \$([0-9]+), RSP, R20)");
  for (const TrampolineInstr &I : B.Instrs) {
    std::smatch M;
    if (std::regex_match(I.Text, M, Add))
      return std::stoull(M[1]);
  }
  ADD_FAILURE() << "no ADD $N, RSP, R20";
  return 0;
}

} // namespace

TEST(TrampolineARM64, RegisterOnlySequence) {
  TrampolineBody B = body(Arch::ARM64, bind(Arch::ARM64, 2, 1, 4096));
  // 16 = saved LR at 0(RSP) + 8 bytes of alignment; autosize is F + 16.
  EXPECT_EQ(B.FrameBytes, 4112u);
  std::vector<std::string> Want = {
      "MOVD x0+0(FP), R0",  "MOVD x1+8(FP), R1",  "FMOVD d0+16(FP), F0",
      "ADD $4112, RSP, R20", "MOVD RSP, R19",      "MOVD R20, RSP",
      "BL f(SB)",            "MOVD R19, RSP",      "MOVD R0, ret+24(FP)",
      "RET"};
  EXPECT_EQ(texts(B), Want);
}

// With S the RSP after the prologue and F the TEXT frame: our frame record
// is at S-8 (FP) and S (LR), the caller's saved FP at S+F+8. C's SP must be
// 16-byte aligned, at least budget bytes above S+8, and the stack-argument
// area above it must end at or below S+F.
TEST(TrampolineARM64, LayoutKeepsTheFrameRecords) {
  for (uint64_t Budget : {16u, 100u, 4096u, 65536u})
    for (unsigned NInts : {0u, 8u, 9u, 12u, 17u}) {
      BoundFunction BF = bind(Arch::ARM64, NInts, 9, Budget);
      TrampolineBody B = body(Arch::ARM64, BF);
      uint64_t CSP = cSPOffsetARM64(B);
      SCOPED_TRACE("budget " + std::to_string(Budget) + ", " + std::to_string(NInts) + " ints");
      EXPECT_EQ(B.FrameBytes % 16, 0u);
      EXPECT_EQ(CSP % 16, 0u);
      EXPECT_GE(CSP - 8, Budget) << "the budget must fit between C's SP and the saved LR";
      EXPECT_LE(CSP + BF.Low.StackArgsBytes, B.FrameBytes)
          << "the stack arguments must end below the caller's saved FP at F+8";
    }
}

TEST(TrampolineARM64, StackArgumentsAreCopiedBelowTheFrameTop) {
  // 9 ints, 9 doubles, an int8: x8, d8 and n on the stack.
  BoundFunction BF = bind(Arch::ARM64, 9, 9, 4096, /*NarrowLast=*/true);
  TrampolineBody B = body(Arch::ARM64, BF);
  EXPECT_EQ(BF.Low.StackArgsBytes, 24u);
  EXPECT_EQ(B.FrameBytes, 4096u + 16 + 32);
  int Add = indexOf(B, "ADD $4112, RSP, R20");
  int Copy = indexOf(B, "MOVD R9, 16(R20)");
  int Switch = indexOf(B, "MOVD R20, RSP");
  ASSERT_GE(Add, 0);
  ASSERT_GT(Copy, Add);
  ASSERT_GT(Switch, Copy) << "copies use name+off(FP), valid only while RSP is Go's";
  EXPECT_EQ(B.Instrs[Copy - 1].Text, "MOVB n+144(FP), R9"); // sign-extended to the slot
  EXPECT_GE(indexOf(B, "MOVD x8+64(FP), R9"), 0);
  EXPECT_GE(indexOf(B, "MOVD d8+136(FP), R9"), 0); // float bits through R9
  // The arm64 sequence never names the registers Go or the platform reserve.
  for (const TrampolineInstr &I : B.Instrs)
    for (const char *Reg : {"R18", "R26", "R27", "R28", "R29", "R30"})
      EXPECT_EQ(I.Text.find(Reg), std::string::npos) << I.Text;
}

TEST(TrampolineAMD64, RegisterOnlyFrameIsTheBudgetPlusAlignmentSlack) {
  // Go's SP is only 8-byte aligned: aligning C's SP down may cost 8 bytes.
  TrampolineBody B = body(Arch::AMD64, bind(Arch::AMD64, 2, 1, 4096));
  EXPECT_EQ(B.FrameBytes, 4096u + 8);
  EXPECT_GE(indexOf(B, "ADDQ $4104, SP"), 0);
  EXPECT_EQ(indexOf(B, "LEAQ 4104(SP), R13"), -1);
}

TEST(TrampolineAMD64, StackArgumentsSitBelowTheSavedBP) {
  // 7 ints, 9 doubles, an int8: x6, d8 and n on the stack.
  BoundFunction BF = bind(Arch::AMD64, 7, 9, 4096, /*NarrowLast=*/true);
  TrampolineBody B = body(Arch::AMD64, BF);
  EXPECT_EQ(BF.Low.StackArgsBytes, 24u);
  EXPECT_EQ(B.FrameBytes, 4096u + 8 + 32);
  // C's SP is at most F - 32 above SP, so the area ends at or below F(SP),
  // where Go's prologue saved the caller's BP.
  int Lea = indexOf(B, "LEAQ 4104(SP), R13");
  ASSERT_GE(Lea, 0);
  EXPECT_EQ(B.Instrs[Lea + 1].Text, "ANDQ $~15, R13");
  int Narrow = indexOf(B, "MOVBQSX n+128(FP), AX");
  ASSERT_GT(Narrow, Lea);
  EXPECT_EQ(B.Instrs[Narrow + 1].Text, "MOVQ AX, 16(R13)");
  EXPECT_GT(indexOf(B, "MOVQ R13, SP"), Narrow);
  EXPECT_GT(indexOf(B, "CALL f(SB)"), indexOf(B, "MOVQ R13, SP"));
}

// own_stack: a native stack from the shim without syscall state. The stack
// is taken before any argument register is loaded (acquire clobbers
// scratch registers), stack arguments go below its top, and nothing calls
// entersyscall/exitsyscall; blocking_own_stack keeps the syscall sequence.
TEST(TrampolineOwnStack, NoSyscallStateAndStackTakenFirst) {
  for (Arch A : {Arch::AMD64, Arch::ARM64}) {
    BoundFunction BF = bind(A, 10, 0, 0);
    BF.CallPath = CallPathOwnStack;
    TrampolineBody B = body(A, BF);
    const bool X86 = A == Arch::AMD64;
    EXPECT_EQ(B.FrameBytes, 0u);
    ASSERT_FALSE(B.Instrs.empty());
    EXPECT_EQ(B.Instrs.front().Text, "CALL gotrampshim_own_acquire(SB)");
    int Sub = indexOf(B, X86 ? "SUBQ $32, R13" : "SUB $16, R20");
    EXPECT_GT(Sub, 0);
    int Call = indexOf(B, "CALL gotrampshim_own_call(SB)");
    EXPECT_GT(Call, Sub);
    for (const TrampolineInstr &I : B.Instrs) {
      EXPECT_EQ(I.Text.find("syscall"), std::string::npos) << I.Text;
      EXPECT_EQ(I.Text.find(", SP"), std::string::npos) << "writes SP: " << I.Text;
      EXPECT_EQ(I.Text.find(", RSP"), std::string::npos) << "writes RSP: " << I.Text;
      EXPECT_EQ(I.Text.find(X86 ? "BX" : "R22"), std::string::npos)
          << "the slot register is the shim's: " << I.Text;
    }
    // Without stack arguments one helper takes the stack and calls, after
    // every argument register is loaded.
    BoundFunction Regs = bind(A, 2, 1, 0);
    Regs.CallPath = CallPathOwnStack;
    TrampolineBody One = body(A, Regs);
    ASSERT_FALSE(One.Instrs.empty());
    EXPECT_EQ(indexOf(One, "CALL gotrampshim_own_acquire(SB)"), -1);
    int OneCall = indexOf(One, "CALL gotrampshim_own_acquire_call(SB)");
    EXPECT_GT(OneCall, indexOf(One, X86 ? "MOVSD d0+16(FP), X0" : "FMOVD d0+16(FP), F0"));
    EXPECT_EQ(One.Instrs[OneCall - 1].Text,
              X86 ? "LEAQ f(SB), R11" : "MOVD $gotramp_branch_F<>(SB), R10");
    // arm64 takes the address of a Go stub that branches to the native
    // function: external linking cannot take a .syso symbol's address.
    if (X86) {
      EXPECT_TRUE(One.Prelude.empty());
    } else {
      ASSERT_EQ(One.Prelude.size(), 3u);
      EXPECT_EQ(One.Prelude[1], "TEXT gotramp_branch_F<>(SB), NOSPLIT|NOFRAME, $0-0");
      EXPECT_EQ(One.Prelude[2], "\tJMP f(SB)");
    }
    BF.CallPath = CallPathBlockingOwnStack;
    TrampolineBody Old = body(A, BF);
    EXPECT_GE(indexOf(Old, "CALL gotrampshim_entersyscall(SB)"), 0);
    EXPECT_GE(indexOf(Old, "CALL gotrampshim_stack_acquire(SB)"), 0);
  }
}

// callback: blocking_own_stack's shape with the callback helpers and no
// syscall state (helpers' callbacks contract): the stack top at 0(SP) /
// 8(RSP), stack arguments below it, results stored before the release, no
// SP write in the trampoline itself.
TEST(TrampolineCallback, CallbackHelpersWithoutSyscallState) {
  for (Arch A : {Arch::AMD64, Arch::ARM64}) {
    const bool X86 = A == Arch::AMD64;
    BoundFunction BF = bind(A, 10, 1, 0);
    BF.CallPath = CallPathCallback;
    TrampolineBody B = body(A, BF);
    EXPECT_EQ(B.FrameBytes, X86 ? 8u : 16u);
    ASSERT_FALSE(B.Instrs.empty());
    EXPECT_EQ(B.Instrs.front().Text, "CALL gotrampshim_cb_acquire(SB)");
    int Top = indexOf(B, X86 ? "MOVQ 0(SP), R13" : "MOVD 8(RSP), R20");
    int Sub = indexOf(B, X86 ? "SUBQ $32, R13" : "SUB $16, R20");
    int Call = indexOf(B, "CALL gotrampshim_cb_call(SB)");
    int Store = indexOf(B, X86 ? "MOVQ AX, ret+88(FP)" : "MOVD R0, ret+88(FP)");
    int Release = indexOf(B, "CALL gotrampshim_cb_release(SB)");
    EXPECT_GT(Top, 0);
    EXPECT_EQ(Sub, Top + 1);
    EXPECT_GT(Call, Sub);
    EXPECT_EQ(Store, Call + 1);
    EXPECT_EQ(Release, Store + 1);
    EXPECT_EQ(B.Instrs.back().Text, "RET");
    EXPECT_EQ(B.Instrs[Call - 1].Text,
              X86 ? "LEAQ f(SB), R11" : "MOVD $gotramp_branch_F<>(SB), R10");
    for (const TrampolineInstr &I : B.Instrs) {
      EXPECT_EQ(I.Text.find("syscall"), std::string::npos) << I.Text;
      EXPECT_EQ(I.Text.find("stack_acquire"), std::string::npos) << I.Text;
      EXPECT_EQ(I.Text.find(", SP"), std::string::npos) << "writes SP: " << I.Text;
      EXPECT_EQ(I.Text.find(", RSP"), std::string::npos) << "writes RSP: " << I.Text;
    }
  }
}
