//===- StackHarness.cpp - soundness harness for the stack analysis ---------===//
//
//   gotramp-stack-harness --arch amd64|arm64 --clang CLANG --lld LLD
//       --source-dir tests/stack --work DIR [--qemu QEMU] [--xxhash-include DIR]
//       [--opt O0,O2,Os] [--self-test-shrink BYTES]
//
// For each optimisation level: compiles every corpus/*.c for the target,
// merges the objects with `ld.lld -r` and analyses that relocatable object
// (relocations, per-function sections, .stack_sizes cross-check), packs them
// with gotramp's packer and analyses the packed .syso, the code that runs.
// The bounded roots are then run by driver/driver.c on a painted stack and
// the high-water mark is compared with the bound: measured > bound is an
// unsound bound and fails the test. Prints every measurement and the median
// of bound / measured.
//
// --self-test-shrink N lowers every bound by N bytes and passes only if some
// run is caught using more: evidence that the measurement would catch an
// unsound bound rather than pass vacuously.
//
// Exit codes: 0 pass, 1 failure, 77 skipped (the target's code cannot run
// here: no qemu for arm64 on an x86-64 host, or the reverse).
//
//===----------------------------------------------------------------------===//

#include "gotramp/pack/Packer.h"
#include "gotramp/driver/Inspect.h"
#include "gotramp/stack/StackAnalysis.h"
#include "gotramp/support/Target.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/BinaryFormat/ELF.h"
#include "llvm/Object/ELF.h"
#include "llvm/Support/Chrono.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/TargetParser/Host.h"
#include "llvm/TargetParser/Triple.h"

#include <algorithm>
#include <chrono>
#include <map>
#include <set>
#include <string>
#include <vector>

using namespace llvm;
using namespace gotramp;

namespace {

struct Options {
  std::string Arch, Clang, Lld, SourceDir, Work, Qemu, XxhashInclude;
  std::vector<std::string> Opts{"O0", "O2", "Os"};
  /// Self-test: compare against bound - Shrink and require that some run is
  /// caught exceeding it (shows the measurement can see an unsound bound).
  uint64_t Shrink = 0;
};

struct Arg {
  uint64_t Kind = 0; // 0 int, 1 data buffer + value, 2 function address
  uint64_t Value = 0;
  std::string Fn;
};

struct Annot {
  enum Kind { Run, Maybe, Unknown } K = Run;
  std::string Name;
  std::vector<Arg> Args;
  std::vector<std::string> Kinds; // Unknown: accepted problem kinds
  std::string File;
  unsigned Line = 0;
};

int Failures = 0;
int Unsound = 0;

void fail(const Twine &Msg) {
  ++Failures;
  errs() << "FAIL: " << Msg << "\n";
}

std::string readText(StringRef Path) {
  auto B = MemoryBuffer::getFile(Path);
  return B ? (*B)->getBuffer().str() : std::string();
}

bool run(ArrayRef<std::string> Argv, std::string *Out = nullptr,
         std::string *Err = nullptr, int *Rc = nullptr) {
  SmallString<128> OutPath, ErrPath;
  sys::fs::createTemporaryFile("stack-harness", "out", OutPath);
  sys::fs::createTemporaryFile("stack-harness", "err", ErrPath);
  std::vector<StringRef> Args;
  for (const std::string &A : Argv)
    Args.push_back(A);
  std::optional<StringRef> Redir[] = {StringRef(""), StringRef(OutPath),
                                      StringRef(ErrPath)};
  std::string Msg;
  int Code = sys::ExecuteAndWait(Argv[0], Args, std::nullopt, Redir, 600, 0,
                                 &Msg);
  if (Out)
    *Out = readText(OutPath);
  std::string E = readText(ErrPath);
  if (Err)
    *Err = E;
  if (Rc)
    *Rc = Code;
  sys::fs::remove(OutPath);
  sys::fs::remove(ErrPath);
  if (Code != 0 && !Rc) {
    errs() << "command failed (" << Code << "): " << join(Argv, " ") << "\n"
           << Msg << E << "\n";
  }
  return Code == 0;
}

std::vector<Annot> parseAnnotations(StringRef File) {
  std::vector<Annot> Out;
  SmallVector<StringRef, 128> Lines;
  std::string Text = readText(File);
  StringRef(Text).split(Lines, '\n');
  for (unsigned L = 0; L < Lines.size(); ++L) {
    StringRef Line = Lines[L].trim();
    if (!Line.consume_front("//@"))
      continue;
    SmallVector<StringRef, 8> Tok;
    Line.split(Tok, ' ', -1, false);
    if (Tok.size() < 2) {
      fail(File + ":" + Twine(L + 1) + ": bad annotation");
      continue;
    }
    Annot A;
    A.File = sys::path::filename(File).str();
    A.Line = L + 1;
    A.Name = Tok[1].str();
    if (Tok[0] == "run" || Tok[0] == "maybe") {
      A.K = Tok[0] == "run" ? Annot::Run : Annot::Maybe;
      for (StringRef T : ArrayRef(Tok).drop_front(2)) {
        Arg G;
        if (T == "buf") {
          G.Kind = 1;
        } else if (T.consume_front("fn:")) {
          G.Kind = 2;
          G.Fn = T.str();
        } else if (T.getAsInteger(0, G.Value)) {
          fail(File + ":" + Twine(L + 1) + ": bad argument '" + T + "'");
        }
        A.Args.push_back(G);
      }
      if (A.Args.size() > 6)
        fail(File + ":" + Twine(L + 1) + ": more than six arguments");
    } else if (Tok[0] == "unknown" && Tok.size() == 3) {
      A.K = Annot::Unknown;
      SmallVector<StringRef, 4> Ks;
      Tok[2].split(Ks, '|');
      for (StringRef K : Ks)
        A.Kinds.push_back(K.str());
    } else {
      fail(File + ":" + Twine(L + 1) + ": bad annotation");
      continue;
    }
    Out.push_back(std::move(A));
  }
  return Out;
}

/// The .text bytes of a packed static blob: the code the analysis read.
Expected<std::vector<uint8_t>> blobText(ArrayRef<uint8_t> Syso) {
  auto F = object::ELFFile<object::ELF64LE>::create(
      StringRef(reinterpret_cast<const char *>(Syso.data()), Syso.size()));
  if (!F)
    return F.takeError();
  auto Secs = F->sections();
  if (!Secs)
    return Secs.takeError();
  for (auto &S : *Secs) {
    auto N = F->getSectionName(S);
    if (N && *N == ".text") {
      auto C = F->getSectionContents(S);
      if (!C)
        return C.takeError();
      return std::vector<uint8_t>(C->begin(), C->end());
    }
  }
  return createStringError(inconvertibleErrorCode(), "blob has no .text");
}

void put64(std::string &S, uint64_t V) {
  for (int I = 0; I < 8; ++I)
    S += char((V >> (8 * I)) & 0xff);
}

struct Measured {
  std::string Opt, Root, Args;
  uint64_t Bound = 0, Used = 0;
  std::string Result;
};

double median(std::vector<double> V) {
  if (V.empty())
    return 0;
  llvm::sort(V);
  size_t N = V.size();
  return N % 2 ? V[N / 2] : (V[N / 2 - 1] + V[N / 2]) / 2;
}

int mainImpl(const Options &O) {
  auto Start = std::chrono::steady_clock::now();
  Expected<Target> TOrErr = parseTarget("linux/" + O.Arch);
  if (!TOrErr) {
    errs() << toString(TOrErr.takeError()) << "\n";
    return 1;
  }
  Target T = *TOrErr;
  bool X86 = T.Architecture == Arch::AMD64;
  std::string Triple = T.triple();

  // Can this target's code run here?
  llvm::Triple Host(sys::getProcessTriple());
  bool Native = (X86 && Host.getArch() == llvm::Triple::x86_64) ||
                (!X86 && Host.getArch() == llvm::Triple::aarch64);
  std::vector<std::string> Runner;
  if (!Native) {
    if (O.Qemu.empty() || !sys::fs::exists(O.Qemu)) {
      outs() << "NOTICE: skipping " << T.goName()
             << ": its code cannot run on this host and no qemu-user was "
                "found (apt-get install qemu-user-static)\n";
      return 77;
    }
    Runner.push_back(O.Qemu);
  }

  sys::fs::create_directories(O.Work);
  std::string Corpus = O.SourceDir + "/corpus";
  std::string Include = O.SourceDir + "/include";

  // The driver.
  std::string DrvObj = O.Work + "/driver-" + O.Arch + ".o";
  std::string Drv = O.Work + "/driver-" + O.Arch;
  if (!run({O.Clang, "--target=" + Triple, "-O1", "-ffreestanding",
            "-fno-builtin", "-fno-stack-protector", "-fno-pic",
            "-fno-asynchronous-unwind-tables", "-nostdlibinc", "-c",
            O.SourceDir + "/driver/driver.c", "-o", DrvObj}) ||
      !run({O.Lld, "-static", "-e", "_start", "--no-dynamic-linker", "-o", Drv,
            DrvObj})) {
    fail("cannot build the driver");
    return 1;
  }
  Runner.push_back(Drv);

  // Corpus files and annotations.
  std::vector<std::string> Sources;
  std::error_code EC;
  for (sys::fs::directory_iterator It(Corpus, EC), End; It != End && !EC;
       It.increment(EC))
    if (StringRef(It->path()).ends_with(".c"))
      Sources.push_back(It->path());
  llvm::sort(Sources);
  bool HaveXxhash = !O.XxhashInclude.empty() &&
                    sys::fs::exists(O.XxhashInclude + "/xxhash.h");
  if (!HaveXxhash) {
    outs() << "NOTICE: xxhash.h not found (apt-get install libxxhash-dev); "
              "the xxHash part of the corpus is skipped\n";
    llvm::erase_if(Sources, [](const std::string &S) {
      return StringRef(S).ends_with("/xxhash.c");
    });
  }
  std::vector<Annot> Annots;
  for (const std::string &S : Sources)
    append_range(Annots, parseAnnotations(S));
  std::vector<std::string> Roots;
  for (const Annot &A : Annots)
    if (!is_contained(Roots, A.Name))
      Roots.push_back(A.Name);

  std::vector<Measured> All;
  std::map<std::string, std::string> ResultByCall; // root+args -> result
  size_t Jobs = 0;

  for (const std::string &Opt : O.Opts) {
    std::string Dir = O.Work + "/" + O.Arch + "-" + Opt;
    sys::fs::create_directories(Dir);
    std::vector<std::string> Objects;
    for (const std::string &Src : Sources) {
      std::string Obj =
          Dir + "/" + sys::path::stem(Src).str() + ".o";
      std::vector<std::string> Cmd = {
          O.Clang, "--target=" + Triple, "-" + Opt, "-fPIC", "-ffreestanding",
          "-fno-stack-protector", "-fno-builtin",
          "-fno-asynchronous-unwind-tables", "-fstack-size-section",
          "-nostdlibinc", "-I", Include, "-c", Src, "-o", Obj};
      if (!X86)
        Cmd.push_back("-ffixed-x28");
      if (Opt == "O2")
        Cmd.push_back("-ffunction-sections");
      if (HaveXxhash) {
        Cmd.push_back("-idirafter");
        Cmd.push_back(O.XxhashInclude);
      }
      if (!run(Cmd)) {
        fail("cannot compile " + Src + " at -" + Opt);
        return 1;
      }
      Objects.push_back(Obj);
    }

    // 1. The relocatable merge: relocations, function sections, .stack_sizes.
    std::string Merged = Dir + "/merged.o";
    std::vector<std::string> MergeCmd = {O.Lld, "-r", "-o", Merged};
    append_range(MergeCmd, Objects);
    if (!run(MergeCmd)) {
      fail("ld.lld -r failed at -" + Opt);
      return 1;
    }
    auto MergedBuf = MemoryBuffer::getFile(Merged);
    if (!MergedBuf) {
      fail("cannot read " + Merged);
      return 1;
    }
    ArrayRef<uint8_t> MergedBytes(
        reinterpret_cast<const uint8_t *>((*MergedBuf)->getBufferStart()),
        (*MergedBuf)->getBufferSize());
    Expected<StackReport> ObjReport = analyzeStack(MergedBytes, T);
    if (!ObjReport) {
      fail("analysis of " + Merged + ": " + toString(ObjReport.takeError()));
      return 1;
    }
    if (!ObjReport->HasStackSizes)
      fail("-" + Opt + ": the merged object has no .stack_sizes to cross-check");
    for (const std::string &M : ObjReport->Mismatches)
      fail("-" + Opt + " .stack_sizes cross-check: " + M);
    unsigned Checked = 0;
    for (const StackFunction &F : ObjReport->Functions)
      Checked += F.CompilerStackSize.has_value();

    // 2. The packed blob: what runs.
    PackRequest Req;
    Req.Tgt = T;
    Req.ObjectPaths = Objects;
    Req.Roots = Roots;
    Req.LldPath = O.Lld;
    Expected<PackResult> Pack = packObjects(Req);
    if (!Pack) {
      fail("-" + Opt + " pack: " + toString(Pack.takeError()));
      return 1;
    }
    if (Pack->Strategy != PackStrategy::StaticBlob) {
      fail("-" + Opt + ": corpus did not pack as a static blob: " + Pack->Why);
      return 1;
    }
    {
      std::error_code WEC;
      raw_fd_ostream SysoOut(Dir + "/corpus.syso", WEC);
      SysoOut.write(reinterpret_cast<const char *>(Pack->Syso.data()),
                    Pack->Syso.size());
    }
    Expected<StackReport> BlobReport = analyzeStack(Pack->Syso, T);
    if (!BlobReport) {
      fail("analysis of the blob: " + toString(BlobReport.takeError()));
      return 1;
    }
    {
      std::error_code WEC;
      raw_fd_ostream Txt(Dir + "/inspect.txt", WEC);
      printStackReport(*BlobReport, false, Txt);
      raw_fd_ostream Txt2(Dir + "/inspect-object.txt", WEC);
      printStackReport(*ObjReport, false, Txt2);
    }
    Expected<std::vector<uint8_t>> Text = blobText(Pack->Syso);
    if (!Text) {
      fail(toString(Text.takeError()));
      return 1;
    }
    std::map<std::string, uint64_t> Offsets;
    for (const PackedSymbol &S : Pack->Roots)
      Offsets[S.Name] = S.Offset;

    // 3. Expectations, and the object/blob agreement.
    std::string JobFile;
    JobFile += "GTSTACK1";
    put64(JobFile, Text->size());
    JobFile.append(reinterpret_cast<const char *>(Text->data()), Text->size());
    while (JobFile.size() % 8)
      JobFile += '\0';
    std::string JobList;
    std::vector<std::pair<const Annot *, StackBound>> Planned;
    unsigned UnknownOk = 0;
    for (const Annot &A : Annots) {
      // The .syso may rename roots (PackRequest::SymbolPrefix).
      Expected<StackBound> B = boundFor(*BlobReport, Pack->symbolFor(A.Name));
      if (!B) {
        fail("-" + Opt + " " + A.Name + ": " + toString(B.takeError()));
        continue;
      }
      Expected<StackBound> OB = boundFor(*ObjReport, A.Name);
      if (OB && OB->Known && B->Known && OB->Bytes != B->Bytes)
        fail("-" + Opt + " " + A.Name + ": bound " + Twine(B->Bytes) +
             " in the blob but " + Twine(OB->Bytes) +
             " in the relocatable object");
      if (OB && OB->Known != B->Known)
        fail("-" + Opt + " " + A.Name + ": " + (B->Known ? "bounded" : "unknown") +
             " in the blob but " + (OB->Known ? "bounded" : "unknown") +
             " in the relocatable object");
      if (!OB)
        consumeError(OB.takeError());
      if (A.K == Annot::Unknown) {
        if (B->Known)
          fail("-" + Opt + " " + A.Name + " (" + A.File + ":" + Twine(A.Line) +
               "): expected unknown (" + join(A.Kinds, "|") +
               "), got a bound of " + Twine(B->Bytes));
        else if (!is_contained(A.Kinds, stackProblemName(B->Problem).str()))
          fail("-" + Opt + " " + A.Name + ": expected " + join(A.Kinds, "|") +
               ", got " + stackProblemName(B->Problem) + ": " + B->Reason);
        else
          ++UnknownOk;
        continue;
      }
      if (!B->Known) {
        if (A.K == Annot::Run)
          fail("-" + Opt + " " + A.Name + " (" + A.File + ":" + Twine(A.Line) +
               "): expected a bound, got " + B->Reason);
        else
          outs() << "  -" << Opt << " " << A.Name << ": unknown ("
                 << B->Reason << "), not measured\n";
        continue;
      }
      uint64_t Paint = alignTo(B->Bytes + 16384, 4096);
      put64(JobList, Offsets.at(A.Name));
      put64(JobList, Paint);
      put64(JobList, A.Args.size());
      for (unsigned K = 0; K < 6; ++K) {
        Arg G = K < A.Args.size() ? A.Args[K] : Arg();
        uint64_t V = G.Value;
        if (G.Kind == 2) {
          auto It = Offsets.find(G.Fn);
          if (It == Offsets.end()) {
            fail(A.Name + ": fn:" + G.Fn + " is not a root");
            V = 0;
          } else {
            V = It->second;
          }
        }
        put64(JobList, G.Kind);
        put64(JobList, V);
      }
      Planned.push_back({&A, *B});
    }
    put64(JobFile, Planned.size());
    JobFile += JobList;
    std::string JobPath = Dir + "/jobs.bin";
    {
      std::error_code WEC;
      raw_fd_ostream JO(JobPath, WEC);
      JO << JobFile;
    }

    // 4. Run and compare.
    std::vector<std::string> Cmd = Runner;
    Cmd.push_back(JobPath);
    std::string Out, Err;
    int Rc = 0;
    run(Cmd, &Out, &Err, &Rc);
    SmallVector<StringRef, 256> Lines;
    StringRef(Out).split(Lines, '\n', -1, false);
    std::map<unsigned, std::pair<uint64_t, std::string>> Res;
    unsigned LastStarted = ~0u;
    for (StringRef L : Lines) {
      SmallVector<StringRef, 4> F;
      L.split(F, ' ');
      unsigned Idx = 0;
      if (F.size() >= 2 && !F[1].getAsInteger(10, Idx)) {
        if (F[0] == "S")
          LastStarted = Idx;
        else if (F[0] == "J" && F.size() == 4) {
          uint64_t Used = 0;
          F[2].getAsInteger(10, Used);
          Res[Idx] = {Used, F[3].str()};
        }
      }
    }
    if (Rc != 0) {
      std::string Who = LastStarted < Planned.size()
                            ? Planned[LastStarted].first->Name
                            : "?";
      fail("-" + Opt + ": the driver failed (exit " + Twine(Rc) +
           ") while running job " + Twine(LastStarted) + " (" + Who + "): " +
           StringRef(Err).trim());
    }
    outs() << "== " << T.goName() << " -" << Opt << ": "
           << BlobReport->Functions.size() << " functions in the blob, "
           << Planned.size() << " measured runs, " << UnknownOk
           << " expected unknowns confirmed, " << Checked
           << " .stack_sizes entries cross-checked\n";
    outs() << format("  %-24s %-14s %8s %8s %6s  %s\n", (const char *)"FUNCTION",
                     (const char *)"ARGS", (const char *)"BOUND",
                     (const char *)"USED", (const char *)"RATIO",
                     (const char *)"RESULT");
    for (unsigned I = 0; I < Planned.size(); ++I) {
      const Annot &A = *Planned[I].first;
      const StackBound &B = Planned[I].second;
      std::vector<std::string> ArgText;
      for (const Arg &G : A.Args)
        ArgText.push_back(G.Kind == 1   ? "buf"
                          : G.Kind == 2 ? "fn:" + G.Fn
                                        : std::to_string(G.Value));
      std::string Args = join(ArgText, ",");
      auto It = Res.find(I);
      if (It == Res.end()) {
        if (Rc == 0)
          fail("-" + Opt + " " + A.Name + ": no result from the driver");
        continue;
      }
      uint64_t Used = It->second.first;
      uint64_t Bound = B.Bytes > O.Shrink ? B.Bytes - O.Shrink : 0;
      double Ratio = Used ? double(Bound) / double(Used) : 0;
      outs() << format("  %-24s %-14s %8llu %8llu %6.2f  %s%s\n",
                       A.Name.c_str(), Args.c_str(),
                       (unsigned long long)Bound, (unsigned long long)Used,
                       Ratio, It->second.second.c_str(),
                       Used > Bound ? "  UNSOUND" : "");
      if (Used > Bound) {
        ++Unsound;
        if (!O.Shrink)
          fail("-" + Opt + " " + A.Name + "(" + Args + "): measured " +
               Twine(Used) + " bytes > bound " + Twine(Bound) + " (" +
               join(B.Path, " -> ") + ")");
      }
      std::string Key = A.Name + "(" + Args + ")";
      auto [RI, New] = ResultByCall.try_emplace(Key, It->second.second);
      if (!New && RI->second != It->second.second)
        fail(Key + " returned " + It->second.second + " at -" + Opt +
             " but " + RI->second + " at another level");
      All.push_back({Opt, A.Name, Args, Bound, Used, It->second.second});
      ++Jobs;
    }
  }

  std::vector<double> Ratios;
  std::map<std::string, std::vector<double>> ByOpt;
  for (const Measured &M : All)
    if (M.Used) {
      Ratios.push_back(double(M.Bound) / double(M.Used));
      ByOpt[M.Opt].push_back(Ratios.back());
    }
  double Secs = std::chrono::duration<double>(std::chrono::steady_clock::now() -
                                              Start)
                    .count();
  outs() << "== " << T.goName() << " summary: " << Jobs << " runs, "
         << Failures << " failures, median bound/measured "
         << format("%.3f", median(Ratios));
  for (auto &[Opt, V] : ByOpt)
    outs() << format(" (-%s %.3f)", Opt.c_str(), median(V));
  if (!Ratios.empty())
    outs() << format(", min %.3f, max %.3f",
                     *std::min_element(Ratios.begin(), Ratios.end()),
                     *std::max_element(Ratios.begin(), Ratios.end()));
  outs() << format(", %.1f s\n", Secs);
  if (O.Shrink) {
    outs() << "== self-test: bounds lowered by " << O.Shrink << " bytes; "
           << Unsound << " of " << Jobs
           << " runs were caught using more than that\n";
    if (!Unsound)
      fail("self-test: lowered bounds went unnoticed; the measurement "
           "cannot see an unsound bound");
    return Failures ? 1 : 0;
  }
  if (median(Ratios) > 1.5)
    outs() << "WARNING: median tightness above the 1.5 target\n";
  return Failures ? 1 : 0;
}

} // namespace

int main(int argc, char **argv) {
  Options O;
  for (int I = 1; I < argc; ++I) {
    StringRef A = argv[I];
    auto next = [&]() -> std::string {
      if (I + 1 >= argc) {
        errs() << "missing value for " << A << "\n";
        exit(2);
      }
      return argv[++I];
    };
    if (A == "--arch") O.Arch = next();
    else if (A == "--clang") O.Clang = next();
    else if (A == "--lld") O.Lld = next();
    else if (A == "--source-dir") O.SourceDir = next();
    else if (A == "--work") O.Work = next();
    else if (A == "--qemu") O.Qemu = next();
    else if (A == "--xxhash-include") O.XxhashInclude = next();
    else if (A == "--self-test-shrink") O.Shrink = std::stoull(next());
    else if (A == "--opt") {
      O.Opts.clear();
      SmallVector<StringRef, 4> P;
      StringRef(next()).split(P, ',');
      for (StringRef S : P)
        O.Opts.push_back(S.str());
    } else {
      errs() << "unknown argument " << A << "\n";
      return 2;
    }
  }
  if (O.Arch.empty() || O.Clang.empty() || O.Lld.empty() ||
      O.SourceDir.empty() || O.Work.empty()) {
    errs() << "usage: gotramp-stack-harness --arch amd64|arm64 --clang C "
              "--lld L --source-dir D --work W [--qemu Q] "
              "[--xxhash-include DIR] [--opt O0,O2,Os] "
              "[--self-test-shrink BYTES]\n";
    return 2;
  }
  return mainImpl(O);
}
