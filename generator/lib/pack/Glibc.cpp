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

Error readLibrary(StringRef Path, const Target &Tgt,
                  std::map<std::string, GlibcSymbol, std::less<>> &Symbols) {
  if (!sys::fs::exists(Path))
    return makeError(Path + ": not found; libc mode reads the " + Tgt.goName() +
                     " glibc's exported symbols from it (Debian package " + packageFor(Tgt) + ")");
  auto Buf = readFile(Path);
  if (!Buf)
    return Buf.takeError();
  auto File = ELFFile::create((*Buf)->getBuffer());
  if (!File)
    return makeError(Path + ": not an ELF file: " + toString(File.takeError()));
  if (File->getHeader().e_type != ELF::ET_DYN)
    return makeError(Path + ": not a shared library");
  if (File->getHeader().e_machine != elfMachine(Tgt))
    return makeError(Path + ": built for another machine than " + Tgt.goName());
  auto Sections = File->sections();
  if (!Sections)
    return Sections.takeError();
  const ELFT::Shdr *DynSym = nullptr, *VerSym = nullptr, *VerDef = nullptr;
  for (const ELFT::Shdr &S : *Sections) {
    if (S.sh_type == ELF::SHT_DYNSYM)
      DynSym = &S;
    else if (S.sh_type == ELF::SHT_GNU_versym)
      VerSym = &S;
    else if (S.sh_type == ELF::SHT_GNU_verdef)
      VerDef = &S;
  }
  if (!DynSym || !VerSym || !VerDef)
    return makeError(Path + ": has no versioned dynamic symbol table (.dynsym, .gnu.version, "
                            ".gnu.version_d); is it glibc?");
  auto Defs = File->getVersionDefinitions(*VerDef);
  if (!Defs)
    return makeError(Path + ": " + toString(Defs.takeError()));
  std::map<unsigned, std::string> VersionName;
  for (const object::VerDef &D : *Defs)
    // LLVM 19 leaves the rest of the string table after the name.
    VersionName[D.Ndx] = StringRef(D.Name).split('\0').first.str();
  auto Syms = File->symbols(DynSym);
  if (!Syms)
    return Syms.takeError();
  auto Versions = File->template getSectionContentsAsArray<ELFT::Versym>(*VerSym);
  if (!Versions)
    return Versions.takeError();
  if (Versions->size() != Syms->size())
    return makeError(Path + ": .gnu.version and .dynsym disagree on the number of symbols");
  auto StrTab = File->getStringTableForSymtab(*DynSym);
  if (!StrTab)
    return StrTab.takeError();
  std::string Library = sys::path::filename(Path).str();
  for (size_t I = 1; I < Syms->size(); ++I) {
    const ELFT::Sym &Sym = (*Syms)[I];
    uint16_t V = (*Versions)[I].vs_index;
    if (Sym.isUndefined() || (V & ELF::VERSYM_HIDDEN) || Sym.getBinding() == ELF::STB_LOCAL)
      continue;
    auto It = VersionName.find(V & ELF::VERSYM_VERSION);
    if (It == VersionName.end() || !StringRef(It->second).starts_with("GLIBC_") ||
        It->second == "GLIBC_PRIVATE")
      continue;
    unsigned Type = Sym.getType();
    if (Type != ELF::STT_FUNC && Type != ELF::STT_GNU_IFUNC && Type != ELF::STT_OBJECT &&
        Type != ELF::STT_NOTYPE)
      continue;
    auto Name = Sym.getName(*StrTab);
    if (!Name)
      return Name.takeError();
    // The first library listed wins, as the dynamic loader's search order.
    Symbols.try_emplace(Name->str(), GlibcSymbol{Library, It->second, Type == ELF::STT_OBJECT});
  }
  return Error::success();
}

} // namespace

Expected<GlibcExports> GlibcExports::load(const std::vector<std::string> &Paths,
                                          const Target &Tgt) {
  GlibcExports Out;
  for (const std::string &P : Paths) {
    if (Error E = readLibrary(P, Tgt, Out.Symbols))
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
