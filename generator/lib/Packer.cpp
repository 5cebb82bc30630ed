//===- Packer.cpp - native objects -> .syso --------------------------------===//
//
// packObjects runs ld.lld twice on the user's inputs:
//
//  1. `ld.lld -r --gc-sections -u ROOT...`: one relocatable object holding
//     exactly what the roots reach. It is inspected for what Go cannot run at
//     all (TLS, constructors, weak undefined references, roots that are not
//     functions) and it is the .syso of the DynamicGlue strategy.
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
//===----------------------------------------------------------------------===//

#include "gotramp/Packer.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/BinaryFormat/ELF.h"
#include "llvm/BinaryFormat/Magic.h"
#include "llvm/Object/Archive.h"
#include "llvm/Object/ELF.h"
#include "llvm/Object/ELFObjectFile.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MathExtras.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/TargetParser/Triple.h"

#include <algorithm>
#include <cstring>
#include <set>

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

/// Link 1. lld drops `.note.GNU-stack` from -r output unless a rule keeps it;
/// without it GNU ld (Go's external link mode) warns about an executable stack.
std::string mergeLinkerScript() {
  return std::string("SECTIONS {\n"
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
  std::vector<std::string> Paths;
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

Expected<LldRun> runLld(StringRef Lld, ArrayRef<std::string> Args,
                        TempFiles &Temps) {
  Expected<std::string> StderrPath = Temps.create("err");
  if (!StderrPath)
    return StderrPath.takeError();
  SmallVector<StringRef, 32> Argv{Lld};
  for (const std::string &A : Args)
    Argv.push_back(A);
  std::optional<StringRef> Redirects[] = {StringRef(""), StringRef(""),
                                          StringRef(*StderrPath)};
  std::string ErrMsg;
  bool ExecFailed = false;
  int Rc = sys::ExecuteAndWait(Lld, Argv, std::nullopt, Redirects,
                               /*SecondsToWait=*/0, /*MemoryLimit=*/0, &ErrMsg,
                               &ExecFailed);
  if (ExecFailed)
    return makeError("cannot run ld.lld at '" + Lld + "': " + ErrMsg);
  LldRun Run;
  Run.ExitCode = Rc;
  if (auto Buf = MemoryBuffer::getFile(*StderrPath))
    Run.Stderr = (*Buf)->getBuffer().rtrim().str();
  if (Rc < 0) // killed by a signal
    return makeError("ld.lld at '" + Lld + "' crashed: " + ErrMsg +
                     (Run.Stderr.empty() ? "" : "\n" + Run.Stderr));
  return Run;
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
    bool Mem = false, StackProtector = false, Tls = false;
    for (const std::string &U : Undefined) {
      StringRef Name = StringRef(U).drop_front().split('\'').first;
      Mem |= Name == "memcpy" || Name == "memmove" || Name == "memset" ||
             Name == "memcmp" || Name == "bcmp";
      StackProtector |= Name.starts_with("__stack_chk_");
      Tls |= Name == "__tls_get_addr";
    }
    Summary = Undefined.size() == 1
                  ? "native code references undefined symbol " + Undefined[0]
                  : "native code references undefined symbols " +
                        join(Undefined, ", ");
    Summary += "; gotramp packs freestanding code only";
    if (Mem)
      Summary += " (add the freestanding mem* routines from runtime-shims to "
                 "the inputs)";
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
  uint64_t ReadOnlyBytes = 0;
  uint64_t WritableBytes = 0;
  std::map<std::string, FoundSymbol> Roots;
};

Expected<const ELFT::Shdr *> findSymtab(const ELFFile &File) {
  auto Sections = File.sections();
  if (!Sections)
    return Sections.takeError();
  for (const ELFT::Shdr &S : *Sections)
    if (S.sh_type == ELF::SHT_SYMTAB)
      return &S;
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

  Expected<const ELFT::Shdr *> Symtab = findSymtab(File);
  if (!Symtab)
    return Symtab.takeError();
  auto Syms = File.symbols(*Symtab);
  if (!Syms)
    return Syms.takeError();
  auto StrTab = File.getStringTableForSymtab(**Symtab);
  if (!StrTab)
    return StrTab.takeError();

  StringSet<> RootSet;
  for (const std::string &R : Req.Roots)
    RootSet.insert(R);
  std::map<std::string, const ELFT::Sym *> RootSyms;
  for (const ELFT::Sym &Sym : *Syms) {
    Expected<StringRef> Name = Sym.getName(*StrTab);
    if (!Name)
      return Name.takeError();
    if (Sym.getType() == ELF::STT_TLS)
      return makeError(tlsWhy(Req.Tgt) + " ('" + *Name + "' is thread-local)");
    if (Sym.isUndefined() && Sym.getBinding() == ELF::STB_WEAK &&
        !Name->empty())
      return makeError("weak reference to undefined symbol '" + *Name +
                       "' is not supported: the packed code must define "
                       "everything it references");
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

  Expected<const ELFT::Shdr *> Symtab = findSymtab(File);
  if (!Symtab)
    return Symtab.takeError();
  auto Syms = File.symbols(*Symtab);
  if (!Syms)
    return Syms.takeError();
  auto StrTab = File.getStringTableForSymtab(**Symtab);
  if (!StrTab)
    return StrTab.takeError();

  uint64_t Base = Text->sh_addr, Size = Text->sh_size;
  StringSet<> RootSet;
  for (const std::string &R : Req.Roots)
    RootSet.insert(R);

  // The version script leaves only the roots global; every other function
  // is local now. A hidden root is local too, so roots are looked up among
  // both, globals first.
  std::map<std::string, BlobSymbol> GlobalFuncs;
  std::map<std::string, std::vector<BlobSymbol>> LocalFuncs;
  for (const ELFT::Sym &Sym : *Syms) {
    if (Sym.st_shndx != TextIndex || Sym.st_value < Base ||
        Sym.st_value - Base >= Size)
      continue;
    Expected<StringRef> Name = Sym.getName(*StrTab);
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

/// Writes an ELF64 relocatable object with one executable `.text` and no
/// relocations. Sections: null, .text, .note.GNU-stack, .symtab, .strtab,
/// .shstrtab. Nothing machine- or run-specific goes in.
std::vector<uint8_t> writeBlobObject(uint16_t Machine, ArrayRef<uint8_t> Text,
                                     uint64_t TextAlign,
                                     ArrayRef<BlobSymbol> Locals,
                                     ArrayRef<BlobSymbol> Globals) {
  enum : unsigned { SecText = 1, SecNote, SecSymtab, SecStrtab, SecShstrtab,
                    NumSections };

  std::string ShStrTab("\0", 1);
  auto addShName = [&](StringRef Name) {
    uint32_t Off = ShStrTab.size();
    ShStrTab += Name;
    ShStrTab += '\0';
    return Off;
  };
  std::string StrTab("\0", 1);
  std::vector<ELFT::Sym> Syms(1);
  std::memset(Syms.data(), 0, sizeof(ELFT::Sym));
  auto addSym = [&](const BlobSymbol &B, unsigned char Binding) {
    ELFT::Sym S;
    std::memset(&S, 0, sizeof(S));
    S.st_name = StrTab.size();
    StrTab += B.Name;
    StrTab += '\0';
    S.setBindingAndType(Binding, ELF::STT_FUNC);
    S.st_other = ELF::STV_DEFAULT;
    S.st_shndx = SecText;
    S.st_value = B.Offset;
    S.st_size = B.Size;
    Syms.push_back(S);
  };
  for (const BlobSymbol &B : Locals)
    addSym(B, ELF::STB_LOCAL);
  unsigned FirstGlobal = Syms.size();
  for (const BlobSymbol &B : Globals)
    addSym(B, ELF::STB_GLOBAL);

  std::vector<uint8_t> Out(sizeof(ELFT::Ehdr), 0);
  auto place = [&](const void *Data, size_t Size, uint64_t Align) {
    Out.resize(alignTo(Out.size(), Align), 0);
    uint64_t Off = Out.size();
    const uint8_t *P = static_cast<const uint8_t *>(Data);
    Out.insert(Out.end(), P, P + Size);
    return Off;
  };
  // File offsets need no page alignment in a relocatable object.
  uint64_t TextOff = place(Text.data(), Text.size(), std::min<uint64_t>(TextAlign, 16));
  uint64_t NoteOff = Out.size();
  uint64_t SymOff = place(Syms.data(), Syms.size() * sizeof(ELFT::Sym), 8);
  uint64_t StrOff = place(StrTab.data(), StrTab.size(), 1);

  ELFT::Shdr Sh[NumSections];
  std::memset(Sh, 0, sizeof(Sh));
  Sh[SecText].sh_name = addShName(".text");
  Sh[SecText].sh_type = ELF::SHT_PROGBITS;
  Sh[SecText].sh_flags = ELF::SHF_ALLOC | ELF::SHF_EXECINSTR;
  Sh[SecText].sh_offset = TextOff;
  Sh[SecText].sh_size = Text.size();
  Sh[SecText].sh_addralign = TextAlign;

  Sh[SecNote].sh_name = addShName(".note.GNU-stack");
  Sh[SecNote].sh_type = ELF::SHT_PROGBITS;
  Sh[SecNote].sh_offset = NoteOff;
  Sh[SecNote].sh_addralign = 1;

  Sh[SecSymtab].sh_name = addShName(".symtab");
  Sh[SecSymtab].sh_type = ELF::SHT_SYMTAB;
  Sh[SecSymtab].sh_offset = SymOff;
  Sh[SecSymtab].sh_size = Syms.size() * sizeof(ELFT::Sym);
  Sh[SecSymtab].sh_link = SecStrtab;
  Sh[SecSymtab].sh_info = FirstGlobal;
  Sh[SecSymtab].sh_addralign = 8;
  Sh[SecSymtab].sh_entsize = sizeof(ELFT::Sym);

  Sh[SecStrtab].sh_name = addShName(".strtab");
  Sh[SecStrtab].sh_type = ELF::SHT_STRTAB;
  Sh[SecStrtab].sh_offset = StrOff;
  Sh[SecStrtab].sh_size = StrTab.size();
  Sh[SecStrtab].sh_addralign = 1;

  Sh[SecShstrtab].sh_name = addShName(".shstrtab");
  Sh[SecShstrtab].sh_type = ELF::SHT_STRTAB;
  Sh[SecShstrtab].sh_size = ShStrTab.size();
  Sh[SecShstrtab].sh_addralign = 1;
  Sh[SecShstrtab].sh_offset = place(ShStrTab.data(), ShStrTab.size(), 1);

  uint64_t ShOff = place(Sh, sizeof(Sh), 8);

  ELFT::Ehdr Eh;
  std::memset(&Eh, 0, sizeof(Eh));
  std::memcpy(Eh.e_ident, ELF::ElfMagic, 4);
  Eh.e_ident[ELF::EI_CLASS] = ELF::ELFCLASS64;
  Eh.e_ident[ELF::EI_DATA] = ELF::ELFDATA2LSB;
  Eh.e_ident[ELF::EI_VERSION] = ELF::EV_CURRENT;
  Eh.e_ident[ELF::EI_OSABI] = ELF::ELFOSABI_NONE;
  Eh.e_type = ELF::ET_REL;
  Eh.e_machine = Machine;
  Eh.e_version = ELF::EV_CURRENT;
  Eh.e_shoff = ShOff;
  Eh.e_ehsize = sizeof(ELFT::Ehdr);
  Eh.e_shentsize = sizeof(ELFT::Shdr);
  Eh.e_shnum = NumSections;
  Eh.e_shstrndx = SecShstrtab;
  std::memcpy(Out.data(), &Eh, sizeof(Eh));
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

} // namespace

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

  // Link 1: relocatable merge.
  std::vector<std::string> MergeArgs = Common;
  append_range(MergeArgs, std::vector<std::string>{"-r", "-T", MergeScript,
                                                   "-o", MergedPath});
  append_range(MergeArgs, Req.ObjectPaths);
  auto MergeRun = runLld(Req.LldPath, MergeArgs, Temps);
  if (!MergeRun)
    return MergeRun.takeError();
  if (MergeRun->ExitCode != 0)
    return lldFailure(*MergeRun);
  auto MergedBuf = readFile(MergedPath);
  if (!MergedBuf)
    return MergedBuf.takeError();
  auto MergedFile = ELFFile::create((*MergedBuf)->getBuffer());
  if (!MergedFile)
    return MergedFile.takeError();
  auto Merged = inspectMerged(*MergedFile, Req);
  if (!Merged)
    return Merged.takeError();

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
  append_range(BlobArgs, Req.ObjectPaths);
  auto BlobRun = runLld(Req.LldPath, BlobArgs, Temps);
  if (!BlobRun)
    return BlobRun.takeError();
  if (BlobRun->ExitCode != 0)
    return lldFailure(*BlobRun);
  auto BlobBuf = readFile(BlobPath);
  if (!BlobBuf)
    return BlobBuf.takeError();
  auto BlobFile = ELFFile::create((*BlobBuf)->getBuffer());
  if (!BlobFile)
    return BlobFile.takeError();
  auto Blob = inspectBlob(*BlobFile, Req);
  if (!Blob)
    return Blob.takeError();

  PackResult Result;
  if (Blob->Reasons.empty()) {
    Result.Strategy = PackStrategy::StaticBlob;
    // Go keeps the section alignment (loadelf sets the symbol's alignment);
    // page-relative arm64 code needs the page offset preserved.
    uint64_t Align = std::max<uint64_t>(Blob->TextAlign, 16);
    if (Merged->PageRelative)
      Align = std::max<uint64_t>(Align, 4096);
    std::vector<BlobSymbol> Globals;
    std::set<std::string> Seen;
    for (const BlobSymbol &B : Blob->Roots)
      if (Seen.insert(B.Name).second)
        Globals.push_back(B);
    Result.Syso = writeBlobObject(elfMachine(Req.Tgt), Blob->Text, Align,
                                  Blob->Locals, Globals);
    Result.TextBytes = Blob->Text.size();
    for (const BlobSymbol &B : Blob->Roots)
      Result.Roots.push_back({B.Name, B.Offset, B.Size});
    return Result;
  }

  // The merged relocatable object is the .syso as is. Root offsets are the
  // symbols' values within their own input-named section (e.g. `.text.foo`),
  // which is 0 for code built with -ffunction-sections.
  Result.Strategy = PackStrategy::DynamicGlue;
  Result.Why = join(Blob->Reasons, "; ");
  StringRef Bytes = (*MergedBuf)->getBuffer();
  Result.Syso.assign(Bytes.begin(), Bytes.end());
  Result.TextBytes = Merged->ReadOnlyBytes;
  Result.DataBytes = Merged->WritableBytes;
  for (const std::string &Root : Req.Roots) {
    const FoundSymbol &F = Merged->Roots.at(Root);
    Result.Roots.push_back({Root, F.Value, F.Size});
  }
  return Result;
}

} // namespace gotramp
