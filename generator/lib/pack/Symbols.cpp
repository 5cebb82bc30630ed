//===- Symbols.cpp - symbol names and symbol lists of the packer ----------===//
//
// Renaming roots to package-unique names (defaultSymbolPrefix, the checks on
// roots and prefixes, PackResult::symbolFor), what the input objects define
// (listDefinedSymbols, which also rejects foreign or non-ELF inputs), reading
// an ELF symbol table, finding the roots and the local functions in the
// pre-linked blob, and ordering the function list crash reports search.
//
//===----------------------------------------------------------------------===//

#include "Symbols.h"
#include "BlobChecks.h"
#include "gotramp/support/InputFile.h"

#include "gotramp/support/ObjectChecks.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/BinaryFormat/Magic.h"
#include "llvm/Object/Archive.h"
#include "llvm/Object/ELFObjectFile.h"
#include "llvm/Support/xxhash.h"
#include "llvm/TargetParser/Triple.h"

#include <map>
#include <set>
#include <tuple>

using namespace llvm;
using namespace gotramp::pack;

namespace gotramp::pack {
namespace {

std::string describeMachine(const object::ELFObjectFileBase &Obj) {
  Triple::ArchType A = static_cast<Triple::ArchType>(Obj.getArch());
  if (A != Triple::UnknownArch)
    return Triple::getArchTypeName(A).str();
  return "e_machine " + std::to_string(Obj.getEMachine());
}

/// The input object in Buf as an ELF object gotramp can pack for Tgt: ELF
/// (not bitcode), 64-bit little-endian, Tgt's machine, relocatable. Errors
/// name Display.
Expected<std::unique_ptr<object::ObjectFile>> openInputObject(MemoryBufferRef Buf,
                                                              const std::string &Display,
                                                              const Target &Tgt) {
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
  if (Error E = checkInputKind(Buf, Display))
    return E;
  // Callers walk the symbols and relocations: see ObjectChecks.h.
  if (Error E = checkSectionTables(*Elf, Display))
    return std::move(E);
  return std::move(*ObjOrErr);
}

/// Adds the defined global and weak symbols of one object to Out; a strong
/// definition replaces a weak one seen earlier, otherwise the first wins.
Error addObjectSymbols(const object::ELFObjectFileBase &Elf, const std::string &Display,
                       std::map<std::string, std::string> &Out,
                       std::set<std::string> &WeakOnly) {
  for (const object::SymbolRef &Sym : Elf.symbols()) {
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

} // namespace

Error forEachInputObject(
    const std::vector<std::string> &ObjectPaths, const Target &Tgt,
    function_ref<Error(const object::ELFObjectFileBase &, const std::string &)> Visit) {
  auto visitOne = [&](MemoryBufferRef Buf, const std::string &Display) -> Error {
    auto Obj = openInputObject(Buf, Display, Tgt);
    if (!Obj)
      return Obj.takeError();
    return Visit(cast<object::ELFObjectFileBase>(**Obj), Display);
  };
  for (const std::string &Path : ObjectPaths) {
    auto Buf = readInputFile(Path, "--object", MaxObjectBytes);
    if (!Buf)
      return Buf.takeError();
    if (Error E = checkInputKind((*Buf)->getMemBufferRef(), Path))
      return E;
    if (identify_magic((*Buf)->getBuffer()) != file_magic::archive) {
      if (Error E = visitOne((*Buf)->getMemBufferRef(), Path))
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
      if (Error E = checkArchiveMember(*MB, (*Buf)->getMemBufferRef(), Display)) {
        consumeError(std::move(Err));
        return E;
      }
      if (Error E = visitOne(*MB, Display)) {
        consumeError(std::move(Err));
        return E;
      }
    }
    if (Err)
      return createFileError(Path, std::move(Err));
  }
  return Error::success();
}

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

/// The second half of inspectBlob (BlobChecks.cpp): link 2's functions.
Error findBlobSymbols(const ELFFile &File, const PackRequest &Req,
                      const ELFT::Shdr &Text, unsigned TextIndex,
                      BlobInfo &Info) {
  Expected<SymbolTable> Symtab = readSymbolTable(File);
  if (!Symtab)
    return Symtab.takeError();
  ArrayRef<ELFT::Sym> Syms = Symtab->Syms;
  StringRef StrTab = Symtab->Strings;

  uint64_t Base = Text.sh_addr, Size = Text.sh_size;
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
  return Error::success();
}

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

} // namespace gotramp::pack

namespace gotramp {

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

Expected<std::map<std::string, std::string>>
listDefinedSymbols(const std::vector<std::string> &ObjectPaths,
                   const Target &Tgt) {
  std::map<std::string, std::string> Defined;
  std::set<std::string> WeakOnly;
  if (Error E = pack::forEachInputObject(
          ObjectPaths, Tgt,
          [&](const object::ELFObjectFileBase &Elf, const std::string &Display) {
            return pack::addObjectSymbols(Elf, Display, Defined, WeakOnly);
          }))
    return E;
  return Defined;
}

Error checkInputKind(MemoryBufferRef Buf, const std::string &Display) {
  constexpr const char *Packs = "gotramp packs relocatable objects (.o, from clang -c) and "
                                "static archives of them (.a)";
  file_magic Magic = identify_magic(Buf.getBuffer());
  if (Magic == file_magic::archive) {
    auto Ar = object::Archive::create(Buf);
    if (!Ar)
      return createFileError(Display, Ar.takeError());
    Error Err = Error::success();
    bool Any = false;
    for (const object::Archive::Child &C : (*Ar)->children(Err)) {
      (void)C;
      Any = true;
      break;
    }
    if (Err)
      return createFileError(Display, std::move(Err));
    if (!Any)
      return createFileError(Display, makeError("is an empty archive (no members, so no "
                                                "objects); " + Twine(Packs) +
                                                ": rebuild it from the library's .o files"));
    return Error::success();
  }
  std::string What;
  switch (Magic) {
  case file_magic::elf_shared_object: {
    // ET_DYN is a shared library or a position-independent executable;
    // only the executable asks for a program interpreter.
    What = "a shared library (ELF type ET_DYN)";
    if (auto File = object::ELFFile<object::ELF64LE>::create(Buf.getBuffer()))
      if (auto Phdrs = File->program_headers())
        for (const auto &P : *Phdrs)
          if (P.p_type == ELF::PT_INTERP)
            What = "a position-independent executable (ELF type ET_DYN with an interpreter)";
    break;
  }
  case file_magic::elf_executable:
    What = "an executable (ELF type ET_EXEC)";
    break;
  case file_magic::elf_core:
    What = "a core dump (ELF type ET_CORE)";
    break;
  default:
    return Error::success();
  }
  return createFileError(Display, makeError("is " + What + ", not native code gotramp can "
                                            "pack: " + Packs +
                                            "; pass the objects it was linked from, or "
                                            "build the library as a static archive"));
}

} // namespace gotramp
