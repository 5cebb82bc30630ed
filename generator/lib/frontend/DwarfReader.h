//===- DwarfReader.h - DIEs -> IR, shared by the DWARF frontend -*- C++ -*-===//
//
// Private to the DWARF frontend (DwarfFrontend.cpp, DwarfTypes.cpp), and like
// them one of the only files that include the LLVM DebugInfo API: the DIE
// attribute helpers both use, and ModuleBuilder, which turns subprogram DIEs
// into IR Functions (DwarfFrontend.cpp) and type DIEs into IR Types, Records
// and Enums (DwarfTypes.cpp).
//
//===----------------------------------------------------------------------===//
#pragma once

#include "gotramp/ir/IR.h"

#include "llvm/BinaryFormat/Dwarf.h"
#include "llvm/DebugInfo/DWARF/DWARFDie.h"

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace gotramp {
namespace detail {

//===-- DIE attributes (DwarfTypes.cpp) -----------------------------------===//

std::string attrString(const llvm::DWARFDie &D, llvm::dwarf::Attribute A);
std::optional<uint64_t> attrUnsigned(const llvm::DWARFDie &D, llvm::dwarf::Attribute A);
gotramp::SourceLocation locationOf(const llvm::DWARFDie &D);
/// D's children, up to the first invalid one. DWARFDie::children() never
/// ends when the unit's DIEs stop early (a bad abbreviation code) inside a
/// list of children: past the last child it yields invalid DIEs forever,
/// because its end is the unit's last DIE, not an invalid one (found by the
/// object fuzzer). Every loop over children goes through this.
std::vector<llvm::DWARFDie> childrenOf(const llvm::DWARFDie &D);

//===-- ModuleBuilder -----------------------------------------------------===//

/// Appends to M the functions, records and enums read from DIEs.
class ModuleBuilder {
public:
  explicit ModuleBuilder(Module &M) : M(M) {}

  /// Rust and C name and spell types differently; set per compile unit.
  bool Rust = false;
  /// The unit is C, where a definition may lack a prototype (K&R style) and
  /// then takes its arguments promoted; set per compile unit.
  bool PrototypesOptional = false;

  // DwarfTypes.cpp
  Type convert(llvm::DWARFDie D, const std::string &NameHint = "");
  // DwarfFrontend.cpp
  void addFunction(llvm::DWARFDie D, const std::string &Symbol);
  // DwarfTypes.cpp
  /// The signature a value of type D points to, as an unnamed
  /// Module::FunctionTypes entry, when D is a pointer (through typedefs and
  /// qualifiers) to a subroutine type.
  std::optional<Function> pointedFunctionType(llvm::DWARFDie D);

private:
  // DwarfFrontend.cpp
  static bool hasParams(const llvm::DWARFDie &D);
  static bool isNever(const llvm::DWARFDie &D);

  // DwarfTypes.cpp
  static uint64_t alignOf(llvm::DWARFDie D, unsigned Depth = 0);
  static uint64_t sizeOf(llvm::DWARFDie D);
  Type convertDie(llvm::DWARFDie D, const std::string &NameHint);
  Type convertBase(llvm::DWARFDie D);
  std::string functionSpelling(llvm::DWARFDie Fn, const std::string &Declarator);
  Type convertPointer(llvm::DWARFDie D);
  bool nullablePointer(llvm::DWARFDie D, Type &Out);
  static std::string rustPath(llvm::DWARFDie D);
  std::optional<Type> goHeader(llvm::DWARFDie D, const std::string &Name);
  Type convertRecordType(llvm::DWARFDie D, const std::string &NameHint);
  void addRecord(llvm::DWARFDie D, const std::string &Name, bool IsUnion);
  Type convertEnumType(llvm::DWARFDie D, const std::string &NameHint);
  Type convertArray(llvm::DWARFDie D);

  Module &M;
  std::map<std::string, size_t> RecordIndex;
  std::set<std::string> SeenEnums;
  /// How deep convert() is nested, to stop at cyclic DWARF.
  unsigned ConvertDepth = 0;
};

} // namespace detail
} // namespace gotramp
