//===- TrampolineARM64.cpp - Go ABI0 -> AAPCS64 -----------------------------===//
#include "gotramp/Trampolines.h"

namespace gotramp {

llvm::Expected<std::vector<TrampolineInstr>> trampolineBodyARM64(const BoundFunction &BF) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                 "no trampoline emitter for linux/arm64 yet");
}

} // namespace gotramp
