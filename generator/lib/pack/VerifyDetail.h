//===- VerifyDetail.h - shared by Manifest.cpp and Verify.cpp ---*- C++ -*-===//
//
// Private to generator/lib/pack: what the manifest codec (Manifest.cpp) and
// the verifier (Verify.cpp) both use.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "llvm/ADT/Twine.h"
#include "llvm/Support/Error.h"

namespace gotramp {
namespace detail {

inline llvm::Error makeError(const llvm::Twine &Msg) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), Msg.str());
}

} // namespace detail
} // namespace gotramp
