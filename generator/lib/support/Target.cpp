//===- Target.cpp - supported GOOS/GOARCH pairs ----------------------------===//

#include "gotramp/support/Target.h"

namespace gotramp {

std::string Target::goArch() const {
  switch (Architecture) {
  case Arch::AMD64:
    return "amd64";
  case Arch::ARM64:
    return "arm64";
  }
  llvm_unreachable("unknown Arch");
}

std::string Target::goName() const { return "linux/" + goArch(); }

std::string Target::fileSuffix() const { return "linux_" + goArch(); }

std::string Target::triple() const {
  switch (Architecture) {
  case Arch::AMD64:
    return "x86_64-linux-gnu";
  case Arch::ARM64:
    return "aarch64-linux-gnu";
  }
  llvm_unreachable("unknown Arch");
}

llvm::Expected<Target> parseTarget(llvm::StringRef GoName) {
  Target T;
  if (GoName == "linux/amd64") {
    T.Architecture = Arch::AMD64;
    return T;
  }
  if (GoName == "linux/arm64") {
    T.Architecture = Arch::ARM64;
    return T;
  }
  return llvm::createStringError(
      llvm::inconvertibleErrorCode(),
      "unsupported target '%s': supported targets are linux/amd64, linux/arm64",
      GoName.str().c_str());
}

} // namespace gotramp
