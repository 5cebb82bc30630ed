//===- Driver.h - the `generate` pipeline -----------------------------------===//
#pragma once

#include "llvm/Support/Error.h"
#include "llvm/Support/raw_ostream.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace gotramp {

/// Default stack reserved for native code until stack analysis bounds it.
/// Configurable with --frame-bytes or "frame_bytes".
constexpr uint64_t DefaultFrameBytes = 4096;

struct GenerateOptions {
  std::vector<std::string> Headers;
  std::vector<std::string> Objects;
  std::vector<std::string> Targets; // "linux/amd64"; empty: linux/amd64
  std::vector<std::string> ClangArgs;
  std::string Package;
  std::string OutDir;
  std::string ConfigPath;
  std::string LldPath; // empty: the ld.lld gotramp was built with
  std::optional<uint64_t> FrameBytes;
  bool Strict = false;
  bool DumpIR = false;
};

/// Reads a config file (JSON; every key documented in docs/config.md) into
/// Opts. Values already set in Opts (from the command line) win. Paths in the
/// file are relative to the file. Unknown keys are errors naming the key.
llvm::Error applyConfigFile(const std::string &Path, GenerateOptions &Opts);

/// Runs `gotramp generate`. Diagnostics go to Diag, --dump-ir output to Out.
llvm::Error runGenerate(GenerateOptions Opts, llvm::raw_ostream &Out, llvm::raw_ostream &Diag);

} // namespace gotramp
