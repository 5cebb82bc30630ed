//===- Spelling.cpp - operands, notes and errors both targets spell alike --===//
//
// The small pieces of text every trampoline file writes the same way: the
// `name+off(FP)` operand go vet checks, the trailing comment of an argument
// move, and the error for a value size a target's tables do not cover.
//
//===----------------------------------------------------------------------===//
#include "gotramp/trampoline/Trampolines.h"

namespace gotramp {

std::string frameOperand(const FrameSlot &S) {
  return S.Name + "+" + std::to_string(S.Offset) + "(FP)";
}

std::string ordinal(unsigned N) {
  static const char *Suffix[] = {"th", "st", "nd", "rd"};
  return std::to_string(N) + Suffix[(N % 100 - N % 10 == 10 || N % 10 > 3) ? 0 : N % 10];
}

llvm::Error noInstruction(llvm::StringRef Arch, llvm::StringRef What, uint64_t Size) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                 "no " + Arch + " " + What + " for a " + llvm::Twine(Size) +
                                     "-byte value");
}

std::string argumentNote(const ArgMove &M, llvm::StringRef RegisterExtensionWhy) {
  std::string Extension;
  if (M.Ext != Extension::None)
    Extension = std::string(M.Ext == Extension::Sign ? ", sign-extended " : ", zero-extended ") +
                (M.To.OnStack ? "to the slot" : RegisterExtensionWhy.str());
  if (M.To.OnStack)
    return M.From.Name + ": " + ordinal(M.To.Index + 1) + " stack slot" + Extension;
  return M.From.Name + ": " + ordinal(M.To.Index + 1) +
         (M.To.Class == RegClass::Float ? " floating-point" : " integer") + " argument" +
         Extension;
}

} // namespace gotramp
