//===- Packer.cpp - native objects -> .syso --------------------------------===//
//
// packObjects runs ld.lld twice on the user's inputs:
//
//  1. `ld.lld -r --gc-sections -u ROOT...`: one relocatable object holding
//     exactly what the roots reach, all code in one `.text`. It is inspected
//     for what Go cannot run at all (TLS, constructors, weak undefined
//     references, roots that are not functions, arm64 code writing x28, amd64
//     code using the FS or GS segment) and, rewritten, it is the .syso of
//     the DynamicGlue strategy. When it leaves
//     memcpy, memmove, memset, memcmp, bcmp or strlen undefined (or, in
//     libc mode, __stack_chk_fail), the freestanding routines of
//     runtime-shims/mem (embedded in gotramp) are compiled for the target
//     and the link is run again with them.
//  2. `ld.lld -shared -Bsymbolic --gc-sections -z defs ...` with a linker
//     script that puts code and read-only data into one `.text` and a version
//     script that exports only the roots: every internal reference is resolved
//     PC-relative. If the result needs no writable memory and no dynamic
//     relocation, `.text` is copied into a fresh relocatable object with no
//     relocations (StaticBlob), which Go links correctly even in a static
//     binary (ARCHITECTURE.md fact 2).
//
// Undefined symbols are reported by link 2 (`-z defs`), with lld's own lines.
//
// Both strategies write the .syso themselves (writeRelocatable, Syso.cpp):
// the roots are the only global symbols, renamed SymbolPrefix + name, and
// `.text` ends with the manifest `gotramp verify` reads (Verify.h).
//
// The parts live in their own files, each with a private header: Link.cpp
// runs ld.lld and clang (both links, their scripts, the mem* shims);
// BlobChecks.cpp inspects the links' outputs for what Go cannot run and for
// what rules out a StaticBlob; Symbols.cpp has the symbol names and lists
// (the package prefix, what the inputs define, the blob's roots and local
// functions, the order of PackResult::Functions); Syso.cpp writes the .syso
// of either strategy with its manifest. This file only sequences them.
//
//===----------------------------------------------------------------------===//

#include "BlobChecks.h"
#include "Link.h"
#include "PackCommon.h"
#include "Symbols.h"
#include "Syso.h"

#include "gotramp/pack/Packer.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/MemoryBuffer.h"

#include <memory>
#include <set>
#include <string>
#include <vector>

using namespace llvm;
using namespace gotramp::pack;

namespace gotramp {

Expected<PackResult> packObjects(const PackRequest &Req) {
  if (Req.Roots.empty())
    return makeError("no root symbols to pack");
  if (Req.ObjectPaths.empty() && Req.CallThunks.empty())
    return makeError("no native objects to pack");
  for (const std::string &C : Req.CallThunks)
    if (!llvm::any_of(Req.Imports, [&](const DynamicImport &I) { return I.Symbol == C; }))
      return makeError("call thunk for '" + C + "', which is not an import");
  if (Req.LldPath.empty())
    return makeError("no ld.lld path given");
  for (const std::string &Root : Req.Roots)
    if (Error E = checkRootName(Root))
      return E;
  if (Error E = checkSymbolPrefix(Req.SymbolPrefix))
    return E;

  // Reading the inputs first gives clean errors for foreign architectures and
  // missing roots before lld says something less direct.
  auto Defined = listDefinedSymbols(Req.ObjectPaths, Req.Tgt);
  if (!Defined)
    return Defined.takeError();
  for (const std::string &Root : Req.Roots)
    if (!Defined->count(Root) && !llvm::any_of(Req.CallThunks, [&](const std::string &C) {
          return callThunkName(C) == Root;
        }))
      return makeError("root symbol '" + Root +
                       "' is not defined by any input (" +
                       join(Req.ObjectPaths, ", ") + ")");

  LldLinker Linker(Req);
  if (Error E = Linker.prepare())
    return E;
  if (!Req.CallThunks.empty())
    if (Error E = Linker.addObject(writeCallThunks(elfMachine(Req.Tgt), Req.CallThunks)))
      return E;

  // Link 1, the relocatable merge (Link.cpp).
  std::unique_ptr<MemoryBuffer> MergedBuf;
  auto merge = [&]() -> Error {
    auto Buf = Linker.merge();
    if (!Buf)
      return Buf.takeError();
    MergedBuf = std::move(*Buf);
    return Error::success();
  };
  if (Error E = merge())
    return E;
  auto MergedFile = ELFFile::create(MergedBuf->getBuffer());
  if (!MergedFile)
    return MergedFile.takeError();
  auto Merged = inspectMerged(*MergedFile, Req);
  if (!Merged)
    return Merged.takeError();

  // The mem* routines the kept code calls and no input defines, and in libc
  // mode the stack protector's failure routine.
  std::vector<std::string> Shims;
  auto needsShim = [&](const std::string &S) {
    return Merged->Undefined.count(S) &&
           llvm::none_of(Req.Imports, [&](const DynamicImport &I) { return I.Symbol == S; });
  };
  for (const std::string &S : shimSymbols())
    if (needsShim(S))
      Shims.push_back(S);
  if (Req.LibcMode && needsShim(StackChkFailSymbol))
    Shims.push_back(StackChkFailSymbol);
  if (!Shims.empty()) {
    if (Error E = Linker.addShims(Shims))
      return E;
    if (Error E = merge())
      return E;
    MergedFile = ELFFile::create(MergedBuf->getBuffer());
    if (!MergedFile)
      return MergedFile.takeError();
    Merged = inspectMerged(*MergedFile, Req);
    if (!Merged)
      return Merged.takeError();
  }
  llvm::sort(Shims);

  // Libc mode: what the kept code leaves undefined must be an import (the
  // driver skips the functions that reach anything else; this guards
  // direct callers).
  std::vector<DynamicImport> Imports;
  if (!Req.Imports.empty()) {
    std::vector<std::string> Missing;
    for (const std::string &U : Merged->Undefined) {
      auto It = llvm::find_if(Req.Imports, [&](const DynamicImport &I) { return I.Symbol == U; });
      if (It != Req.Imports.end())
        Imports.push_back(*It);
      else if (!llvm::is_contained(Shims, U))
        Missing.push_back("'" + U + "'");
    }
    if (!Missing.empty())
      return makeError("native code references undefined symbol(s) " + join(Missing, ", ") +
                       ", which no input defines and libc mode does not import");
  }
  // glibc's thread-local storage and iscgo come with the imports: the
  // generated package then sets up threads as cgo does. Code built with the
  // stack protector needs them for its canary even when it imports nothing:
  // amd64 reads it at %fs:0x28 (arm64 imports __stack_chk_guard anyway).
  bool LibcThreads = !Imports.empty();

  // Like x28, a problem of the whole package rather than a function to
  // skip: each names every function at fault, and --strict changes nothing.
  // With iscgo set, Go's arm64 signal handler reloads g from TLS instead of
  // trusting x28 (runtime/sys_linux_arm64.s, sigtramp), and glibc's own code
  // uses x28 as the callee-saved register it is anyway.
  if (Req.Tgt.Architecture == Arch::ARM64) {
    if (!LibcThreads)
      if (Error E = checkX28(*MergedFile))
        return E;
  } else {
    Expected<bool> ReadsCanary =
        checkSegmentAccess(*MergedFile, /*AllowCanary=*/LibcThreads || Req.LibcMode);
    if (!ReadsCanary)
      return ReadsCanary.takeError();
    LibcThreads |= *ReadsCanary;
  }

  // Link 2, the position-independent pre-link (Link.cpp).
  auto BlobBuf = Linker.linkBlob(/*AllowUndefined=*/LibcThreads);
  if (!BlobBuf)
    return BlobBuf.takeError();
  auto BlobFile = ELFFile::create((*BlobBuf)->getBuffer());
  if (!BlobFile)
    return BlobFile.takeError();
  auto Blob = inspectBlob(*BlobFile, Req);
  if (!Blob)
    return Blob.takeError();

  PackResult Result;
  Result.Shims = Shims;
  Result.Imports = Imports;
  Result.GlibcThreads = LibcThreads;
  if (!Imports.empty()) {
    // Only the dynamic loader can bind them; the blob's PLT and GOT say
    // the same in other words.
    std::vector<std::string> Names;
    for (const DynamicImport &I : Imports)
      if (Names.size() < 6)
        Names.push_back(I.Symbol);
    if (Imports.size() > Names.size())
      Names.push_back("and " + std::to_string(Imports.size() - Names.size()) + " more");
    std::set<std::string> Libraries;
    for (const DynamicImport &I : Imports)
      if (!isGlibcLibrary(I.Library))
        Libraries.insert(I.Library);
    std::string From = Libraries.empty() ? "glibc" : join(Libraries, ", ");
    if (!Libraries.empty() && Libraries.size() < Imports.size() &&
        llvm::any_of(Imports, [](const DynamicImport &I) { return isGlibcLibrary(I.Library); }))
      From = "glibc and " + From;
    Blob->Reasons = {std::to_string(Imports.size()) + " symbol(s) imported from " + From + " (" +
                     join(Names, ", ") + ")"};
  }
  if (Blob->Reasons.empty()) {
    Result.Strategy = PackStrategy::StaticBlob;
    writeStaticBlob(Req, *Blob, *Merged, Result);
    return Result;
  }

  // The merged relocatable object, rewritten. Root offsets are the symbols'
  // values in the merged `.text`.
  Result.Strategy = PackStrategy::DynamicGlue;
  Result.Why = join(Blob->Reasons, "; ");
  auto Glue = rewriteMerged(*MergedFile, Req);
  if (!Glue)
    return Glue.takeError();
  Result.Syso = std::move(Glue->Syso);
  Result.ManifestBytes = Glue->ManifestBytes;
  Result.Functions = sortFunctions(std::move(Glue->Functions));
  Result.CodeBytes = Glue->CodeBytes;
  Result.TextBytes = Merged->ReadOnlyBytes;
  Result.DataBytes = Merged->WritableBytes;
  for (const std::string &Root : Req.Roots) {
    auto It = Glue->Roots.find(Root);
    if (It == Glue->Roots.end())
      return makeError("root symbol '" + Root + "' is missing from the merged native code");
    Result.Roots.push_back({Root, Req.SymbolPrefix + Root, It->second.first, It->second.second});
  }
  return Result;
}

} // namespace gotramp
