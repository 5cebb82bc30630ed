//===- Target.h - supported GOOS/GOARCH pairs ------------------------------===//
#pragma once

#include "llvm/Support/Error.h"

#include <string>

namespace gotramp {

enum class Arch { AMD64, ARM64 };

struct Target {
  Arch Architecture = Arch::AMD64;

  /// "linux/amd64"
  std::string goName() const;
  /// "amd64"
  std::string goArch() const;
  /// "linux_amd64", as in file names.
  std::string fileSuffix() const;
  /// "x86_64-linux-gnu"
  std::string triple() const;
  bool operator==(const Target &) const = default;
};

/// Parses "linux/amd64" or "linux/arm64"; anything else is an error that
/// lists the supported targets.
llvm::Expected<Target> parseTarget(llvm::StringRef GoName);

} // namespace gotramp
