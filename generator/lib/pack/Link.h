//===- Link.h - running ld.lld over the native objects --------------------===//
//
// The only part of the packer that runs ld.lld or clang: LldLinker performs
// the two links Packer.cpp's opening comment describes, and compiles the
// runtime-shims/mem routines into the inputs when the code needs them.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "gotramp/pack/Packer.h"

#include "llvm/Support/Error.h"
#include "llvm/Support/MemoryBuffer.h"

#include <memory>
#include <string>
#include <vector>

namespace gotramp::pack {

class TempFiles;

/// ld.lld's two links over one request's inputs. The temporary files they
/// use (scripts, outputs, the compiled shims) are removed when the LldLinker
/// is destroyed.
class LldLinker {
public:
  explicit LldLinker(const PackRequest &Req);
  LldLinker(const LldLinker &) = delete;
  LldLinker &operator=(const LldLinker &) = delete;
  ~LldLinker();

  /// Creates the temporary files and writes the linker and version scripts;
  /// call once, before the links.
  llvm::Error prepare();
  /// Link 1, the relocatable merge of the inputs; returns its bytes.
  llvm::Expected<std::unique_ptr<llvm::MemoryBuffer>> merge();
  /// Compiles the runtime-shims/mem routines named by Symbols for the target
  /// and adds them to the inputs of the links that follow.
  llvm::Error addShims(const std::vector<std::string> &Symbols);
  /// Writes Bytes (an object gotramp made) to a temporary file and adds it
  /// to the inputs of the links that follow.
  llvm::Error addObject(const std::vector<uint8_t> &Bytes);
  /// Link 2, the position-independent pre-link; returns its bytes.
  /// AllowUndefined (libc mode, imports checked by the caller) drops -z defs.
  llvm::Expected<std::unique_ptr<llvm::MemoryBuffer>> linkBlob(bool AllowUndefined);

private:
  const PackRequest &Req;
  std::unique_ptr<TempFiles> Temps;
  std::string MergeScript, BlobScript, VersionScript, MergedPath, BlobPath;
  std::vector<std::string> Common; // arguments of both links
  std::vector<std::string> Inputs; // the request's objects, then the shims
};

} // namespace gotramp::pack
