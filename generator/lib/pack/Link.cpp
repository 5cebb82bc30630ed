//===- Link.cpp - running ld.lld and clang for the packer -----------------===//
//
// The two ld.lld links of packObjects (Packer.cpp's opening comment): their
// linker and version scripts, the arguments, running lld and turning its
// failures into one summary line plus lld's own lines. Also the mem* shims:
// the runtime-shims/mem sources embedded in gotramp (GeneratedShims.inc),
// compiled for the target (with PackRequest::ClangPath, else the clang next
// to ld.lld) when the merged code leaves them undefined, and added to the
// inputs. Nothing else in the packer runs a program.
//
//===----------------------------------------------------------------------===//

#include "Link.h"
#include "PackCommon.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/raw_ostream.h"

#include <optional>

using namespace llvm;

namespace gotramp::pack {

/// Temporary files removed on every exit path.
class TempFiles {
public:
  TempFiles() = default;
  TempFiles(const TempFiles &) = delete;
  TempFiles &operator=(const TempFiles &) = delete;
  ~TempFiles() {
    for (const std::string &P : Paths)
      sys::fs::remove(P);
    for (const std::string &D : Dirs)
      sys::fs::remove_directories(D);
  }

  Expected<std::string> createDir() {
    SmallString<128> P;
    if (std::error_code EC = sys::fs::createUniqueDirectory("gotramp-shims", P))
      return createStringError(EC, "cannot create a temporary directory: %s",
                               EC.message().c_str());
    Dirs.push_back(std::string(P));
    return Dirs.back();
  }

  Expected<std::string> create(StringRef Suffix) {
    SmallString<128> P;
    if (std::error_code EC =
            sys::fs::createTemporaryFile("gotramp-pack", Suffix, P))
      return createStringError(EC, "cannot create a temporary file: %s",
                               EC.message().c_str());
    Paths.push_back(std::string(P));
    return Paths.back();
  }

private:
  std::vector<std::string> Paths, Dirs;
};

Expected<std::unique_ptr<MemoryBuffer>> readFile(StringRef Path) {
  auto BufOrErr = MemoryBuffer::getFile(Path, /*IsText=*/false,
                                        /*RequiresNullTerminator=*/false);
  if (!BufOrErr)
    return createFileError(Path, BufOrErr.getError());
  return std::move(*BufOrErr);
}

namespace {

StringRef lldEmulation(const Target &Tgt) {
  return Tgt.Architecture == Arch::AMD64 ? "elf_x86_64" : "aarch64linux";
}

/// Sections nothing in Go can use: unwind tables (Go never unwinds native
/// frames, and Rust's reference rust_eh_personality), embedded bitcode, debug
/// info, notes, and destructors (a Go program never runs them).
constexpr const char *DiscardRules =
    "  /DISCARD/ : {\n"
    "    *(.eh_frame .eh_frame.* .eh_frame_hdr)\n"
    "    *(.comment) *(.note .note.*)\n"
    "    *(.llvmbc) *(.llvmcmd) *(.llvm_addrsig)\n"
    "    *(.debug .debug_* .zdebug_* .gdb_index)\n"
    "    *(.fini_array .fini_array.* .dtors .dtors.*)\n"
    "  }\n";

/// Link 2. Read-only data goes into `.text` so that code and data form one
/// block whose internal PC-relative offsets survive wherever Go places it.
/// `.text` starts on a page so arm64 ADRP page arithmetic stays valid when
/// the syso's `.text` is placed page-aligned too. Data that holds addresses
/// and writable data follow, each group starting on a page (dataPageSize),
/// so that the image the packer cuts from them (Syso.cpp) can
/// give each group its own protection at run time. lld's dynamic-linking
/// sections come first, out of the image's way.
std::string blobLinkerScript(uint64_t PageAlign) {
  std::string Align = "  . = ALIGN(" + std::to_string(PageAlign) + ");\n";
  return std::string("SECTIONS {\n"
                     "  . = SIZEOF_HEADERS;\n"
                     "  .dynsym : { *(.dynsym) }\n"
                     "  .dynstr : { *(.dynstr) }\n"
                     "  .hash : { *(.hash) }\n"
                     "  .rela.dyn : { *(.rela.dyn) }\n"
                     "  .dynamic : { *(.dynamic) }\n") +
         Align +
         "  .text : {\n"
         "    *(.text.unlikely .text.unlikely.*)\n"
         "    *(.text .text.*)\n"
         "    *(.rodata .rodata.* .gnu.linkonce.r.*)\n"
         "  }\n" +
         Align +
         "  .data.rel.ro : { *(.data.rel.ro .data.rel.ro.*) }\n"
         "  .got : { *(.got) }\n"
         "  .got.plt : { *(.got.plt) }\n" +
         Align +
         "  .data : { *(.data .data.*) }\n"
         "  .bss : { *(.bss .bss.* COMMON) }\n" +
         DiscardRules + "}\n";
}

/// Link 1. All code goes into one `.text`, so that the manifest appended to
/// it is kept and placed by every linker exactly when the code is (an
/// unreferenced section of a .syso is dropped by cmd/link). lld drops
/// `.note.GNU-stack` from -r output unless a rule keeps it; without it GNU ld
/// (Go's external link mode) warns about an executable stack.
std::string mergeLinkerScript() {
  return std::string("SECTIONS {\n"
                     "  .text : { *(.text.unlikely .text.unlikely.*) *(.text .text.*) }\n"
                     "  .rodata : { *(.rodata .rodata.* .gnu.linkonce.r.*) }\n"
                     "  .data.rel.ro : { *(.data.rel.ro .data.rel.ro.*) }\n"
                     "  .data : { *(.data .data.*) }\n"
                     "  .bss : { *(.bss .bss.* COMMON) }\n"
                     "  .note.GNU-stack 0 : { *(.note.GNU-stack) }\n") +
         DiscardRules + "}\n";
}

Error writeFile(StringRef Path, StringRef Contents) {
  std::error_code EC;
  raw_fd_ostream OS(Path, EC);
  if (EC)
    return createFileError(Path, EC);
  OS << Contents;
  OS.close();
  if (OS.has_error())
    return createFileError(Path, OS.error());
  return Error::success();
}

struct LldRun {
  int ExitCode = 0;
  std::string Stderr;
};

Expected<LldRun> runTool(StringRef Tool, StringRef Display,
                         ArrayRef<std::string> Args, TempFiles &Temps) {
  Expected<std::string> StderrPath = Temps.create("err");
  if (!StderrPath)
    return StderrPath.takeError();
  SmallVector<StringRef, 32> Argv{Tool};
  for (const std::string &A : Args)
    Argv.push_back(A);
  std::optional<StringRef> Redirects[] = {StringRef(""), StringRef(""),
                                          StringRef(*StderrPath)};
  std::string ErrMsg;
  bool ExecFailed = false;
  int Rc = sys::ExecuteAndWait(Tool, Argv, std::nullopt, Redirects,
                               /*SecondsToWait=*/0, /*MemoryLimit=*/0, &ErrMsg,
                               &ExecFailed);
  if (ExecFailed)
    return makeError("cannot run " + Display + " at '" + Tool + "': " + ErrMsg);
  LldRun Run;
  Run.ExitCode = Rc;
  if (auto Buf = MemoryBuffer::getFile(*StderrPath))
    Run.Stderr = (*Buf)->getBuffer().rtrim().str();
  if (Rc < 0) // killed by a signal
    return makeError(Display + " at '" + Tool + "' crashed: " + ErrMsg +
                     (Run.Stderr.empty() ? "" : "\n" + Run.Stderr));
  return Run;
}

Expected<LldRun> runLld(StringRef Lld, ArrayRef<std::string> Args,
                        TempFiles &Temps) {
  return runTool(Lld, "ld.lld", Args, Temps);
}

/// Turns a failed lld run into one summary line followed by every line lld
/// printed: lld's lines name the symbols and the referencing objects.
Error lldFailure(const LldRun &Run) {
  SmallVector<StringRef, 16> Lines;
  StringRef(Run.Stderr).split(Lines, '\n', -1, /*KeepEmpty=*/false);

  // "undefined symbol: NAME" followed by ">>> referenced by ..." lines.
  std::vector<std::string> Undefined;
  std::string NonPic, Duplicate;
  for (size_t I = 0; I < Lines.size(); ++I) {
    StringRef L = Lines[I];
    size_t Pos = L.find("error: ");
    if (Pos == StringRef::npos)
      continue;
    StringRef Msg = L.drop_front(Pos + 7).trim();
    if (Msg.consume_front("undefined symbol: ")) {
      std::string Entry = ("'" + Msg + "'").str();
      // The first ">>>" line that looks like "file:(section)" names the user.
      for (size_t J = I + 1; J < Lines.size() && Lines[J].starts_with(">>>");
           ++J) {
        StringRef Ref = Lines[J].drop_front(3).trim();
        Ref.consume_front("referenced by ");
        Ref = Ref.trim();
        if (Ref.contains(":(")) {
          Entry += " (referenced by " + Ref.str() + ")";
          break;
        }
      }
      Undefined.push_back(std::move(Entry));
    } else if (Msg.starts_with("relocation R_") &&
               Msg.contains("cannot be used against") && NonPic.empty()) {
      NonPic = Msg.split(';').first.str();
    } else if (Msg.consume_front("duplicate symbol: ") && Duplicate.empty()) {
      Duplicate = Msg.str();
    }
  }

  std::string Summary;
  if (!Undefined.empty()) {
    bool StackProtector = false, Tls = false;
    for (const std::string &U : Undefined) {
      StringRef Name = StringRef(U).drop_front().split('\'').first;
      StackProtector |= Name.starts_with("__stack_chk_");
      Tls |= Name == "__tls_get_addr";
    }
    Summary = Undefined.size() == 1
                  ? "native code references undefined symbol " + Undefined[0]
                  : "native code references undefined symbols " +
                        join(Undefined, ", ");
    Summary += "; gotramp packs freestanding code only (of libc it provides "
               "memcpy, memmove, memset, memcmp, bcmp and strlen)";
    if (StackProtector)
      Summary += " (compile with -fno-stack-protector)";
    if (Tls)
      Summary += " (thread-local storage is not supported)";
  } else if (!NonPic.empty()) {
    Summary = "native code is not position-independent (" + NonPic +
              "); recompile it with -fPIC";
    // arm64 allows -mcmodel=large only with -fno-pic: absolute MOVZ/MOVK.
    if (StringRef(NonPic).contains("_MOVW_UABS_"))
      Summary += " and without -mcmodel=large (use the default small code model)";
  } else if (!Duplicate.empty()) {
    Summary = "native code defines symbol '" + Duplicate + "' more than once";
  } else {
    Summary = "ld.lld could not link the native code (exit code " +
              std::to_string(Run.ExitCode) + ")";
  }
  return makeError(Summary + (Run.Stderr.empty() ? "" : "\n" + Run.Stderr));
}

/// Runs lld with Args, which write Output; a failed link becomes lldFailure's
/// error. Returns Output's bytes.
Expected<std::unique_ptr<MemoryBuffer>> linkWithLld(StringRef Lld, ArrayRef<std::string> Args,
                                                    StringRef Output, TempFiles &Temps) {
  auto Run = runLld(Lld, Args, Temps);
  if (!Run)
    return Run.takeError();
  if (Run->ExitCode != 0)
    return lldFailure(*Run);
  return readFile(Output);
}

//===-- mem* shims ---------------------------------------------------------===//

const std::pair<const char *, const char *> EmbeddedShims[] = {
#include "GeneratedShims.inc"
};

StringRef embeddedShim(StringRef FileName) {
  for (const auto &[Name, Text] : EmbeddedShims)
    if (FileName == Name)
      return Text;
  return "";
}

/// The clang that compiles the shims: Req.ClangPath, else the one next to
/// ld.lld (clang, then clang-MAJOR), else clang on PATH.
Expected<std::string> shimCompiler(const PackRequest &Req) {
  if (!Req.ClangPath.empty())
    return Req.ClangPath;
  StringRef Dir = sys::path::parent_path(Req.LldPath);
  std::vector<std::string> Tried;
  for (StringRef Name : {"clang", "clang-19"}) {
    if (Dir.empty()) {
      if (auto P = sys::findProgramByName(Name))
        return *P;
      Tried.push_back(Name.str() + " on PATH");
      continue;
    }
    SmallString<256> P(Dir);
    sys::path::append(P, Name);
    if (sys::fs::can_execute(P))
      return std::string(P);
    Tried.push_back(std::string(P));
  }
  return makeError("no clang to compile them with (tried " + join(Tried, ", ") + ")");
}

/// Compiles the shims named by Symbols for the target into Dir; returns the
/// objects' paths.
Expected<std::vector<std::string>> compileShims(const PackRequest &Req,
                                                const std::vector<std::string> &Symbols,
                                                TempFiles &Temps) {
  std::string Need = "the native code references " + join(Symbols, ", ") +
                     ", which gotramp provides from runtime-shims/mem, but ";
  auto Clang = shimCompiler(Req);
  if (!Clang)
    return makeError(Need + toString(Clang.takeError()));
  if (!sys::fs::can_execute(*Clang))
    return makeError(Need + "the clang to compile them with, '" + *Clang +
                     "', is not an executable");
  auto Dir = Temps.createDir();
  if (!Dir)
    return Dir.takeError();
  auto pathIn = [&](StringRef Name) {
    SmallString<256> P(*Dir);
    sys::path::append(P, Name);
    return std::string(P);
  };
  for (const char *Header : {"shim.h", "copy.h", "compare.h"})
    if (Error E = writeFile(pathIn(Header), embeddedShim(Header)))
      return E;
  std::vector<std::string> Objects;
  for (const std::string &Sym : Symbols) {
    // __stack_chk_fail's source is stack_chk_fail.c.
    std::string File = StringRef(Sym).ltrim('_').str();
    std::string Src = pathIn(File + ".c"), Obj = pathIn(File + ".o");
    StringRef Text = embeddedShim(File + ".c");
    if (Text.empty())
      return makeError("internal error: no embedded shim for " + Sym);
    if (Error E = writeFile(Src, Text))
      return E;
    std::vector<std::string> Args = {"--target=" + Req.Tgt.triple(), "-O2", "-fPIC",
                                     "-ffreestanding", "-fno-builtin", "-fno-stack-protector",
                                     "-fno-asynchronous-unwind-tables", "-fno-ident"};
    if (Req.Tgt.Architecture == Arch::ARM64)
      Args.push_back("-ffixed-x28");
    append_range(Args, std::vector<std::string>{"-c", Src, "-o", Obj});
    auto Run = runTool(*Clang, "clang", Args, Temps);
    if (!Run)
      return makeError(Need + toString(Run.takeError()));
    if (Run->ExitCode != 0)
      return makeError(Need + "'" + *Clang + "' could not compile " + Sym + ".c:\n" +
                       Run->Stderr);
    Objects.push_back(Obj);
  }
  return Objects;
}

} // namespace

LldLinker::LldLinker(const PackRequest &Req)
    : Req(Req), Temps(std::make_unique<TempFiles>()), Inputs(Req.ObjectPaths) {}

LldLinker::~LldLinker() = default;

Error LldLinker::prepare() {
  std::string *Paths[5] = {&MergeScript, &BlobScript, &VersionScript,
                           &MergedPath, &BlobPath};
  const char *Suffixes[5] = {"ld", "ld", "map", "o", "so"};
  for (int I = 0; I < 5; ++I) {
    Expected<std::string> P = Temps->create(Suffixes[I]);
    if (!P)
      return P.takeError();
    *Paths[I] = std::move(*P);
  }

  std::string Versions = "{\n  global:\n";
  for (const std::string &Root : Req.Roots)
    Versions += "    \"" + Root + "\";\n"; // quoted: matched literally
  Versions += "  local: *;\n};\n";
  if (Error E = writeFile(MergeScript, mergeLinkerScript()))
    return E;
  if (Error E = writeFile(BlobScript, blobLinkerScript(dataPageSize(Req.Tgt))))
    return E;
  if (Error E = writeFile(VersionScript, Versions))
    return E;

  Common = {"-m", lldEmulation(Req.Tgt).str(), "--gc-sections",
            "--error-limit=0", "--color-diagnostics=never"};
  // -u makes lld extract the archive member defining the root and keeps it
  // live under --gc-sections.
  for (const std::string &Root : Req.Roots)
    Common.push_back("--undefined=" + Root);
  return Error::success();
}

Expected<std::unique_ptr<MemoryBuffer>> LldLinker::merge() {
  // Link 1: relocatable merge; -d gives common symbols space in .bss.
  std::vector<std::string> MergeArgs = Common;
  append_range(MergeArgs, std::vector<std::string>{"-r", "-d", "-T", MergeScript,
                                                   "-o", MergedPath});
  append_range(MergeArgs, Inputs);
  return linkWithLld(Req.LldPath, MergeArgs, MergedPath, *Temps);
}

Error LldLinker::addShims(const std::vector<std::string> &Symbols) {
  auto ShimObjects = compileShims(Req, Symbols, *Temps);
  if (!ShimObjects)
    return ShimObjects.takeError();
  append_range(Inputs, *ShimObjects);
  return Error::success();
}

Error LldLinker::addObject(const std::vector<uint8_t> &Bytes) {
  Expected<std::string> P = Temps->create("o");
  if (!P)
    return P.takeError();
  if (Error E = writeFile(*P, StringRef(reinterpret_cast<const char *>(Bytes.data()),
                                        Bytes.size())))
    return E;
  Inputs.push_back(*P);
  return Error::success();
}

Expected<std::unique_ptr<MemoryBuffer>> LldLinker::linkBlob(bool AllowUndefined) {
  // Link 2: position-independent pre-link. -z notext turns absolute
  // relocations in code into dynamic relocations we can see (DynamicGlue)
  // instead of an error; Go applies them once the binary is dynamic.
  std::vector<std::string> BlobArgs = Common;
  append_range(BlobArgs,
               std::vector<std::string>{
                   "-shared", "-Bsymbolic", "-z", AllowUndefined ? "undefs" : "defs", "-z",
                   "notext", "-z", "norelro", "--build-id=none", "--hash-style=sysv",
                   "--version-script=" + VersionScript, "-T", BlobScript,
                   "-o", BlobPath});
  append_range(BlobArgs, Inputs);
  return linkWithLld(Req.LldPath, BlobArgs, BlobPath, *Temps);
}

} // namespace gotramp::pack

namespace gotramp {

const std::vector<std::string> &shimSymbols() {
  static const std::vector<std::string> Names = {
      "memcpy", "memmove", "memset", "memcmp", "bcmp",   "strlen",
      "strnlen", "memchr", "strchr", "strcmp", "strncmp"};
  return Names;
}

} // namespace gotramp
