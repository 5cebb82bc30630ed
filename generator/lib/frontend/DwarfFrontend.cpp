//===- DwarfFrontend.cpp - objects' DWARF -> Module (LLVM DebugInfo) -------===//
//
// With DwarfTypes.cpp and DwarfReader.h, the only code that includes the LLVM
// DebugInfo API.
//
// Which functions: the objects' exported functions (global, defined,
// STT_FUNC symbols) that have a DW_TAG_subprogram definition whose linkage
// name (or name, when it has none) is the symbol. Here: the objects and their
// symbol tables, the walk over each unit's subprograms, and the IR Function
// each wanted one becomes; the types in their signatures are read in
// DwarfTypes.cpp.
//
//===----------------------------------------------------------------------===//
#include "gotramp/frontend/DwarfFrontend.h"
#include "gotramp/support/InputFile.h"
#include "gotramp/support/ObjectChecks.h"

#include "DwarfReader.h"

#include "llvm/BinaryFormat/Dwarf.h"
#include "llvm/DebugInfo/DWARF/DWARFContext.h"
#include "llvm/DebugInfo/DWARF/DWARFDie.h"
#include "llvm/DebugInfo/DWARF/DWARFUnit.h"
#include "llvm/Object/Archive.h"
#include "llvm/Object/Binary.h"
#include "llvm/Object/ObjectFile.h"
#include "llvm/ADT/ScopeExit.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/DataExtractor.h"
#include "llvm/Support/MemoryBuffer.h"

#include <set>
#include <vector>

namespace gotramp {
namespace {

using namespace llvm;
using namespace detail;
using llvm::dwarf::Attribute;
using llvm::dwarf::Tag;

/// Crates of the Rust standard library and its private dependencies: their
/// #[no_mangle] functions (memcpy, __rust_alloc, ...) are not the user's API.
const std::set<std::string> &rustSysrootCrates() {
  static const std::set<std::string> Crates = {
      "std",         "core",          "alloc",       "compiler_builtins", "panic_abort",
      "panic_unwind", "std_detect",   "unwind",      "rustc_demangle",    "addr2line",
      "gimli",       "object",        "miniz_oxide", "adler",             "adler2",
      "hashbrown",   "memchr",        "libc",        "cfg_if",            "proc_macro",
      "rustc_std_workspace_core",     "rustc_std_workspace_alloc"};
  return Crates;
}

/// The DIE an attribute of D refers to (through DW_AT_abstract_origin and
/// DW_AT_specification when D itself does not carry it).
DWARFDie referenced(const DWARFDie &D, Attribute A) {
  if (D.find(A))
    return D.getAttributeValueAsReferencedDie(A);
  for (Attribute Via : {dwarf::DW_AT_abstract_origin, dwarf::DW_AT_specification})
    if (DWARFDie Origin = D.getAttributeValueAsReferencedDie(Via))
      return referenced(Origin, A);
  return {};
}

/// Whether DW_LANG value Lang is a C dialect: only there is a function
/// without DW_AT_prototyped really unprototyped (C++ and Rust functions
/// always have prototypes and their DWARF need not say so).
bool prototypesOptional(uint64_t Lang) {
  switch (Lang) {
  case dwarf::DW_LANG_C89:
  case dwarf::DW_LANG_C:
  case dwarf::DW_LANG_C99:
  case dwarf::DW_LANG_C11:
  case dwarf::DW_LANG_C17:
  case dwarf::DW_LANG_ObjC:
    return true;
  default:
    return false;
  }
}

} // namespace

namespace detail {

void ModuleBuilder::addFunction(DWARFDie D, const std::string &Symbol) {
  Function F;
  F.Name = D.getShortName() ? D.getShortName() : Symbol;
  F.Symbol = Symbol;
  F.Location = locationOf(D);
  F.Result = convert(referenced(D, dwarf::DW_AT_type));
  // An out-of-line copy of a function also inlined elsewhere may list only
  // the parameters it uses: take the list from the abstract DIE then.
  DWARFDie Proto = D;
  for (DWARFDie Origin = D.getAttributeValueAsReferencedDie(dwarf::DW_AT_abstract_origin);
       Origin; Origin = Origin.getAttributeValueAsReferencedDie(dwarf::DW_AT_abstract_origin))
    Proto = Origin;
  if (DWARFDie Spec = Proto.getAttributeValueAsReferencedDie(dwarf::DW_AT_specification);
      Spec && !hasParams(Proto))
    Proto = Spec;
  unsigned Index = 0;
  std::vector<Function> InlineTypes;
  for (DWARFDie P : childrenOf(Proto)) {
    if (P.getTag() == dwarf::DW_TAG_unspecified_parameters) {
      F.IsVariadic = true;
      continue;
    }
    if (P.getTag() != dwarf::DW_TAG_formal_parameter)
      continue;
    const char *Name = P.getShortName();
    Parameter Param{Name ? Name : "", convert(referenced(P, dwarf::DW_AT_type))};
    // rustc names unnamed patterns (`_: u32`, `(a, b): (u32, u32)`) "_" or
    // leaves them out; Go needs distinct names.
    if (Param.Name == "_")
      Param.Name = "";
    if (Param.Name.empty() && Rust)
      Param.Name = "arg" + std::to_string(Index);
    // A function-pointer parameter's signature, for Go callbacks (C only:
    // Rust spells its fn types differently), named as the header frontend
    // names an inline one: "FUNCTION.PARAM".
    if (!Rust)
      if (auto FT = pointedFunctionType(referenced(P, dwarf::DW_AT_type))) {
        FT->Name = F.Name + "." + (Param.Name.empty() ? "p" + std::to_string(Index) : Param.Name);
        FT->Location = locationOf(P);
        InlineTypes.push_back(std::move(*FT));
      }
    ++Index;
    F.Params.push_back(std::move(Param));
  }
  if (Rust && F.Result.Kind == TypeKind::Unsupported && isNever(referenced(D, dwarf::DW_AT_type)))
    F.Result = convert(DWARFDie());
  // A K&R definition takes its arguments after the default promotions
  // (float as double, char and short as int), not as its DWARF types say.
  // Without parameters there is nothing to promote.
  if (PrototypesOptional && !F.Params.empty() && !D.findRecursively(dwarf::DW_AT_prototyped))
    F.UnsupportedReason = "defined without a prototype (K&R style), so it takes its arguments "
                          "promoted (float as double, char and short as int), not as declared; "
                          "define it with one: '" +
                          cPrototype(F) + "'";
  if (F.UnsupportedReason.empty())
    llvm::append_range(M.FunctionTypes, InlineTypes);
  M.Functions.push_back(std::move(F));
}

bool ModuleBuilder::hasParams(const DWARFDie &D) {
  for (DWARFDie C : childrenOf(D))
    if (C.getTag() == dwarf::DW_TAG_formal_parameter)
      return true;
  return false;
}

bool ModuleBuilder::isNever(const DWARFDie &D) {
  return D && attrString(D, dwarf::DW_AT_name) == "!";
}

} // namespace detail

namespace {

/// One object file: its exported functions, then its DWARF.
struct ObjectInput {
  std::string Name; // "lib.a(member.o)" or the path
  const object::ObjectFile *Obj = nullptr;
};

/// Whether LLVM 19's line-table parser can read a DWARF 5 directory or file
/// entry of this form; the forms compilers emit there.
bool isLineEntryForm(uint64_t Form) {
  switch (Form) {
  case dwarf::DW_FORM_string:
  case dwarf::DW_FORM_line_strp:
  case dwarf::DW_FORM_strp:
  case dwarf::DW_FORM_strx:
  case dwarf::DW_FORM_strx1:
  case dwarf::DW_FORM_strx2:
  case dwarf::DW_FORM_strx3:
  case dwarf::DW_FORM_strx4:
  case dwarf::DW_FORM_udata:
  case dwarf::DW_FORM_data1:
  case dwarf::DW_FORM_data2:
  case dwarf::DW_FORM_data4:
  case dwarf::DW_FORM_data8:
  case dwarf::DW_FORM_data16:
  case dwarf::DW_FORM_block:
    return true;
  default:
    return false;
  }
}

/// Skips one directory or file entry field of Form (isLineEntryForm).
void skipLineEntryField(DataExtractor &Data, DataExtractor::Cursor &C, uint64_t Form,
                        bool Dwarf64) {
  switch (Form) {
  case dwarf::DW_FORM_string:
    Data.getCStrRef(C);
    return;
  case dwarf::DW_FORM_line_strp:
  case dwarf::DW_FORM_strp:
    Data.skip(C, Dwarf64 ? 8 : 4);
    return;
  case dwarf::DW_FORM_strx:
  case dwarf::DW_FORM_udata:
    Data.getULEB128(C);
    return;
  case dwarf::DW_FORM_block:
    Data.skip(C, Data.getULEB128(C));
    return;
  case dwarf::DW_FORM_strx1:
  case dwarf::DW_FORM_data1:
    Data.skip(C, 1);
    return;
  case dwarf::DW_FORM_strx2:
  case dwarf::DW_FORM_data2:
    Data.skip(C, 2);
    return;
  case dwarf::DW_FORM_strx3:
    Data.skip(C, 3);
    return;
  case dwarf::DW_FORM_strx4:
  case dwarf::DW_FORM_data4:
    Data.skip(C, 4);
    return;
  case dwarf::DW_FORM_data8:
    Data.skip(C, 8);
    return;
  case dwarf::DW_FORM_data16:
    Data.skip(C, 16);
    return;
  }
}

/// LLVM 19's line-table parser, reached through DWARFDie::getDeclFile,
/// crashes (a wild pointer in its error message) on a DWARF 5 directory or
/// file entry format naming a form it does not know (found by the object
/// fuzzer: DW_FORM_data16 of the MD5 turned into 0x5b). This checks the
/// entry formats of every line table of .debug_line before LLVM sees them.
llvm::Error checkLineTables(const object::ObjectFile &Obj, const std::string &Name) {
  for (const object::SectionRef &S : Obj.sections()) {
    Expected<StringRef> SecName = S.getName();
    if (!SecName) {
      consumeError(SecName.takeError());
      continue;
    }
    if (*SecName != ".debug_line")
      continue;
    Expected<StringRef> Contents = S.getContents();
    if (!Contents)
      return createFileError(Name, Contents.takeError());
    DataExtractor Data(*Contents, Obj.isLittleEndian(), /*AddressSize=*/8);
    auto bad = [&](uint64_t Offset, const Twine &What) {
      return createStringError(inconvertibleErrorCode(),
                               Name + ": malformed DWARF: the line table at .debug_line+" +
                                   Twine(Offset) + " " + What + "; rebuild the object");
    };
    uint64_t Offset = 0;
    while (Offset < Contents->size()) {
      DataExtractor::Cursor C(Offset);
      uint64_t Length = Data.getU32(C);
      bool Dwarf64 = Length == 0xffffffffu;
      if (Dwarf64)
        Length = Data.getU64(C);
      uint64_t End = C.tell() + Length;
      uint16_t Version = Data.getU16(C);
      if (!C) {
        consumeError(C.takeError());
        return bad(Offset, "is truncated");
      }
      if (End < C.tell() || End > Contents->size())
        return bad(Offset, "runs past the end of the section");
      if (Version >= 5) {
        Data.skip(C, 2);                 // address_size, segment_selector_size
        Data.skip(C, Dwarf64 ? 8 : 4);   // header_length
        Data.skip(C, 5);                 // minimum_instruction_length .. line_range
        uint8_t OpcodeBase = Data.getU8(C);
        Data.skip(C, OpcodeBase ? OpcodeBase - 1 : 0);
        for (int Table = 0; Table < 2 && C; ++Table) { // directories, then files
          uint8_t FormatCount = Data.getU8(C);
          std::vector<uint64_t> Forms;
          for (uint8_t I = 0; I < FormatCount && C; ++I) {
            Data.getULEB128(C); // content type
            uint64_t Form = Data.getULEB128(C);
            if (C && !isLineEntryForm(Form)) {
              consumeError(C.takeError());
              return bad(Offset, "describes its " + Twine(Table ? "files" : "directories") +
                                     " with form 0x" + Twine::utohexstr(Form) +
                                     ", which LLVM cannot read");
            }
            Forms.push_back(Form);
          }
          uint64_t Count = Data.getULEB128(C);
          for (uint64_t I = 0; I < Count && C && C.tell() <= End; ++I)
            for (uint64_t Form : Forms)
              skipLineEntryField(Data, C, Form, Dwarf64);
        }
        if (!C) {
          consumeError(C.takeError());
          return bad(Offset, "has a truncated header");
        }
      }
      Offset = End;
    }
  }
  return Error::success();
}

llvm::Error checkArch(const object::ObjectFile &Obj, const Target &Tgt, const std::string &Name) {
  Triple::ArchType Want = Tgt.Architecture == Arch::AMD64 ? Triple::x86_64 : Triple::aarch64;
  if (!Obj.isELF())
    return createStringError(inconvertibleErrorCode(), Name + ": not an ELF object");
  if (Obj.getArch() != Want)
    return createStringError(inconvertibleErrorCode(),
                             Name + ": built for " + Triple::getArchTypeName(Obj.getArch()) +
                                 ", not for " + Tgt.goName());
  // The symbols and, through DWARFContext, the relocations of debug sections
  // are walked next: see ObjectChecks.h.
  if (Error E = checkSectionTables(Obj, Name))
    return E;
  return checkLineTables(Obj, Name);
}

std::set<std::string> exportedFunctions(const object::ObjectFile &Obj) {
  std::set<std::string> Out;
  for (const object::SymbolRef &S : Obj.symbols()) {
    auto Flags = S.getFlags();
    auto Type = S.getType();
    auto Name = S.getName();
    if (!Flags || !Type || !Name) {
      consumeError(Flags.takeError());
      consumeError(Type.takeError());
      consumeError(Name.takeError());
      continue;
    }
    if ((*Flags & object::SymbolRef::SF_Global) && !(*Flags & object::SymbolRef::SF_Undefined) &&
        *Type == object::SymbolRef::ST_Function)
      Out.insert(Name->str());
  }
  return Out;
}

bool isDefinition(const DWARFDie &D) {
  return D.find(dwarf::DW_AT_low_pc) || D.find(dwarf::DW_AT_ranges);
}

/// Why an object that exports functions gave none: what its debug info
/// lacks, and the flag that produced it.
std::string missingDwarfReason(DWARFContext &Ctx) {
  bool AnyUnit = false, AnySubprogram = false;
  std::string Dwo;
  for (const auto &CU : Ctx.compile_units()) {
    AnyUnit = true;
    DWARFDie Unit = CU->getUnitDIE(/*ExtractUnitDIEOnly=*/false);
    if (!Unit)
      continue;
    if (CU->getUnitType() == dwarf::DW_UT_skeleton || Unit.find(dwarf::DW_AT_dwo_name) ||
        Unit.find(dwarf::DW_AT_GNU_dwo_name)) {
      Dwo = attrString(Unit, dwarf::DW_AT_dwo_name);
      if (Dwo.empty())
        Dwo = attrString(Unit, dwarf::DW_AT_GNU_dwo_name);
      if (Dwo.empty())
        Dwo = "a .dwo file";
    }
    for (const DWARFDebugInfoEntry &E : CU->dies())
      AnySubprogram |= E.getTag() == dwarf::DW_TAG_subprogram;
  }
  if (!AnyUnit)
    return "has no debug info";
  if (!Dwo.empty())
    return "has split DWARF (-gsplit-dwarf): the function descriptions are in " + Dwo +
           ", which gotramp does not read";
  if (!AnySubprogram)
    return "has line tables only (-gline-tables-only or -g1): no function descriptions";
  return "describes none of its exported functions in its debug info";
}

} // namespace

llvm::Expected<Module> parseDwarf(const DwarfInput &Input, const Target &Tgt) {
  if (Input.Objects.empty())
    return createStringError(inconvertibleErrorCode(), "no object to read debug info from");
  std::vector<std::unique_ptr<MemoryBuffer>> Buffers;
  std::vector<std::unique_ptr<object::Binary>> Binaries;
  std::vector<ObjectInput> Objects;
  for (const std::string &Path : Input.Objects) {
    auto Buf = readInputFile(Path, "--object", MaxObjectBytes);
    if (!Buf)
      return Buf.takeError();
    auto Bin = object::createBinary((*Buf)->getMemBufferRef());
    if (!Bin)
      return createFileError(Path, Bin.takeError());
    if (auto *A = dyn_cast<object::Archive>(Bin->get())) {
      Error Err = Error::success();
      for (const object::Archive::Child &C : A->children(Err)) {
        auto fail = [&](Error E) {
          consumeError(std::move(Err));
          return createFileError(Path, std::move(E));
        };
        Expected<StringRef> MemberName = C.getName();
        if (!MemberName)
          return fail(MemberName.takeError());
        std::string Name = Path + "(" + MemberName->str() + ")";
        Expected<MemoryBufferRef> MB = C.getMemoryBufferRef();
        if (!MB)
          return fail(MB.takeError());
        if (Error E = checkArchiveMember(*MB, (*Buf)->getMemBufferRef(), Name)) {
          consumeError(std::move(Err));
          return E;
        }
        auto Member = object::createBinary(*MB);
        if (!Member) {
          consumeError(Member.takeError()); // not an object (e.g. lib.rmeta)
          continue;
        }
        auto *Obj = dyn_cast<object::ObjectFile>(Member->get());
        if (!Obj)
          continue;
        if (Error E = checkArch(*Obj, Tgt, Name)) {
          consumeError(std::move(Err));
          return E;
        }
        Objects.push_back({Name, Obj});
        Binaries.push_back(std::move(*Member));
      }
      if (Err)
        return createFileError(Path, std::move(Err));
    } else if (auto *Obj = dyn_cast<object::ObjectFile>(Bin->get())) {
      if (Error E = checkArch(*Obj, Tgt, Path))
        return E;
      Objects.push_back({Path, Obj});
    } else {
      return createStringError(inconvertibleErrorCode(), Path + ": not an object or archive");
    }
    Binaries.push_back(std::move(*Bin));
    Buffers.push_back(std::move(*Buf));
  }

  std::set<std::string> Only(Input.Only.begin(), Input.Only.end());
  std::set<std::string> Crates(Input.Crates.begin(), Input.Crates.end());
  std::set<std::string> Done;
  Module M;
  M.Triple = Tgt.triple();
  ModuleBuilder Builder(M);
  // Objects that export functions but gave none, with why: the error when
  // no object gives any.
  std::vector<std::string> Undescribed;
  for (const ObjectInput &OI : Objects) {
    std::set<std::string> Exported = exportedFunctions(*OI.Obj);
    if (Exported.empty())
      continue;
    auto Ctx = DWARFContext::create(*OI.Obj, DWARFContext::ProcessDebugRelocations::Process,
                                    nullptr, "", [](Error E) { consumeError(std::move(E)); },
                                    [](Error E) { consumeError(std::move(E)); });
    size_t Before = Done.size();
    auto Found = make_scope_exit([&] {
      if (Done.size() == Before)
        Undescribed.push_back(OI.Name + " " + missingDwarfReason(*Ctx));
    });
    for (const auto &CU : Ctx->compile_units()) {
      DWARFDie Unit = CU->getUnitDIE(/*ExtractUnitDIEOnly=*/false);
      if (!Unit)
        continue;
      uint64_t Lang = attrUnsigned(Unit, dwarf::DW_AT_language).value_or(0);
      Builder.Rust = Lang == dwarf::DW_LANG_Rust;
      Builder.PrototypesOptional = prototypesOptional(Lang);
      // Depth-first over the unit, keeping the outermost namespace (the Rust crate).
      std::vector<std::pair<DWARFDie, std::string>> Stack{{Unit, ""}};
      while (!Stack.empty()) {
        auto [D, Crate] = Stack.back();
        Stack.pop_back();
        Tag T = D.getTag();
        if (T == dwarf::DW_TAG_subprogram && isDefinition(D)) {
          const char *Linkage = D.getLinkageName();
          const char *Short = D.getShortName();
          std::string Symbol = Linkage ? Linkage : Short ? Short : "";
          bool Wanted = !Symbol.empty() && Exported.count(Symbol) && !Done.count(Symbol);
          if (Wanted && !Only.empty())
            Wanted = Only.count(Symbol) != 0;
          else if (Wanted && llvm::StringRef(D.getDeclFile(
                                 DILineInfoSpecifier::FileLineInfoKind::AbsoluteFilePath))
                                 .starts_with("/rustc/"))
            Wanted = false; // the Rust sysroot's (compiler-builtins' C code, std)
          else if (Wanted && Builder.Rust) {
            llvm::StringRef S(Symbol);
            Wanted = Crates.empty() ? !rustSysrootCrates().count(Crate) : Crates.count(Crate) != 0;
            Wanted = Wanted && !S.starts_with("_ZN") && !S.starts_with("_R") &&
                     !S.starts_with("__rust") && !S.starts_with("rust_");
          }
          if (Wanted) {
            Done.insert(Symbol);
            Builder.addFunction(D, Symbol);
          }
          continue; // nested subprograms are not exported
        }
        if (T != dwarf::DW_TAG_compile_unit && T != dwarf::DW_TAG_namespace &&
            T != dwarf::DW_TAG_module && T != dwarf::DW_TAG_structure_type &&
            T != dwarf::DW_TAG_class_type && T != dwarf::DW_TAG_enumeration_type &&
            T != dwarf::DW_TAG_union_type)
          continue;
        std::string Inner = Crate;
        if (T == dwarf::DW_TAG_namespace && Crate.empty())
          Inner = attrString(D, dwarf::DW_AT_name);
        std::vector<DWARFDie> Children;
        for (DWARFDie C : childrenOf(D))
          Children.push_back(C);
        for (auto I = Children.rbegin(); I != Children.rend(); ++I)
          Stack.push_back({*I, Inner});
      }
    }
  }
  for (const std::string &S : Only)
    if (!Done.count(S))
      return createStringError(inconvertibleErrorCode(),
                               "no object exports a function '" + S +
                                   "' with debug info (build it with -g, or "
                                   "-C debuginfo=2 for Rust)");
  if (Done.empty()) {
    std::vector<std::string> Names;
    for (const ObjectInput &OI : Objects)
      Names.push_back(OI.Name);
    std::string Why = Undescribed.empty()
                          ? "no object exports a function (" + llvm::join(Names, ", ") + ")"
                          : "no object describes an exported function in DWARF: " +
                                llvm::join(Undescribed, "; ");
    return createStringError(
        inconvertibleErrorCode(),
        "nothing to bind for " + Tgt.goName() + ": " + Why +
            ". Without --header, gotramp reads the signatures from the objects' debug info: "
            "compile with -g (full DWARF in the object, not -gsplit-dwarf or "
            "-gline-tables-only; -C debuginfo=2 for Rust), or pass the header with --header");
  }
  return M;
}

} // namespace gotramp
