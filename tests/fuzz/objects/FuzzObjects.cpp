//===- FuzzObjects.cpp - libFuzzer target over gotramp's object readers ---===//
//
// Feeds each input, as an object or archive of linux/amd64 and of
// linux/arm64, through what `gotramp inspect` and `gotramp generate` do with
// an input before and around ld.lld, without running it:
//
//   - the stack analysis (analyzeStack) and both inspect writers (JSON and
//     table);
//   - the packer's input checks: the object/archive reader with its ELF
//     checks and defined symbols (listDefinedSymbols), the reachability of
//     every defined symbol (findRootProblems), and the checks on link
//     outputs (inspectMerged, inspectBlob, checkX28) applied to the input as
//     if ld.lld had produced it;
//   - the DWARF frontend (parseDwarf) and the IR's JSON writer;
//   - the report writer (emitReport), with the DWARF functions skipped for
//     their stack bounds and root problems, the strings the report takes
//     from objects;
//   - the manifest decoder of `gotramp verify` on the raw bytes.
//
// Errors are expected and ignored; only crashes, sanitizer reports, leaks
// and timeouts are findings. The path-based readers get the input through a
// file in a private temporary directory, written once per input (a tmpfs
// write, small next to the analysis).
//
//===----------------------------------------------------------------------===//

#include "BlobChecks.h"
#include "Symbols.h"

#include "gotramp/emit/Emitter.h"
#include "gotramp/driver/Inspect.h"
#include "gotramp/frontend/DwarfFrontend.h"
#include "gotramp/ir/IRJson.h"
#include "gotramp/pack/Packer.h"
#include "gotramp/pack/Reachability.h"
#include "gotramp/pack/Verify.h"
#include "gotramp/plan/Plan.h"
#include "gotramp/stack/StackAnalysis.h"
#include "gotramp/support/Target.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/Support/raw_ostream.h"

#include <cstdint>
#include <cstdlib>
#include <set>
#include <string>
#include <vector>

using namespace llvm;
using namespace gotramp;

namespace {

/// Reachability and the report look at this many defined symbols at most,
/// so a mutated symbol table of thousands of entries stays fast.
constexpr size_t MaxRoots = 32;

/// Where each input is written for the path-based readers: one file per
/// fuzzer process (libFuzzer's -jobs/-workers run separate processes).
std::string &inputPath() {
  static std::string Path;
  return Path;
}

void drain(Error E) { consumeError(std::move(E)); }
template <typename T> void drain(Expected<T> &E) {
  if (!E)
    consumeError(E.takeError());
}

void fuzzTarget(ArrayRef<uint8_t> Bytes, const Target &Tgt) {
  const std::vector<std::string> Paths = {inputPath()};

  // inspect: the analysis and both of its writers.
  Expected<StackReport> Stack = analyzeStack(Bytes, Tgt);
  if (Stack) {
    printStackReport(*Stack, /*Json=*/true, nulls());
    printStackReport(*Stack, /*Json=*/false, nulls());
  } else {
    consumeError(Stack.takeError());
  }

  // The packer's input checks.
  std::vector<std::string> Roots;
  if (auto Defined = listDefinedSymbols(Paths, Tgt)) {
    for (const auto &[Name, Where] : *Defined) {
      if (Roots.size() == MaxRoots)
        break;
      Roots.push_back(Name);
      drain(pack::checkRootName(Name));
    }
  } else {
    consumeError(Defined.takeError());
  }
  std::map<std::string, std::vector<RootProblem>> Problems;
  if (auto P = findRootProblems(Paths, Tgt, Roots, {}))
    Problems = std::move(*P);
  else
    consumeError(P.takeError());

  // The checks on ld.lld's outputs, on the input as if it were one.
  if (auto File = pack::ELFFile::create(
          StringRef(reinterpret_cast<const char *>(Bytes.data()), Bytes.size()))) {
    PackRequest Req;
    Req.Tgt = Tgt;
    Req.Roots = Roots;
    Req.SymbolPrefix = "gotramp_fuzz_";
    if (auto M = pack::inspectMerged(*File, Req); !M)
      consumeError(M.takeError());
    if (auto B = pack::inspectBlob(*File, Req); !B)
      consumeError(B.takeError());
    drain(pack::checkX28(*File));
  } else {
    consumeError(File.takeError());
  }

  // The DWARF frontend, its IR as JSON, and the report of a package whose
  // functions were all skipped for what the object says about them.
  Expected<Module> M = parseDwarf(DwarfInput{Paths, {}, {}}, Tgt);
  if (!M) {
    consumeError(M.takeError());
    return;
  }
  (void)moduleToJSONText(*M);
  PackagePlan Plan;
  Plan.Package = "fuzz";
  for (const Function &F : M->Functions) {
    if (Plan.Skipped.size() == MaxRoots)
      break;
    std::string Reason;
    if (Stack) {
      if (auto B = boundFor(*Stack, F.Symbol))
        Reason = describeStackBound(*B);
      else
        Reason = toString(B.takeError());
    }
    if (auto It = Problems.find(F.Symbol); It != Problems.end())
      for (const RootProblem &P : It->second)
        Reason += "; " + P.describe() + P.sharingNote();
    Plan.Skipped.push_back(SkippedFunction{F, Reason});
  }
  (void)emitReport(Plan);
}

} // namespace

extern "C" int LLVMFuzzerInitialize(int *, char ***) {
  InitializeAllTargetInfos();
  InitializeAllTargetMCs();
  InitializeAllDisassemblers();
  SmallString<128> Dir;
  if (std::error_code EC = sys::fs::createUniqueDirectory("gotramp-fuzz", Dir)) {
    errs() << "gotramp-fuzz-objects: cannot create a temporary directory: "
           << EC.message() << "\n";
    std::exit(1);
  }
  sys::path::append(Dir, "input.o");
  inputPath() = Dir.str().str();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *Data, size_t Size) {
  {
    std::error_code EC;
    raw_fd_ostream OS(inputPath(), EC);
    if (EC) {
      errs() << "gotramp-fuzz-objects: cannot write " << inputPath() << ": "
             << EC.message() << "\n";
      std::abort();
    }
    OS.write(reinterpret_cast<const char *>(Data), Size);
  }
  ArrayRef<uint8_t> Bytes(Data, Size);
  std::vector<uint64_t> Anchors;
  if (auto Manifest = decodeManifest(Bytes, &Anchors); !Manifest)
    consumeError(Manifest.takeError());
  for (const char *Name : {"linux/amd64", "linux/arm64"}) {
    Expected<Target> Tgt = parseTarget(Name);
    if (!Tgt) {
      consumeError(Tgt.takeError());
      std::abort();
    }
    fuzzTarget(Bytes, *Tgt);
  }
  return 0;
}
