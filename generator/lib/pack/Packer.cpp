//===- Packer.cpp - native objects -> .syso --------------------------------===//
//
// packObjects runs ld.lld twice on the user's inputs:
//
//  1. `ld.lld -r --gc-sections -u ROOT...`: one relocatable object holding
//     exactly what the roots reach, all code in one `.text`. It is inspected
//     for what Go cannot run at all (TLS, constructors, weak undefined
//     references, roots that are not functions, arm64 code writing x28) and,
//     rewritten, it is the .syso of the DynamicGlue strategy. When it leaves
//     memcpy, memmove, memset, memcmp, bcmp or strlen undefined, the
//     freestanding routines of runtime-shims/mem (embedded in gotramp) are
//     compiled for the target and the link is run again with them.
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
// Both strategies write the .syso themselves (writeRelocatable): the roots
// are the only global symbols, renamed SymbolPrefix + name, and `.text` ends
// with the manifest `gotramp verify` reads (Verify.h).
//
//===----------------------------------------------------------------------===//

#include "gotramp/pack/Packer.h"
#include "gotramp/pack/Verify.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/BinaryFormat/ELF.h"
#include "llvm/BinaryFormat/Magic.h"
#include "llvm/MC/MCAsmInfo.h"
#include "llvm/MC/MCContext.h"
#include "llvm/MC/MCDisassembler/MCDisassembler.h"
#include "llvm/MC/MCInst.h"
#include "llvm/MC/MCInstPrinter.h"
#include "llvm/MC/MCInstrInfo.h"
#include "llvm/MC/MCRegisterInfo.h"
#include "llvm/MC/MCSubtargetInfo.h"
#include "llvm/MC/MCTargetOptions.h"
#include "llvm/MC/TargetRegistry.h"
#include "llvm/Object/Archive.h"
#include "llvm/Object/ELF.h"
#include "llvm/Object/ELFObjectFile.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MathExtras.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/Support/xxhash.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/TargetParser/Triple.h"

#include <algorithm>
#include <cstring>
#include <mutex>
#include <set>
#include <tuple>

using namespace llvm;

namespace gotramp {
namespace {

using ELFT = object::ELF64LE;
using ELFFile = object::ELFFile<ELFT>;

Error makeError(const Twine &Msg) {
  return createStringError(inconvertibleErrorCode(), Msg.str());
}

uint16_t elfMachine(const Target &Tgt) {
  return Tgt.Architecture == Arch::AMD64 ? ELF::EM_X86_64 : ELF::EM_AARCH64;
}

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
/// the syso's `.text` is placed page-aligned too.
std::string blobLinkerScript() {
  return std::string("SECTIONS {\n"
                     "  . = SIZEOF_HEADERS;\n"
                     "  . = ALIGN(4096);\n"
                     "  .text : {\n"
                     "    *(.text.unlikely .text.unlikely.*)\n"
                     "    *(.text .text.*)\n"
                     "    *(.rodata .rodata.* .gnu.linkonce.r.*)\n"
                     "  }\n"
                     "  .data.rel.ro : { *(.data.rel.ro .data.rel.ro.*) }\n"
                     "  .data : { *(.data .data.*) }\n"
                     "  .bss : { *(.bss .bss.* COMMON) }\n") +
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

Expected<std::unique_ptr<MemoryBuffer>> readFile(StringRef Path) {
  auto BufOrErr = MemoryBuffer::getFile(Path, /*IsText=*/false,
                                        /*RequiresNullTerminator=*/false);
  if (!BufOrErr)
    return createFileError(Path, BufOrErr.getError());
  return std::move(*BufOrErr);
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
      std::string Entry = "'" + Msg.str() + "'";
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

std::string describeMachine(const object::ELFObjectFileBase &Obj) {
  Triple::ArchType A = static_cast<Triple::ArchType>(Obj.getArch());
  if (A != Triple::UnknownArch)
    return Triple::getArchTypeName(A).str();
  return "e_machine " + std::to_string(Obj.getEMachine());
}

/// Adds the defined global and weak symbols of one object to Out; a strong
/// definition replaces a weak one seen earlier, otherwise the first wins.
Error addObjectSymbols(MemoryBufferRef Buf, const std::string &Display,
                       const Target &Tgt,
                       std::map<std::string, std::string> &Out,
                       std::set<std::string> &WeakOnly) {
  file_magic Magic = identify_magic(Buf.getBuffer());
  if (Magic == file_magic::bitcode)
    return createFileError(
        Display, makeError("is LLVM bitcode (built with -flto or "
                           "-C linker-plugin-lto?); gotramp needs ELF objects"));
  if (Magic != file_magic::elf_relocatable && Magic != file_magic::elf_shared_object &&
      Magic != file_magic::elf_executable && Magic != file_magic::elf &&
      Magic != file_magic::elf_core)
    return createFileError(Display, makeError("not an ELF object"));

  auto ObjOrErr = object::ObjectFile::createObjectFile(Buf, Magic);
  if (!ObjOrErr)
    return createFileError(Display, ObjOrErr.takeError());
  auto *Elf = dyn_cast<object::ELFObjectFileBase>(ObjOrErr->get());
  if (!Elf)
    return createFileError(Display, makeError("not an ELF object"));
  if (!isa<object::ELF64LEObjectFile>(Elf))
    return createFileError(
        Display, makeError("not a 64-bit little-endian ELF object (built for " +
                           describeMachine(*Elf) + ")"));
  if (Elf->getEMachine() != elfMachine(Tgt))
    return createFileError(Display,
                           makeError("built for " + describeMachine(*Elf) +
                                     " but target is " + Tgt.goName()));
  if (Elf->getEType() != ELF::ET_REL)
    return createFileError(
        Display, makeError("not a relocatable object (ELF type " +
                           Twine(Elf->getEType()) +
                           "); gotramp packs .o files and static archives"));

  for (const object::SymbolRef &Sym : Elf->symbols()) {
    Expected<uint32_t> Flags = Sym.getFlags();
    if (!Flags)
      return createFileError(Display, Flags.takeError());
    if ((*Flags & object::SymbolRef::SF_Undefined) ||
        !(*Flags & object::SymbolRef::SF_Global) ||
        (*Flags & object::SymbolRef::SF_FormatSpecific))
      continue;
    Expected<StringRef> Name = Sym.getName();
    if (!Name)
      return createFileError(Display, Name.takeError());
    if (Name->empty())
      continue;
    bool Weak = *Flags & object::SymbolRef::SF_Weak;
    auto [It, Inserted] = Out.try_emplace(Name->str(), Display);
    if (Inserted) {
      if (Weak)
        WeakOnly.insert(Name->str());
    } else if (!Weak && WeakOnly.erase(Name->str())) {
      It->second = Display;
    }
  }
  return Error::success();
}

StringRef tlsWhy(const Target &Tgt) {
  return Tgt.Architecture == Arch::AMD64
             ? "thread-local storage is not supported: Go owns the FS base"
             : "thread-local storage is not supported: Go owns the thread "
               "pointer (TPIDR_EL0) and sets up no C TLS block";
}

/// Relocations whose value depends on the 4 KiB page of the place: the code
/// only stays correct if Go places it at the same offset within a page.
bool isPageRelative(uint32_t Type) {
  switch (Type) {
  case ELF::R_AARCH64_ADR_PREL_PG_HI21:
  case ELF::R_AARCH64_ADR_PREL_PG_HI21_NC:
  case ELF::R_AARCH64_ADR_GOT_PAGE:
    return true;
  default:
    return false;
  }
}

struct FoundSymbol {
  uint64_t Value = 0;
  uint64_t Size = 0;
  uint16_t Section = 0;
};

/// What link 1 (the -r merge) says about the code the roots reach.
struct MergeInfo {
  bool PageRelative = false;
  std::set<std::string> Undefined; // global undefined symbols
  uint64_t ReadOnlyBytes = 0;
  uint64_t WritableBytes = 0;
  std::map<std::string, FoundSymbol> Roots;
};

/// The symbols of an object and the string table their names live in.
struct SymbolTable {
  ArrayRef<ELFT::Sym> Syms;
  StringRef Strings;
};

Expected<SymbolTable> readSymbolTable(const ELFFile &File) {
  auto Sections = File.sections();
  if (!Sections)
    return Sections.takeError();
  for (const ELFT::Shdr &S : *Sections) {
    if (S.sh_type != ELF::SHT_SYMTAB)
      continue;
    auto Syms = File.symbols(&S);
    if (!Syms)
      return Syms.takeError();
    auto Strings = File.getStringTableForSymtab(S);
    if (!Strings)
      return Strings.takeError();
    return SymbolTable{*Syms, *Strings};
  }
  return makeError("linked output has no symbol table");
}

Expected<MergeInfo> inspectMerged(const ELFFile &File, const PackRequest &Req) {
  MergeInfo Info;
  auto Sections = File.sections();
  if (!Sections)
    return Sections.takeError();

  for (const ELFT::Shdr &S : *Sections) {
    Expected<StringRef> Name = File.getSectionName(S);
    if (!Name)
      return Name.takeError();
    if (S.sh_flags & ELF::SHF_TLS)
      return makeError(tlsWhy(Req.Tgt) + " (section " + *Name + ")");
    // Go's loader drops .init_array silently (fact 3): the constructors would
    // never run and the code would see uninitialised state.
    if (S.sh_size != 0 &&
        (S.sh_type == ELF::SHT_INIT_ARRAY ||
         S.sh_type == ELF::SHT_PREINIT_ARRAY ||
         Name->starts_with(".init_array") || Name->starts_with(".ctors") ||
         Name->starts_with(".preinit_array")))
      return makeError("static constructors are not supported: Go never runs "
                       "them (" + *Name + " has " + Twine(S.sh_size) +
                       " bytes)");
    if (S.sh_flags & ELF::SHF_ALLOC) {
      if (S.sh_flags & ELF::SHF_WRITE)
        Info.WritableBytes += S.sh_size;
      else
        Info.ReadOnlyBytes += S.sh_size;
    }
    if (S.sh_type == ELF::SHT_RELA && Req.Tgt.Architecture == Arch::ARM64) {
      auto Relas = File.relas(S);
      if (!Relas)
        return Relas.takeError();
      for (const ELFT::Rela &R : *Relas)
        Info.PageRelative |= isPageRelative(R.getType(false));
    }
  }

  Expected<SymbolTable> Symtab = readSymbolTable(File);
  if (!Symtab)
    return Symtab.takeError();
  ArrayRef<ELFT::Sym> Syms = Symtab->Syms;
  StringRef StrTab = Symtab->Strings;

  StringSet<> RootSet;
  for (const std::string &R : Req.Roots)
    RootSet.insert(R);
  std::map<std::string, const ELFT::Sym *> RootSyms;
  for (const ELFT::Sym &Sym : Syms) {
    Expected<StringRef> Name = Sym.getName(StrTab);
    if (!Name)
      return Name.takeError();
    if (Sym.getType() == ELF::STT_TLS)
      return makeError(tlsWhy(Req.Tgt) + " ('" + *Name + "' is thread-local)");
    if (Sym.isUndefined() && Sym.getBinding() == ELF::STB_WEAK &&
        !Name->empty())
      return makeError("weak reference to undefined symbol '" + *Name +
                       "' is not supported: the packed code must define "
                       "everything it references");
    if (Sym.isUndefined() && Sym.getBinding() == ELF::STB_GLOBAL &&
        !Name->empty())
      Info.Undefined.insert(Name->str());
    if (!Sym.isUndefined() && Sym.getBinding() != ELF::STB_LOCAL &&
        RootSet.contains(*Name))
      RootSyms[Name->str()] = &Sym;
  }

  for (const std::string &Root : Req.Roots) {
    auto It = RootSyms.find(Root);
    if (It == RootSyms.end())
      return makeError("root symbol '" + Root +
                       "' is not defined by the input objects");
    const ELFT::Sym &Sym = *It->second;
    bool IsFunc = Sym.getType() == ELF::STT_FUNC;
    // Hand-written assembly often omits `.type sym,@function`: accept an
    // untyped symbol in an executable section.
    if (!IsFunc && Sym.getType() == ELF::STT_NOTYPE &&
        Sym.st_shndx != ELF::SHN_UNDEF && Sym.st_shndx < ELF::SHN_LORESERVE) {
      auto Sec = File.getSection(Sym.st_shndx);
      if (!Sec)
        return Sec.takeError();
      IsFunc = (*Sec)->sh_flags & ELF::SHF_EXECINSTR;
    }
    if (Sym.getType() == ELF::STT_GNU_IFUNC)
      return makeError("root symbol '" + Root +
                       "' is an IFUNC; Go cannot call its resolver");
    if (!IsFunc)
      return makeError("root symbol '" + Root +
                       "' is not a function (ELF symbol type " +
                       Twine(unsigned(Sym.getType())) + ")");
    Info.Roots[Root] = {Sym.st_value, Sym.st_size, Sym.st_shndx};
  }
  return Info;
}

struct BlobSymbol {
  std::string Name;
  uint64_t Offset = 0;
  uint64_t Size = 0;
};

/// What link 2 (the pre-linked blob) contains.
struct BlobInfo {
  ArrayRef<uint8_t> Text;
  uint64_t TextAlign = 1;
  std::vector<std::string> Reasons; // empty: StaticBlob is possible
  std::vector<BlobSymbol> Roots;    // in request order
  std::vector<BlobSymbol> Locals;   // sorted by offset, then name
};

Expected<BlobInfo> inspectBlob(const ELFFile &File, const PackRequest &Req) {
  BlobInfo Info;
  auto Sections = File.sections();
  if (!Sections)
    return Sections.takeError();

  const ELFT::Shdr *Text = nullptr;
  unsigned TextIndex = 0;
  std::vector<std::string> Writable, Outside, DynRelocs;
  for (unsigned Index = 0; Index < Sections->size(); ++Index) {
    const ELFT::Shdr &S = (*Sections)[Index];
    if (!(S.sh_flags & ELF::SHF_ALLOC))
      continue;
    Expected<StringRef> Name = File.getSectionName(S);
    if (!Name)
      return Name.takeError();
    if (S.sh_flags & ELF::SHF_TLS)
      return makeError(tlsWhy(Req.Tgt) + " (section " + *Name + ")");
    switch (S.sh_type) {
    // lld's own bookkeeping for a shared object: never copied.
    case ELF::SHT_DYNSYM:
    case ELF::SHT_HASH:
    case ELF::SHT_GNU_HASH:
    case ELF::SHT_DYNAMIC:
    case ELF::SHT_STRTAB:
    case ELF::SHT_GNU_versym:
    case ELF::SHT_GNU_verdef:
    case ELF::SHT_GNU_verneed:
      continue;
    case ELF::SHT_RELA:
    case ELF::SHT_REL:
    case ELF::SHT_RELR:
      if (S.sh_size != 0) {
        uint64_t Entries = S.sh_entsize ? S.sh_size / S.sh_entsize : 0;
        DynRelocs.push_back((*Name + " has " + Twine(Entries) +
                             (Entries == 1 ? " entry" : " entries"))
                                .str());
      }
      continue;
    default:
      break;
    }
    if (*Name == ".text" && !(S.sh_flags & ELF::SHF_WRITE)) {
      Text = &S;
      TextIndex = Index;
      continue;
    }
    if (S.sh_size == 0)
      continue;
    std::string Entry = (*Name + " " + Twine(S.sh_size) + " bytes").str();
    if (S.sh_flags & ELF::SHF_WRITE)
      Writable.push_back(std::move(Entry));
    else
      Outside.push_back(std::move(Entry));
  }

  if (!Writable.empty()) {
    std::string R = "writable data (" + join(Writable, ", ") + ")";
    if (any_of(Writable, [](StringRef W) { return W.starts_with(".got "); }))
      // Seen on arm64, where lld relaxes a GOT load only when ADRP and LDR
      // are adjacent. -fvisibility=hidden does not cover extern declarations.
      R += ", including a GOT for references to global symbols (compile "
           "with -fpie -fdirect-access-external-data, or declare the "
           "globals hidden, so they are addressed PC-relative)";
    Info.Reasons.push_back(std::move(R));
  }
  if (!DynRelocs.empty())
    Info.Reasons.push_back("absolute addresses need load-time relocation (" +
                           join(DynRelocs, ", ") + ")");
  if (!Outside.empty())
    Info.Reasons.push_back("read-only sections outside the code blob (" +
                           join(Outside, ", ") + ")");
  if (!Text)
    return makeError("the pre-linked native code has no .text section");

  auto Contents = File.getSectionContents(*Text);
  if (!Contents)
    return Contents.takeError();
  Info.Text = *Contents;
  Info.TextAlign = std::max<uint64_t>(Text->sh_addralign, 1);

  Expected<SymbolTable> Symtab = readSymbolTable(File);
  if (!Symtab)
    return Symtab.takeError();
  ArrayRef<ELFT::Sym> Syms = Symtab->Syms;
  StringRef StrTab = Symtab->Strings;

  uint64_t Base = Text->sh_addr, Size = Text->sh_size;
  StringSet<> RootSet;
  for (const std::string &R : Req.Roots)
    RootSet.insert(R);

  // The version script leaves only the roots global; every other function
  // is local now. A hidden root is local too, so roots are looked up among
  // both, globals first.
  std::map<std::string, BlobSymbol> GlobalFuncs;
  std::map<std::string, std::vector<BlobSymbol>> LocalFuncs;
  for (const ELFT::Sym &Sym : Syms) {
    if (Sym.st_shndx != TextIndex || Sym.st_value < Base ||
        Sym.st_value - Base >= Size)
      continue;
    Expected<StringRef> Name = Sym.getName(StrTab);
    if (!Name)
      return Name.takeError();
    // Untyped symbols are kept only for roots (assembly without .type);
    // the others are labels such as arm64's $x/$d mapping symbols.
    if (Name->empty() || !(Sym.getType() == ELF::STT_FUNC ||
                           (Sym.getType() == ELF::STT_NOTYPE &&
                            RootSet.contains(*Name))))
      continue;
    BlobSymbol B{Name->str(), Sym.st_value - Base, Sym.st_size};
    if (Sym.getBinding() != ELF::STB_LOCAL)
      GlobalFuncs[B.Name] = B;
    else
      LocalFuncs[B.Name].push_back(B);
  }

  std::set<uint64_t> RootOffsets;
  for (const std::string &Root : Req.Roots) {
    BlobSymbol B;
    if (auto It = GlobalFuncs.find(Root); It != GlobalFuncs.end()) {
      B = It->second;
    } else if (auto It = LocalFuncs.find(Root);
               It != LocalFuncs.end() && It->second.size() == 1) {
      B = It->second.front();
    } else {
      return makeError("root symbol '" + Root +
                       "' is missing or ambiguous in the pre-linked code");
    }
    Info.Roots.push_back(B);
    RootOffsets.insert(B.Offset);
  }

  // One name per address, and never a second name for a root's address, so
  // crash reports and the stack analysis see the names the user exported.
  std::vector<BlobSymbol> Locals;
  for (auto &[Name, List] : LocalFuncs)
    for (BlobSymbol &B : List)
      if (!RootOffsets.count(B.Offset))
        Locals.push_back(B);
  llvm::sort(Locals, [](const BlobSymbol &A, const BlobSymbol &B) {
    return std::tie(A.Offset, A.Name, A.Size) <
           std::tie(B.Offset, B.Name, B.Size);
  });
  uint64_t LastOffset = ~uint64_t(0);
  for (BlobSymbol &B : Locals) {
    if (B.Offset == LastOffset)
      continue;
    LastOffset = B.Offset;
    Info.Locals.push_back(std::move(B));
  }
  return Info;
}

//===-- Writing relocatable objects -------------------------------------===//

struct ObjReloc {
  uint64_t Offset = 0;
  uint32_t Type = 0;
  /// >= 0: index into ObjectFile::Symbols; < 0: the section symbol of
  /// section -1 - Symbol.
  int Symbol = 0;
  int64_t Addend = 0;
};

struct ObjSection {
  std::string Name;
  uint32_t Type = ELF::SHT_PROGBITS;
  uint64_t Flags = 0;
  uint64_t Align = 1;
  uint64_t EntSize = 0;
  std::vector<uint8_t> Data;
  uint64_t NoBitsSize = 0;
  std::vector<ObjReloc> Relocs;
  uint64_t size() const { return Type == ELF::SHT_NOBITS ? NoBitsSize : Data.size(); }
};

struct ObjSymbol {
  std::string Name;
  unsigned char Binding = ELF::STB_LOCAL;
  unsigned char Type = ELF::STT_NOTYPE;
  int Section = 0; // index into ObjectFile::Sections; -1: SHN_ABS
  uint64_t Value = 0;
  uint64_t Size = 0;
};

struct ObjectFile {
  uint16_t Machine = 0;
  std::vector<ObjSection> Sections;
  std::vector<ObjSymbol> Symbols; // any order; written locals first
};

int sectionSymbol(int Section) { return -1 - Section; }

/// Writes an ELF64 relocatable object. Section headers: null, the sections in
/// order, one `.rela` section per section with relocations, .symtab, .strtab,
/// .shstrtab. Symbols: null, the section symbols relocations use, the local
/// symbols, the global ones. Nothing machine- or run-specific goes in.
std::vector<uint8_t> writeRelocatable(const ObjectFile &Obj) {
  const unsigned NumSec = Obj.Sections.size();
  std::vector<unsigned> RelaOf(NumSec, 0); // section header index of .rela
  unsigned NextIndex = 1 + NumSec;
  for (unsigned I = 0; I < NumSec; ++I)
    if (!Obj.Sections[I].Relocs.empty())
      RelaOf[I] = NextIndex++;
  const unsigned SymtabIdx = NextIndex, StrtabIdx = NextIndex + 1,
                 ShstrtabIdx = NextIndex + 2, NumHeaders = NextIndex + 3;

  // Symbol table.
  std::string StrTab("\0", 1);
  std::vector<ELFT::Sym> Syms(1);
  std::memset(Syms.data(), 0, sizeof(ELFT::Sym));
  std::vector<uint32_t> SecSymIndex(NumSec, 0), SymIndex(Obj.Symbols.size(), 0);
  for (const ObjSection &S : Obj.Sections)
    for (const ObjReloc &R : S.Relocs)
      if (R.Symbol < 0)
        SecSymIndex[-1 - R.Symbol] = 1; // needed
  for (unsigned I = 0; I < NumSec; ++I) {
    if (!SecSymIndex[I])
      continue;
    ELFT::Sym S;
    std::memset(&S, 0, sizeof(S));
    S.setBindingAndType(ELF::STB_LOCAL, ELF::STT_SECTION);
    S.st_shndx = 1 + I;
    SecSymIndex[I] = Syms.size();
    Syms.push_back(S);
  }
  auto add = [&](size_t I) {
    const ObjSymbol &O = Obj.Symbols[I];
    ELFT::Sym S;
    std::memset(&S, 0, sizeof(S));
    S.st_name = StrTab.size();
    StrTab += O.Name;
    StrTab += '\0';
    S.setBindingAndType(O.Binding, O.Type);
    S.st_other = ELF::STV_DEFAULT;
    S.st_shndx = O.Section < 0 ? uint16_t(ELF::SHN_ABS) : uint16_t(1 + O.Section);
    S.st_value = O.Value;
    S.st_size = O.Size;
    SymIndex[I] = Syms.size();
    Syms.push_back(S);
  };
  for (size_t I = 0; I < Obj.Symbols.size(); ++I)
    if (Obj.Symbols[I].Binding == ELF::STB_LOCAL)
      add(I);
  unsigned FirstGlobal = Syms.size();
  for (size_t I = 0; I < Obj.Symbols.size(); ++I)
    if (Obj.Symbols[I].Binding != ELF::STB_LOCAL)
      add(I);

  std::string ShStrTab("\0", 1);
  auto addShName = [&](StringRef Name) {
    uint32_t Off = ShStrTab.size();
    ShStrTab += Name;
    ShStrTab += '\0';
    return Off;
  };

  std::vector<uint8_t> Out(sizeof(ELFT::Ehdr), 0);
  auto place = [&](const void *Data, size_t Size, uint64_t Align) {
    Out.resize(alignTo(Out.size(), std::max<uint64_t>(Align, 1)), 0);
    uint64_t Off = Out.size();
    const uint8_t *P = static_cast<const uint8_t *>(Data);
    Out.insert(Out.end(), P, P + Size);
    return Off;
  };

  std::vector<ELFT::Shdr> Sh(NumHeaders);
  std::memset(Sh.data(), 0, Sh.size() * sizeof(ELFT::Shdr));
  for (unsigned I = 0; I < NumSec; ++I) {
    const ObjSection &S = Obj.Sections[I];
    ELFT::Shdr &H = Sh[1 + I];
    H.sh_name = addShName(S.Name);
    H.sh_type = S.Type;
    H.sh_flags = S.Flags;
    H.sh_addralign = S.Align;
    H.sh_entsize = S.EntSize;
    H.sh_size = S.size();
    // File offsets need no page alignment in a relocatable object.
    H.sh_offset = S.Type == ELF::SHT_NOBITS
                      ? Out.size()
                      : place(S.Data.data(), S.Data.size(), std::min<uint64_t>(S.Align, 16));
  }
  for (unsigned I = 0; I < NumSec; ++I) {
    const ObjSection &S = Obj.Sections[I];
    if (S.Relocs.empty())
      continue;
    std::vector<ELFT::Rela> Relas;
    for (const ObjReloc &R : S.Relocs) {
      ELFT::Rela X;
      std::memset(&X, 0, sizeof(X));
      X.r_offset = R.Offset;
      X.r_addend = R.Addend;
      X.setSymbolAndType(R.Symbol < 0 ? SecSymIndex[-1 - R.Symbol] : SymIndex[R.Symbol], R.Type,
                         false);
      Relas.push_back(X);
    }
    ELFT::Shdr &H = Sh[RelaOf[I]];
    H.sh_name = addShName(".rela" + S.Name);
    H.sh_type = ELF::SHT_RELA;
    H.sh_flags = ELF::SHF_INFO_LINK;
    H.sh_link = SymtabIdx;
    H.sh_info = 1 + I;
    H.sh_addralign = 8;
    H.sh_entsize = sizeof(ELFT::Rela);
    H.sh_size = Relas.size() * sizeof(ELFT::Rela);
    H.sh_offset = place(Relas.data(), H.sh_size, 8);
  }
  Sh[SymtabIdx].sh_name = addShName(".symtab");
  Sh[SymtabIdx].sh_type = ELF::SHT_SYMTAB;
  Sh[SymtabIdx].sh_size = Syms.size() * sizeof(ELFT::Sym);
  Sh[SymtabIdx].sh_offset = place(Syms.data(), Sh[SymtabIdx].sh_size, 8);
  Sh[SymtabIdx].sh_link = StrtabIdx;
  Sh[SymtabIdx].sh_info = FirstGlobal;
  Sh[SymtabIdx].sh_addralign = 8;
  Sh[SymtabIdx].sh_entsize = sizeof(ELFT::Sym);

  Sh[StrtabIdx].sh_name = addShName(".strtab");
  Sh[StrtabIdx].sh_type = ELF::SHT_STRTAB;
  Sh[StrtabIdx].sh_offset = place(StrTab.data(), StrTab.size(), 1);
  Sh[StrtabIdx].sh_size = StrTab.size();
  Sh[StrtabIdx].sh_addralign = 1;

  Sh[ShstrtabIdx].sh_name = addShName(".shstrtab");
  Sh[ShstrtabIdx].sh_type = ELF::SHT_STRTAB;
  Sh[ShstrtabIdx].sh_size = ShStrTab.size();
  Sh[ShstrtabIdx].sh_addralign = 1;
  Sh[ShstrtabIdx].sh_offset = place(ShStrTab.data(), ShStrTab.size(), 1);

  uint64_t ShOff = place(Sh.data(), Sh.size() * sizeof(ELFT::Shdr), 8);

  ELFT::Ehdr Eh;
  std::memset(&Eh, 0, sizeof(Eh));
  std::memcpy(Eh.e_ident, ELF::ElfMagic, 4);
  Eh.e_ident[ELF::EI_CLASS] = ELF::ELFCLASS64;
  Eh.e_ident[ELF::EI_DATA] = ELF::ELFDATA2LSB;
  Eh.e_ident[ELF::EI_VERSION] = ELF::EV_CURRENT;
  Eh.e_ident[ELF::EI_OSABI] = ELF::ELFOSABI_NONE;
  Eh.e_type = ELF::ET_REL;
  Eh.e_machine = Obj.Machine;
  Eh.e_version = ELF::EV_CURRENT;
  Eh.e_shoff = ShOff;
  Eh.e_ehsize = sizeof(ELFT::Ehdr);
  Eh.e_shentsize = sizeof(ELFT::Shdr);
  Eh.e_shnum = NumHeaders;
  Eh.e_shstrndx = ShstrtabIdx;
  std::memcpy(Out.data(), &Eh, sizeof(Eh));
  return Out;
}

//===-- Manifest ---------------------------------------------------------===//

struct NamedSpan {
  uint64_t Offset = 0, Size = 0;
  std::string Name;
};

/// Splits [0, Masked.size()) at the symbols' starts and ends and hashes each
/// piece; a piece that starts where a symbol starts carries its name.
void addRanges(BlobManifest &M, uint32_t Section, ArrayRef<uint8_t> Masked,
               std::vector<NamedSpan> Spans) {
  uint64_t End = Masked.size();
  std::set<uint64_t> Cuts = {0, End};
  std::map<uint64_t, std::string> Names;
  llvm::stable_sort(Spans, [](const NamedSpan &A, const NamedSpan &B) { return A.Offset < B.Offset; });
  for (const NamedSpan &S : Spans) {
    if (S.Offset >= End)
      continue;
    Cuts.insert(S.Offset);
    Cuts.insert(std::min(End, S.Offset + S.Size));
    Names.try_emplace(S.Offset, S.Name); // the first name at an offset wins
  }
  for (auto It = Cuts.begin(); std::next(It) != Cuts.end(); ++It) {
    uint64_t From = *It, To = *std::next(It);
    ManifestRange R;
    R.Section = Section;
    R.Offset = From;
    R.Size = To - From;
    R.Hash = hashRange(Masked.slice(From, To - From));
    if (auto N = Names.find(From); N != Names.end())
      R.Name = N->second;
    M.Ranges.push_back(std::move(R));
  }
}

/// Appends the encoded manifest to Obj.Sections[TextIndex] (8-byte aligned)
/// with one anchor relocation per other manifest section; ManifestSections[i]
/// is the ObjectFile section of M.Sections[i]. Returns the manifest's size.
uint64_t appendManifest(ObjectFile &Obj, unsigned TextIndex, BlobManifest &M,
                        ArrayRef<unsigned> ManifestSections) {
  ObjSection &Text = Obj.Sections[TextIndex];
  M.ManifestOffset = alignTo(Text.Data.size(), 8);
  EncodedManifest E = encodeManifest(M);
  Text.Data.resize(M.ManifestOffset, 0);
  Text.Data.insert(Text.Data.end(), E.Bytes.begin(), E.Bytes.end());
  Text.Align = std::max<uint64_t>(Text.Align, 8);
  uint32_t Anchor = Obj.Machine == ELF::EM_X86_64 ? uint32_t(ELF::R_X86_64_PC64)
                                                  : uint32_t(ELF::R_AARCH64_PREL64);
  for (size_t I = 1; I < M.Sections.size(); ++I)
    Text.Relocs.push_back(
        {M.ManifestOffset + E.AnchorOffsets[I], Anchor, sectionSymbol(ManifestSections[I]), 0});
  return Text.Data.size() - M.ManifestOffset;
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
  if (Error E = writeFile(pathIn("shim.h"), embeddedShim("shim.h")))
    return E;
  std::vector<std::string> Objects;
  for (const std::string &Sym : Symbols) {
    std::string Src = pathIn(Sym + ".c"), Obj = pathIn(Sym + ".o");
    StringRef Text = embeddedShim(Sym + ".c");
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

//===-- arm64: x28 ---------------------------------------------------------===//

/// Go keeps g in x28 and, in a binary without cgo, its signal handler trusts
/// it (ARCHITECTURE.md fact 6): native code must never write x28. Every
/// instruction of every executable section is disassembled (skipping data
/// marked by $d mapping symbols) and checked for an explicit or implicit
/// definition of X28 or W28.
Error checkX28(const ELFFile &File) {
  static std::once_flag Once;
  std::call_once(Once, [] {
    LLVMInitializeAArch64TargetInfo();
    LLVMInitializeAArch64TargetMC();
    LLVMInitializeAArch64Disassembler();
  });
  Triple TT("aarch64-unknown-linux-gnu");
  std::string Err;
  const llvm::Target *T = TargetRegistry::lookupTarget(TT.str(), Err);
  if (!T)
    return makeError("cannot disassemble arm64 code to check x28: " + Err);
  std::unique_ptr<MCRegisterInfo> MRI(T->createMCRegInfo(TT.str()));
  MCTargetOptions MCOpts;
  std::unique_ptr<MCAsmInfo> MAI(T->createMCAsmInfo(*MRI, TT.str(), MCOpts));
  std::unique_ptr<MCSubtargetInfo> STI(T->createMCSubtargetInfo(TT.str(), "", "+all"));
  std::unique_ptr<MCInstrInfo> MII(T->createMCInstrInfo());
  if (!MRI || !MAI || !STI || !MII)
    return makeError("cannot set up the arm64 disassembler to check x28");
  MCContext Ctx(TT, MAI.get(), MRI.get(), STI.get());
  std::unique_ptr<MCDisassembler> Dis(T->createMCDisassembler(*STI, Ctx));
  std::unique_ptr<MCInstPrinter> Printer(T->createMCInstPrinter(TT, 0, *MAI, *MII, *MRI));
  if (!Dis || !Printer)
    return makeError("cannot set up the arm64 disassembler to check x28");
  MCRegister X28;
  for (unsigned R = 1; R < MRI->getNumRegs(); ++R)
    if (StringRef(MRI->getName(R)) == "X28")
      X28 = R;
  if (!X28)
    return makeError("cannot find register X28 in LLVM's AArch64 description");

  auto Sections = File.sections();
  if (!Sections)
    return Sections.takeError();
  Expected<SymbolTable> Symtab = readSymbolTable(File);
  if (!Symtab)
    return Symtab.takeError();
  ArrayRef<ELFT::Sym> Syms = Symtab->Syms;
  StringRef StrTab = Symtab->Strings;

  std::vector<std::string> Hits;
  std::set<std::string> Functions;
  for (unsigned Index = 0; Index < Sections->size(); ++Index) {
    const ELFT::Shdr &S = (*Sections)[Index];
    if (!(S.sh_flags & ELF::SHF_EXECINSTR) || S.sh_type != ELF::SHT_PROGBITS)
      continue;
    auto Bytes = File.getSectionContents(S);
    if (!Bytes)
      return Bytes.takeError();
    std::map<uint64_t, bool> IsData;         // mapping symbols: offset -> $d
    std::map<uint64_t, std::string> Names;   // function starts
    for (const ELFT::Sym &Sym : Syms) {
      if (Sym.st_shndx != Index)
        continue;
      Expected<StringRef> Name = Sym.getName(StrTab);
      if (!Name)
        return Name.takeError();
      if (Name->starts_with("$d") || Name->starts_with("$x"))
        IsData[Sym.st_value] = Name->starts_with("$d");
      else if (!Name->empty() && (Sym.getType() == ELF::STT_FUNC ||
                                  Sym.getType() == ELF::STT_NOTYPE))
        Names.try_emplace(Sym.st_value, Name->str());
    }
    for (uint64_t Off = 0; Off + 4 <= Bytes->size(); Off += 4) {
      if (auto It = IsData.upper_bound(Off); It != IsData.begin() && std::prev(It)->second)
        continue;
      MCInst Inst;
      uint64_t Size = 0;
      if (Dis->getInstruction(Inst, Size, Bytes->slice(Off), Off, nulls()) !=
          MCDisassembler::Success)
        continue;
      const MCInstrDesc &Desc = MII->get(Inst.getOpcode());
      bool Writes = any_of(Desc.implicit_defs(),
                           [&](MCPhysReg R) { return MRI->regsOverlap(R, X28); });
      for (unsigned I = 0; I < Desc.getNumDefs() && I < Inst.getNumOperands(); ++I) {
        const MCOperand &Op = Inst.getOperand(I);
        Writes |= Op.isReg() && Op.getReg() && MRI->regsOverlap(Op.getReg(), X28);
      }
      if (!Writes)
        continue;
      std::string Where = "offset " + utohexstr(Off);
      if (auto It = Names.upper_bound(Off); It != Names.begin()) {
        --It;
        Functions.insert(It->second);
        Where = It->second + "+0x" + utohexstr(Off - It->first, /*LowerCase=*/true);
      }
      std::string Text;
      raw_string_ostream OS(Text);
      Printer->printInst(&Inst, Off, "", *STI, OS);
      if (Hits.size() < 8)
        Hits.push_back("`" + StringRef(Text).trim().str() + "` at " + Where);
      else if (Hits.size() == 8)
        Hits.push_back("...");
    }
  }
  if (Hits.empty())
    return Error::success();
  std::vector<std::string> Names(Functions.begin(), Functions.end());
  return makeError(
      "native code writes register x28, which holds Go's g (the current goroutine) on "
      "arm64: a signal arriving during the call would crash the process. " +
      Twine(Names.size() == 1 ? "Function " : "Functions ") + join(Names, ", ") + ": " +
      join(Hits, "; ") +
      ". Compile C and C++ with -ffixed-x28, Rust with -C target-feature=+reserve-x28");
}

//===-- DynamicGlue: the merged object, rewritten -------------------------===//

struct GlueObject {
  std::vector<uint8_t> Syso;
  std::map<std::string, std::pair<uint64_t, uint64_t>> Roots; // offset, size
  uint64_t ManifestBytes = 0;
  std::vector<PackedFunction> Functions; // unsorted; see sortFunctions
  uint64_t CodeBytes = 0;
};

/// PackResult::Functions order: by offset, roots before other names at one
/// address, then by name; one entry per address.
std::vector<PackedFunction> sortFunctions(std::vector<PackedFunction> Fns) {
  llvm::sort(Fns, [](const PackedFunction &A, const PackedFunction &B) {
    return std::make_tuple(A.Offset, A.Symbol.empty(), A.Name, A.Size) <
           std::make_tuple(B.Offset, B.Symbol.empty(), B.Name, B.Size);
  });
  std::vector<PackedFunction> Out;
  for (PackedFunction &F : Fns)
    if (Out.empty() || Out.back().Offset != F.Offset)
      Out.push_back(std::move(F));
  return Out;
}

/// Rewrites link 1's output: every symbol local but the roots, which are
/// renamed; group sections dropped; the manifest appended to `.text`.
Expected<GlueObject> rewriteMerged(const ELFFile &File, const PackRequest &Req) {
  auto Sections = File.sections();
  if (!Sections)
    return Sections.takeError();
  ObjectFile Obj;
  Obj.Machine = elfMachine(Req.Tgt);
  std::vector<int> NewIndex(Sections->size(), -1);
  int TextIndex = -1;
  for (unsigned I = 0; I < Sections->size(); ++I) {
    const ELFT::Shdr &S = (*Sections)[I];
    Expected<StringRef> Name = File.getSectionName(S);
    if (!Name)
      return Name.takeError();
    bool Alloc = S.sh_flags & ELF::SHF_ALLOC;
    if (!(Alloc && (S.sh_type == ELF::SHT_PROGBITS || S.sh_type == ELF::SHT_NOBITS)) &&
        *Name != ".note.GNU-stack")
      continue;
    ObjSection O;
    O.Name = Name->str();
    O.Type = S.sh_type;
    O.Flags = S.sh_flags & ~uint64_t(ELF::SHF_GROUP | ELF::SHF_LINK_ORDER);
    O.Align = std::max<uint64_t>(S.sh_addralign, 1);
    O.EntSize = S.sh_entsize;
    if (S.sh_type == ELF::SHT_NOBITS) {
      O.NoBitsSize = S.sh_size;
    } else {
      auto Data = File.getSectionContents(S);
      if (!Data)
        return Data.takeError();
      O.Data.assign(Data->begin(), Data->end());
    }
    NewIndex[I] = Obj.Sections.size();
    if (O.Name == ".text")
      TextIndex = NewIndex[I];
    Obj.Sections.push_back(std::move(O));
  }
  if (TextIndex < 0)
    return makeError("the merged native code has no .text section");
  int BssIndex = -1;
  for (unsigned I = 0; I < Obj.Sections.size(); ++I)
    if (Obj.Sections[I].Name == ".bss" && Obj.Sections[I].Type == ELF::SHT_NOBITS)
      BssIndex = I;

  Expected<SymbolTable> Symtab = readSymbolTable(File);
  if (!Symtab)
    return Symtab.takeError();
  ArrayRef<ELFT::Sym> Syms = Symtab->Syms;
  StringRef StrTab = Symtab->Strings;
  StringSet<> RootSet;
  for (const std::string &R : Req.Roots)
    RootSet.insert(R);

  // Old symbol index -> ObjReloc symbol, or nullopt (dropped, with why).
  constexpr int Dropped = INT32_MIN;
  std::vector<int> SymMap(Syms.size(), Dropped);
  std::vector<std::string> SymNames(Syms.size()), DropWhy(Syms.size());
  GlueObject Out;
  for (size_t I = 1; I < Syms.size(); ++I) {
    const ELFT::Sym &Sym = Syms[I];
    Expected<StringRef> Name = Sym.getName(StrTab);
    if (!Name)
      return Name.takeError();
    SymNames[I] = Name->str();
    unsigned Type = Sym.getType();
    if (Type == ELF::STT_FILE)
      continue;
    if (Sym.st_shndx == ELF::SHN_UNDEF) {
      DropWhy[I] = "it is undefined";
      continue;
    }
    if (Sym.st_shndx == ELF::SHN_COMMON) {
      // lld -r keeps common symbols common; they get space in .bss here,
      // as the final link would give them (st_value is the alignment).
      if (BssIndex < 0) {
        ObjSection Bss;
        Bss.Name = ".bss";
        Bss.Type = ELF::SHT_NOBITS;
        Bss.Flags = ELF::SHF_ALLOC | ELF::SHF_WRITE;
        BssIndex = Obj.Sections.size();
        Obj.Sections.push_back(std::move(Bss));
      }
      ObjSection &Bss = Obj.Sections[BssIndex];
      uint64_t Align = std::max<uint64_t>(Sym.st_value, 1);
      uint64_t At = alignTo(Bss.NoBitsSize, Align);
      Bss.NoBitsSize = At + Sym.st_size;
      Bss.Align = std::max(Bss.Align, Align);
      Obj.Symbols.push_back({Name->str(), ELF::STB_LOCAL, ELF::STT_OBJECT, BssIndex, At,
                             Sym.st_size});
      SymMap[I] = Obj.Symbols.size() - 1;
      continue;
    }
    if (Sym.st_shndx == ELF::SHN_ABS) {
      Obj.Symbols.push_back({Name->str(), ELF::STB_LOCAL, (unsigned char)Type, -1,
                             Sym.st_value, Sym.st_size});
      SymMap[I] = Obj.Symbols.size() - 1;
      continue;
    }
    int Sec = Sym.st_shndx < NewIndex.size() ? NewIndex[Sym.st_shndx] : -1;
    if (Sec < 0) {
      DropWhy[I] = "its section was dropped";
      continue;
    }
    if (Type == ELF::STT_SECTION) {
      SymMap[I] = sectionSymbol(Sec);
      continue;
    }
    bool Root = Sym.getBinding() != ELF::STB_LOCAL && RootSet.contains(*Name);
    ObjSymbol O{Root ? Req.SymbolPrefix + Name->str() : Name->str(),
                Root ? (unsigned char)ELF::STB_GLOBAL : (unsigned char)ELF::STB_LOCAL,
                (unsigned char)Type, Sec, Sym.st_value, Sym.st_size};
    if (Root) {
      if (Sec != TextIndex)
        return makeError("root symbol '" + *Name + "' is not in the merged .text");
      Out.Roots[Name->str()] = {Sym.st_value, Sym.st_size};
    }
    if (Sec == TextIndex && !Name->empty() && (Root || Type == ELF::STT_FUNC))
      Out.Functions.push_back({Sym.st_value, Sym.st_size, Name->str(), Root ? O.Name : ""});
    Obj.Symbols.push_back(std::move(O));
    SymMap[I] = Obj.Symbols.size() - 1;
  }

  // Manifest sections: .text first, then every other allocated section.
  BlobManifest M;
  M.Machine = Obj.Machine;
  M.Label = Req.Label.empty() ? Req.SymbolPrefix : Req.Label;
  std::vector<unsigned> ManifestSecs = {unsigned(TextIndex)};
  std::vector<int> ManifestIndexOf(Obj.Sections.size(), -1);
  ManifestIndexOf[TextIndex] = 0;
  for (unsigned I = 0; I < Obj.Sections.size(); ++I)
    if (int(I) != TextIndex && (Obj.Sections[I].Flags & ELF::SHF_ALLOC)) {
      ManifestIndexOf[I] = ManifestSecs.size();
      ManifestSecs.push_back(I);
    }
  for (unsigned I : ManifestSecs) {
    const ObjSection &S = Obj.Sections[I];
    M.Sections.push_back({S.Name, S.size(), S.Type == ELF::SHT_NOBITS,
                          bool(S.Flags & ELF::SHF_WRITE), bool(S.Flags & ELF::SHF_EXECINSTR)});
  }

  // Relocations, recorded in the manifest too.
  for (unsigned I = 0; I < Sections->size(); ++I) {
    const ELFT::Shdr &S = (*Sections)[I];
    if (S.sh_type == ELF::SHT_REL && S.sh_size)
      return makeError("the merged native code has REL relocations");
    if (S.sh_type != ELF::SHT_RELA || S.sh_info >= NewIndex.size() || NewIndex[S.sh_info] < 0)
      continue;
    int Target = NewIndex[S.sh_info];
    ObjSection &TS = Obj.Sections[Target];
    auto Relas = File.relas(S);
    if (!Relas)
      return Relas.takeError();
    for (const ELFT::Rela &R : *Relas) {
      uint32_t Sym = R.getSymbol(false), Type = R.getType(false);
      std::string Where = TS.Name + "+0x" + utohexstr(R.r_offset, true);
      if (Sym == 0 || Sym >= SymMap.size() || SymMap[Sym] == Dropped)
        return makeError("relocation " + relocationName(Obj.Machine, Type) + " at " + Where +
                         " refers to symbol '" + (Sym < SymNames.size() ? SymNames[Sym] : "") +
                         "', but " + (Sym < DropWhy.size() ? DropWhy[Sym] : "it is missing"));
      if (!isVerifiableRelocation(Obj.Machine, Type))
        return makeError("relocation " + relocationName(Obj.Machine, Type) + " at " + Where +
                         " (against '" + SymNames[Sym] +
                         "') is not one Go's linker applies; recompile with -fPIC");
      int NewSym = SymMap[Sym];
      TS.Relocs.push_back({R.r_offset, Type, NewSym, R.r_addend});
      ManifestReloc MR;
      MR.Section = ManifestIndexOf[Target];
      MR.Offset = R.r_offset;
      MR.Type = Type;
      MR.Addend = R.r_addend;
      int TargetSec = NewSym < 0 ? -1 - NewSym : Obj.Symbols[NewSym].Section;
      if (TargetSec < 0 || ManifestIndexOf[TargetSec] < 0)
        return makeError("relocation at " + Where + " refers to '" + SymNames[Sym] +
                         "', which is not in an allocated section");
      MR.TargetSection = ManifestIndexOf[TargetSec];
      MR.TargetValue = NewSym < 0 ? 0 : Obj.Symbols[NewSym].Value;
      if (NewSym >= 0)
        MR.Target = Obj.Symbols[NewSym].Name;
      if (Obj.Machine == ELF::EM_X86_64 &&
          (Type == ELF::R_X86_64_GOTPCREL || Type == ELF::R_X86_64_GOTPCRELX ||
           Type == ELF::R_X86_64_REX_GOTPCRELX)) {
        if (R.r_offset < 2 || R.r_offset > TS.Data.size())
          return makeError("GOT relocation at " + Where + " has no instruction before it");
        for (unsigned K = 1; K <= 4 && K <= R.r_offset; ++K) // byte at offset-1 on top
          MR.Before |= uint32_t(TS.Data[R.r_offset - K]) << (32 - 8 * K);
      }
      if (Obj.Machine == ELF::EM_AARCH64 && Type != ELF::R_AARCH64_ABS64 &&
          Type != ELF::R_AARCH64_PREL64 && Type != ELF::R_AARCH64_PREL32) {
        if (R.r_offset + 4 > TS.Data.size())
          return makeError("relocation at " + Where + " runs past its section");
        MR.Before = support::endian::read32le(&TS.Data[R.r_offset]); // the instruction
      }
      M.Relocs.push_back(std::move(MR));
    }
  }

  // Hashes of every allocated section's bytes, relocated fields masked.
  for (size_t MI = 0; MI < ManifestSecs.size(); ++MI) {
    const ObjSection &S = Obj.Sections[ManifestSecs[MI]];
    if (S.Type == ELF::SHT_NOBITS)
      continue;
    std::vector<uint8_t> Masked = S.Data;
    for (const ObjReloc &R : S.Relocs)
      maskRelocation(Obj.Machine, R.Type, Masked, R.Offset);
    std::vector<NamedSpan> Spans;
    for (const ObjSymbol &O : Obj.Symbols)
      if (O.Section == int(ManifestSecs[MI]) && !O.Name.empty() &&
          (O.Type == ELF::STT_FUNC || O.Type == ELF::STT_OBJECT))
        Spans.push_back({O.Value, O.Size, O.Name});
    addRanges(M, MI, Masked, std::move(Spans));
  }
  Out.CodeBytes = Obj.Sections[TextIndex].Data.size();
  Out.ManifestBytes = appendManifest(Obj, TextIndex, M, ManifestSecs);
  Out.Syso = writeRelocatable(Obj);
  return Out;
}

Error checkRootName(StringRef Root) {
  // Roots go into a version script and Go assembly: plain symbol names only.
  if (Root.empty() || any_of(Root, [](char C) {
        return C == '"' || C == ';' || isSpace(C) || !isPrint(C);
      }))
    return makeError("invalid root symbol name '" + Root + "'");
  return Error::success();
}

Error checkSymbolPrefix(StringRef Prefix) {
  if (any_of(Prefix, [](char C) { return !isAlnum(C) && C != '_'; }) ||
      (!Prefix.empty() && isDigit(Prefix.front())))
    return makeError("invalid symbol prefix '" + Prefix +
                     "': letters, digits and '_' only, not starting with a digit");
  return Error::success();
}

} // namespace

std::string PackResult::symbolFor(const std::string &Name) const {
  for (const PackedSymbol &R : Roots)
    if (R.Name == Name)
      return R.Symbol;
  return Name;
}

std::string defaultSymbolPrefix(const std::string &GoPackage, const std::string &Disambiguator) {
  std::string Prefix = "gotramp_" + GoPackage + "_";
  if (!Disambiguator.empty())
    Prefix += utohexstr(xxh3_64bits(Disambiguator) & 0xffffffffu, /*LowerCase=*/true, 8) + "_";
  return Prefix;
}

const std::vector<std::string> &shimSymbols() {
  static const std::vector<std::string> Names = {"memcpy", "memmove", "memset",
                                                 "memcmp", "bcmp",    "strlen"};
  return Names;
}


Expected<std::map<std::string, std::string>>
listDefinedSymbols(const std::vector<std::string> &ObjectPaths,
                   const Target &Tgt) {
  std::map<std::string, std::string> Defined;
  std::set<std::string> WeakOnly;
  for (const std::string &Path : ObjectPaths) {
    Expected<std::unique_ptr<MemoryBuffer>> Buf = readFile(Path);
    if (!Buf)
      return Buf.takeError();
    if (identify_magic((*Buf)->getBuffer()) != file_magic::archive) {
      if (Error E = addObjectSymbols((*Buf)->getMemBufferRef(), Path, Tgt,
                                     Defined, WeakOnly))
        return E;
      continue;
    }
    auto ArOrErr = object::Archive::create((*Buf)->getMemBufferRef());
    if (!ArOrErr)
      return createFileError(Path, ArOrErr.takeError());
    Error Err = Error::success();
    for (const object::Archive::Child &C : (*ArOrErr)->children(Err)) {
      Expected<StringRef> Name = C.getName();
      if (!Name) {
        consumeError(std::move(Err));
        return createFileError(Path, Name.takeError());
      }
      std::string Display = Path + "(" + Name->str() + ")";
      Expected<MemoryBufferRef> MB = C.getMemoryBufferRef();
      if (!MB) {
        consumeError(std::move(Err));
        return createFileError(Display, MB.takeError());
      }
      if (Error E = addObjectSymbols(*MB, Display, Tgt, Defined, WeakOnly)) {
        consumeError(std::move(Err));
        return E;
      }
    }
    if (Err)
      return createFileError(Path, std::move(Err));
  }
  return Defined;
}

Expected<PackResult> packObjects(const PackRequest &Req) {
  if (Req.Roots.empty())
    return makeError("no root symbols to pack");
  if (Req.ObjectPaths.empty())
    return makeError("no native objects to pack");
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
    if (!Defined->count(Root))
      return makeError("root symbol '" + Root +
                       "' is not defined by any input (" +
                       join(Req.ObjectPaths, ", ") + ")");

  TempFiles Temps;
  std::string Paths[5];
  const char *Suffixes[5] = {"ld", "ld", "map", "o", "so"};
  for (int I = 0; I < 5; ++I) {
    Expected<std::string> P = Temps.create(Suffixes[I]);
    if (!P)
      return P.takeError();
    Paths[I] = std::move(*P);
  }
  const std::string &MergeScript = Paths[0], &BlobScript = Paths[1],
                    &VersionScript = Paths[2], &MergedPath = Paths[3],
                    &BlobPath = Paths[4];

  std::string Versions = "{\n  global:\n";
  for (const std::string &Root : Req.Roots)
    Versions += "    \"" + Root + "\";\n"; // quoted: matched literally
  Versions += "  local: *;\n};\n";
  if (Error E = writeFile(MergeScript, mergeLinkerScript()))
    return E;
  if (Error E = writeFile(BlobScript, blobLinkerScript()))
    return E;
  if (Error E = writeFile(VersionScript, Versions))
    return E;

  std::vector<std::string> Common = {"-m", lldEmulation(Req.Tgt).str(),
                                     "--gc-sections", "--error-limit=0",
                                     "--color-diagnostics=never"};
  // -u makes lld extract the archive member defining the root and keeps it
  // live under --gc-sections.
  for (const std::string &Root : Req.Roots)
    Common.push_back("--undefined=" + Root);
  std::vector<std::string> Inputs = Req.ObjectPaths;

  // Link 1: relocatable merge; -d gives common symbols space in .bss.
  std::unique_ptr<MemoryBuffer> MergedBuf;
  auto merge = [&]() -> Error {
    std::vector<std::string> MergeArgs = Common;
    append_range(MergeArgs, std::vector<std::string>{"-r", "-d", "-T", MergeScript,
                                                     "-o", MergedPath});
    append_range(MergeArgs, Inputs);
    auto Buf = linkWithLld(Req.LldPath, MergeArgs, MergedPath, Temps);
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

  // The mem* routines the kept code calls and no input defines.
  std::vector<std::string> Shims;
  for (const std::string &S : shimSymbols())
    if (Merged->Undefined.count(S))
      Shims.push_back(S);
  if (!Shims.empty()) {
    auto ShimObjects = compileShims(Req, Shims, Temps);
    if (!ShimObjects)
      return ShimObjects.takeError();
    append_range(Inputs, *ShimObjects);
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

  if (Req.Tgt.Architecture == Arch::ARM64)
    if (Error E = checkX28(*MergedFile))
      return E;

  // Link 2: position-independent pre-link. -z notext turns absolute
  // relocations in code into dynamic relocations we can see (DynamicGlue)
  // instead of an error; Go applies them once the binary is dynamic.
  std::vector<std::string> BlobArgs = Common;
  append_range(BlobArgs,
               std::vector<std::string>{
                   "-shared", "-Bsymbolic", "-z", "defs", "-z", "notext", "-z",
                   "norelro", "--build-id=none", "--hash-style=sysv",
                   "--version-script=" + VersionScript, "-T", BlobScript,
                   "-o", BlobPath});
  append_range(BlobArgs, Inputs);
  auto BlobBuf = linkWithLld(Req.LldPath, BlobArgs, BlobPath, Temps);
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
  if (Blob->Reasons.empty()) {
    Result.Strategy = PackStrategy::StaticBlob;
    // Go keeps the section alignment (loadelf sets the symbol's alignment);
    // page-relative arm64 code needs the page offset preserved.
    uint64_t Align = std::max<uint64_t>(Blob->TextAlign, 16);
    if (Merged->PageRelative)
      Align = std::max<uint64_t>(Align, 4096);
    ObjectFile Obj;
    Obj.Machine = elfMachine(Req.Tgt);
    ObjSection Text;
    Text.Name = ".text";
    Text.Flags = ELF::SHF_ALLOC | ELF::SHF_EXECINSTR;
    Text.Align = Align;
    Text.Data.assign(Blob->Text.begin(), Blob->Text.end());
    Obj.Sections.push_back(std::move(Text));
    ObjSection Note;
    Note.Name = ".note.GNU-stack";
    Obj.Sections.push_back(std::move(Note));

    BlobManifest M;
    M.Machine = Obj.Machine;
    M.StaticBlob = true;
    M.PageAligned = Merged->PageRelative;
    M.Label = Req.Label.empty() ? Req.SymbolPrefix : Req.Label;
    M.Sections.push_back({".text", Blob->Text.size(), false, false, true});
    std::vector<NamedSpan> Spans;
    std::vector<PackedFunction> Fns;
    for (const BlobSymbol &B : Blob->Locals) {
      Obj.Symbols.push_back({B.Name, ELF::STB_LOCAL, ELF::STT_FUNC, 0, B.Offset, B.Size});
      Spans.push_back({B.Offset, B.Size, B.Name});
      Fns.push_back({B.Offset, B.Size, B.Name, ""});
    }
    std::set<std::string> Seen;
    for (const BlobSymbol &B : Blob->Roots) {
      std::string Final = Req.SymbolPrefix + B.Name;
      Result.Roots.push_back({B.Name, Final, B.Offset, B.Size});
      if (!Seen.insert(B.Name).second)
        continue;
      Obj.Symbols.push_back({Final, ELF::STB_GLOBAL, ELF::STT_FUNC, 0, B.Offset, B.Size});
      Spans.push_back({B.Offset, B.Size, Final});
      Fns.push_back({B.Offset, B.Size, B.Name, Final});
    }
    Result.Functions = sortFunctions(std::move(Fns));
    Result.CodeBytes = Blob->Text.size();
    addRanges(M, 0, Blob->Text, std::move(Spans));
    Result.ManifestBytes = appendManifest(Obj, 0, M, {0u});
    Result.Syso = writeRelocatable(Obj);
    Result.TextBytes = Blob->Text.size();
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
