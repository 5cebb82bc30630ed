//===- ObjectChecks.cpp - section headers LLVM's object readers trust -----===//
//
// See ObjectChecks.h. The checks mirror what ELFObjectFile::section_rel_end,
// section_rel_begin and symbol_end rely on without checking (LLVM 19).
//
//===----------------------------------------------------------------------===//

#include "gotramp/support/ObjectChecks.h"

#include "llvm/Object/ELFObjectFile.h"

using namespace llvm;

namespace gotramp {
namespace {

/// A debug section of 1 GiB is far beyond any native library gotramp binds.
constexpr uint64_t MaxDecompressedBytes = uint64_t(1) << 30;

template <class ELFT>
Error checkSections(const object::ELFFile<ELFT> &File, const std::string &Display) {
  auto Sections = File.sections();
  if (!Sections)
    return createFileError(Display, Sections.takeError());
  auto fail = [&](unsigned Index, const Twine &What) {
    return createStringError(inconvertibleErrorCode(),
                             Display + ": malformed ELF object: section " + Twine(Index) +
                                 " " + What + "; rebuild the object");
  };
  unsigned Index = 0;
  for (const typename ELFT::Shdr &S : *Sections) {
    unsigned I = Index++;
    // DWARFContext allocates a compressed section's ch_size up front, before
    // decompressing anything: a mutated header asked for 44 GB.
    if (S.sh_flags & ELF::SHF_COMPRESSED) {
      auto Contents = File.getSectionContents(S);
      if (!Contents) {
        consumeError(Contents.takeError());
        return fail(I, "(compressed) lies outside the file");
      }
      if (Contents->size() < sizeof(typename ELFT::Chdr))
        return fail(I, "(compressed) is too small for its compression header");
      const auto *Chdr = reinterpret_cast<const typename ELFT::Chdr *>(Contents->data());
      if (uint64_t(Chdr->ch_size) > MaxDecompressedBytes)
        return fail(I, "(compressed) says it decompresses to " + Twine(uint64_t(Chdr->ch_size)) +
                           " bytes, more than the " + Twine(MaxDecompressedBytes) +
                           " gotramp accepts");
    }
    // symbol_end counts sh_size / sizeof(Sym) symbols without checking that
    // they are in the file; each then fails on its own, which with a size
    // of 2^59 takes forever.
    if (S.sh_type == ELF::SHT_SYMTAB || S.sh_type == ELF::SHT_DYNSYM) {
      if (auto Contents = File.getSectionContents(S); !Contents) {
        consumeError(Contents.takeError());
        return fail(I, "(symbol table) lies outside the file");
      }
      if (S.sh_size % sizeof(typename ELFT::Sym))
        return fail(I, "(symbol table) has size " + Twine(S.sh_size) +
                           ", not a multiple of " + Twine(sizeof(typename ELFT::Sym)));
      continue;
    }
    uint64_t Want;
    if (S.sh_type == ELF::SHT_REL)
      Want = sizeof(typename ELFT::Rel);
    else if (S.sh_type == ELF::SHT_RELA)
      Want = sizeof(typename ELFT::Rela);
    else if (S.sh_type == ELF::SHT_CREL)
      Want = 0;
    else
      continue;
    // section_rel_end aborts when sh_link names no section.
    if (auto Link = File.getSection(S.sh_link); !Link) {
      consumeError(Link.takeError());
      return fail(I, "(relocations) links to section " + Twine(S.sh_link) +
                         ", which does not exist");
    }
    if (Want) {
      // section_rel_end divides sh_size by sh_entsize.
      if (S.sh_entsize != Want)
        return fail(I, "(relocations) has entry size " + Twine(S.sh_entsize) + ", not " +
                           Twine(Want));
      if (S.sh_size % Want)
        return fail(I, "(relocations) has size " + Twine(S.sh_size) +
                           ", not a multiple of its entry size " + Twine(Want));
    }
    // section_rel_begin reads a CREL section's contents with cantFail.
    if (auto Contents = File.getSectionContents(S); !Contents) {
      consumeError(Contents.takeError());
      return fail(I, "(relocations) lies outside the file");
    }
  }
  return Error::success();
}

} // namespace

Error checkSectionTables(const object::ObjectFile &Obj, const std::string &Display) {
  if (const auto *O = dyn_cast<object::ELF64LEObjectFile>(&Obj))
    return checkSections(O->getELFFile(), Display);
  if (const auto *O = dyn_cast<object::ELF64BEObjectFile>(&Obj))
    return checkSections(O->getELFFile(), Display);
  if (const auto *O = dyn_cast<object::ELF32LEObjectFile>(&Obj))
    return checkSections(O->getELFFile(), Display);
  if (const auto *O = dyn_cast<object::ELF32BEObjectFile>(&Obj))
    return checkSections(O->getELFFile(), Display);
  return Error::success();
}

Error checkArchiveMember(MemoryBufferRef Member, MemoryBufferRef Archive,
                         const std::string &Display) {
  const char *Begin = Archive.getBufferStart(), *End = Archive.getBufferEnd();
  if (Member.getBufferStart() < Begin || Member.getBufferStart() > End ||
      Member.getBufferSize() > size_t(End - Member.getBufferStart()))
    return createStringError(inconvertibleErrorCode(),
                             Display + ": malformed archive: the member's header says " +
                                 Twine(Member.getBufferSize()) +
                                 " bytes, more than the archive has left; rebuild the archive");
  return Error::success();
}

} // namespace gotramp
