//===- Glibc.cpp - reading glibc's exported symbols and their versions ----===//
//
// A symbol's default version is the one `sym@@VER` names: its .gnu.version
// entry indexes a .gnu.version_d definition and has the hidden bit (0x8000)
// clear. Hidden entries are compat versions kept for old binaries, which a
// new link never binds; GLIBC_PRIVATE is glibc's internal interface. Both
// count as not exported.
//
//===----------------------------------------------------------------------===//

#include "gotramp/pack/Glibc.h"

#include "PackCommon.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

using namespace llvm;
using namespace gotramp::pack;

namespace gotramp {

std::vector<std::string> glibcLibraryPaths(const Target &Tgt) {
  if (Tgt.Architecture == Arch::AMD64)
    return {"/lib/x86_64-linux-gnu/libc.so.6", "/lib/x86_64-linux-gnu/libm.so.6"};
  // arm64's stack protector reads the global __stack_chk_guard, which the
  // dynamic loader defines.
  std::string Dir = "/usr/aarch64-linux-gnu/lib/";
  return {Dir + "libc.so.6", Dir + "libm.so.6", Dir + "ld-linux-aarch64.so.1"};
}

bool glibcVersionNewer(StringRef A, StringRef B) {
  auto parts = [](StringRef V) {
    V.consume_front("GLIBC_");
    SmallVector<StringRef, 4> Fields;
    V.split(Fields, '.');
    std::vector<unsigned> Out;
    for (StringRef F : Fields) {
      unsigned N = 0;
      Out.push_back(F.getAsInteger(10, N) ? 0 : N);
    }
    return Out;
  };
  return parts(A) > parts(B); // lexicographic over the numbers
}

namespace {

/// The Debian package that puts Path there, for the "missing" message.
std::string packageFor(const Target &Tgt) {
  return Tgt.Architecture == Arch::AMD64 ? "libc6" : "libc6-arm64-cross";
}

/// Reads the dynamic symbols Path exports into Symbols (the first one read
/// wins, as the loader's search order). Glibc: only public GLIBC_ default
/// versions count, and the library must be versioned; otherwise (any shared
/// library) a symbol's default version is whatever it is, and a symbol of
/// an unversioned library, or of the base version, has none. Soname, when
/// given, gets DT_SONAME (or the file name without one).
Error readExports(StringRef Path, const Target &Tgt, bool Glibc,
                  std::map<std::string, GlibcSymbol, std::less<>> &Symbols,
                  std::string *Soname = nullptr) {
  std::string What = Glibc ? "libc mode reads the " + Tgt.goName() +
                                 " glibc's exported symbols from it (Debian package " +
                                 packageFor(Tgt) + ")"
                           : "gotramp reads the shared library's exported symbols from it";
  if (!sys::fs::exists(Path))
    return makeError(Path + ": not found; " + What);
  auto Buf = readFile(Path);
  if (!Buf)
    return Buf.takeError();
  auto File = ELFFile::create((*Buf)->getBuffer());
  if (!File)
    return makeError(Path + ": not an ELF file: " + toString(File.takeError()));
  if (File->getHeader().e_type != ELF::ET_DYN)
    return makeError(Path + ": not a shared library");
  if (File->getHeader().e_machine != elfMachine(Tgt))
    return makeError(Path + ": built for another machine than " + Tgt.goName() +
                     (Glibc ? "" : " (give the " + Tgt.goName() + " build of the library, as "
                                   "--shared-library " + Tgt.goName() + "=PATH)"));
  auto Sections = File->sections();
  if (!Sections)
    return Sections.takeError();
  const ELFT::Shdr *DynSym = nullptr, *VerSym = nullptr, *VerDef = nullptr, *Dynamic = nullptr;
  for (const ELFT::Shdr &S : *Sections) {
    if (S.sh_type == ELF::SHT_DYNSYM)
      DynSym = &S;
    else if (S.sh_type == ELF::SHT_GNU_versym)
      VerSym = &S;
    else if (S.sh_type == ELF::SHT_GNU_verdef)
      VerDef = &S;
    else if (S.sh_type == ELF::SHT_DYNAMIC)
      Dynamic = &S;
  }
  if (Glibc && (!DynSym || !VerSym || !VerDef))
    return makeError(Path + ": has no versioned dynamic symbol table (.dynsym, .gnu.version, "
                            ".gnu.version_d); is it glibc?");
  if (!DynSym)
    return makeError(Path + ": has no dynamic symbol table (.dynsym): it exports nothing");
  std::string Library = sys::path::filename(Path).str();
  if (Soname) {
    *Soname = Library;
    if (Dynamic) {
      auto Entries = File->template getSectionContentsAsArray<ELFT::Dyn>(*Dynamic);
      auto DynStr = File->getSection(Dynamic->sh_link);
      if (Entries && DynStr)
        if (auto Strings = File->getStringTable(**DynStr))
          for (const ELFT::Dyn &D : *Entries)
            if (D.d_tag == ELF::DT_SONAME && D.getVal() < Strings->size())
              *Soname = StringRef(Strings->data() + D.getVal()).str();
      if (!Entries)
        consumeError(Entries.takeError());
      if (!DynStr)
        consumeError(DynStr.takeError());
    }
    Library = *Soname;
  }
  // Version index -> name; the base version (the library's own name) binds
  // like no version.
  std::map<unsigned, std::string> VersionName;
  if (VerDef) {
    auto Defs = File->getVersionDefinitions(*VerDef);
    if (!Defs)
      return makeError(Path + ": " + toString(Defs.takeError()));
    for (const object::VerDef &D : *Defs)
      // LLVM 19 leaves the rest of the string table after the name.
      VersionName[D.Ndx] =
          (D.Flags & ELF::VER_FLG_BASE) ? "" : StringRef(D.Name).split('\0').first.str();
  }
  auto Syms = File->symbols(DynSym);
  if (!Syms)
    return Syms.takeError();
  std::vector<ELFT::Versym> Versions;
  if (VerSym) {
    auto V = File->template getSectionContentsAsArray<ELFT::Versym>(*VerSym);
    if (!V)
      return V.takeError();
    Versions.assign(V->begin(), V->end());
    if (Versions.size() != Syms->size())
      return makeError(Path + ": .gnu.version and .dynsym disagree on the number of symbols");
  }
  auto StrTab = File->getStringTableForSymtab(*DynSym);
  if (!StrTab)
    return StrTab.takeError();
  for (size_t I = 1; I < Syms->size(); ++I) {
    const ELFT::Sym &Sym = (*Syms)[I];
    if (Sym.isUndefined() || Sym.getBinding() == ELF::STB_LOCAL)
      continue;
    std::string Version;
    if (!Versions.empty()) {
      uint16_t V = Versions[I].vs_index;
      if ((V & ELF::VERSYM_HIDDEN) || (V & ELF::VERSYM_VERSION) == ELF::VER_NDX_LOCAL)
        continue;
      if ((V & ELF::VERSYM_VERSION) != ELF::VER_NDX_GLOBAL) {
        auto It = VersionName.find(V & ELF::VERSYM_VERSION);
        if (It == VersionName.end())
          continue;
        Version = It->second;
      }
    }
    if (Glibc && (!StringRef(Version).starts_with("GLIBC_") || Version == "GLIBC_PRIVATE"))
      continue;
    unsigned Type = Sym.getType();
    if (Type != ELF::STT_FUNC && Type != ELF::STT_GNU_IFUNC && Type != ELF::STT_OBJECT &&
        Type != ELF::STT_NOTYPE)
      continue;
    auto Name = Sym.getName(*StrTab);
    if (!Name)
      return Name.takeError();
    // The first library listed wins, as the dynamic loader's search order.
    Symbols.try_emplace(Name->str(), GlibcSymbol{Library, Version, Type == ELF::STT_OBJECT});
  }
  return Error::success();
}

} // namespace

Expected<GlibcExports> GlibcExports::load(const std::vector<std::string> &Paths,
                                          const Target &Tgt) {
  GlibcExports Out;
  for (const std::string &P : Paths) {
    if (Error E = readExports(P, Tgt, /*Glibc=*/true, Out.Symbols))
      return std::move(E);
    Out.Libraries.push_back(sys::path::filename(P).str());
  }
  return Out;
}

std::optional<GlibcSymbol> GlibcExports::lookup(StringRef Name) const {
  auto It = Symbols.find(Name);
  if (It == Symbols.end())
    return std::nullopt;
  return It->second;
}

std::string GlibcExports::describe() const { return join(Libraries, ", "); }

} // namespace gotramp

namespace gotramp {

std::vector<std::string> sharedLibraryDirs(const Target &Tgt) {
  if (Tgt.Architecture == Arch::AMD64)
    return {"/lib/x86_64-linux-gnu", "/usr/lib/x86_64-linux-gnu"};
  // Debian's cross directory, then multiarch ones when they exist.
  return {"/usr/aarch64-linux-gnu/lib", "/lib/aarch64-linux-gnu", "/usr/lib/aarch64-linux-gnu"};
}

Expected<SharedLibrary> SharedLibrary::load(StringRef Entry, const Target &Tgt,
                                            const std::vector<std::string> &ExtraDirs) {
  SharedLibrary Out;
  if (Entry.contains('/')) {
    Out.Path = Entry.str();
  } else {
    std::vector<std::string> Dirs = ExtraDirs;
    append_range(Dirs, sharedLibraryDirs(Tgt));
    for (const std::string &D : Dirs) {
      SmallString<256> P(D);
      sys::path::append(P, Entry);
      if (sys::fs::exists(P)) {
        Out.Path = std::string(P);
        break;
      }
    }
    if (Out.Path.empty())
      return makeError("shared library '" + Entry + "' for " + Tgt.goName() +
                       " not found in " + join(Dirs, ", ") +
                       "; install it, give its path (--shared-library " + Tgt.goName() +
                       "=PATH) or a directory to search (--shared-library-dir " +
                       Tgt.goName() + "=DIR)");
  }
  if (Error E = readExports(Out.Path, Tgt, /*Glibc=*/false, Out.Exports, &Out.Soname))
    return makeError("shared library: " + toString(std::move(E)));
  return Out;
}

std::optional<GlibcSymbol> SharedLibrary::lookup(StringRef Name) const {
  auto It = Exports.find(Name);
  if (It == Exports.end())
    return std::nullopt;
  return It->second;
}

} // namespace gotramp
