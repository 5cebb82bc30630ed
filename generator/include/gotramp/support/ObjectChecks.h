//===- ObjectChecks.h - section headers LLVM's object readers trust -------===//
//
// LLVM's ELFObjectFile aborts the process (report_fatal_error) or divides by
// zero when it walks the relocations of a section whose header is
// malformed (a relocation section linked to no section, or with entry size
// 0), and takes forever over a symbol table that claims 2^59 symbols not in
// the file, and allocates whatever size a compressed section's header
// claims. Every reader of user objects that iterates relocations or
// symbols, directly or through DWARFContext, checks the headers first and
// reports an error naming the object instead. Likewise an archive member that its header
// says runs past the end of the archive. Found by the object fuzzer
// (tests/fuzz/objects).
//
//===----------------------------------------------------------------------===//
#pragma once

#include "llvm/Object/ObjectFile.h"
#include "llvm/Support/Error.h"

#include <string>

namespace gotramp {

/// Error (naming Display, the section and what is wrong) when a relocation
/// section (REL, RELA, CREL), symbol table or compressed section (over 1 GiB
/// decompressed) of Obj could not be read safely by LLVM; success for a well-formed object and for non-ELF files.
llvm::Error checkSectionTables(const llvm::object::ObjectFile &Obj,
                                    const std::string &Display);

/// Error (naming Display) unless the archive member Member lies inside
/// Archive, the archive's whole buffer. LLVM's Archive::Child hands out a
/// member whose header claims more bytes than the archive has left when a
/// later field of that header is malformed, and reading it overruns the
/// archive's buffer.
llvm::Error checkArchiveMember(llvm::MemoryBufferRef Member,
                               llvm::MemoryBufferRef Archive,
                               const std::string &Display);

} // namespace gotramp
