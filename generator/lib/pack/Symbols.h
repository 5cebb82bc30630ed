//===- Symbols.h - symbol names and symbol lists of the packer ------------===//
//
// The names the packer gives and checks (roots, the package prefix), the
// symbol tables it reads, the roots and local functions found in the
// pre-linked blob, and the order of PackResult::Functions, the function list
// of crash reports.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "PackCommon.h"

#include "gotramp/pack/Packer.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Object/ELFObjectFile.h"
#include "llvm/Support/Error.h"

#include <cstdint>
#include <string>
#include <vector>

namespace gotramp::pack {

struct BlobInfo; // BlobChecks.h

/// The symbols of an object and the string table their names live in.
struct SymbolTable {
  llvm::ArrayRef<ELFT::Sym> Syms;
  llvm::StringRef Strings;
};

llvm::Expected<SymbolTable> readSymbolTable(const ELFFile &File);

/// Calls Visit for every object in ObjectPaths, archive members one by one
/// (Display names them "lib.a(member.o)"), after checking that each is an
/// ELF relocatable object for Tgt; errors name the file.
llvm::Error forEachInputObject(
    const std::vector<std::string> &ObjectPaths, const Target &Tgt,
    llvm::function_ref<llvm::Error(const llvm::object::ELFObjectFileBase &Obj,
                                   const std::string &Display)>
        Visit);

struct BlobSymbol {
  std::string Name;
  uint64_t Offset = 0;
  uint64_t Size = 0;
};

/// Fills Info.Roots (in request order) and Info.Locals (one per address, none
/// at a root's) from the function symbols in link 2's `.text`, section
/// TextIndex of File.
llvm::Error findBlobSymbols(const ELFFile &File, const PackRequest &Req,
                            const ELFT::Shdr &Text, unsigned TextIndex,
                            BlobInfo &Info);

/// The order of PackResult::Functions (see the definition).
std::vector<PackedFunction> sortFunctions(std::vector<PackedFunction> Fns);

/// A root's name must fit a version script and Go assembly.
llvm::Error checkRootName(llvm::StringRef Root);

/// PackRequest::SymbolPrefix: letters, digits and '_', not starting with a
/// digit.
llvm::Error checkSymbolPrefix(llvm::StringRef Prefix);

} // namespace gotramp::pack
