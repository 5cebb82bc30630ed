//===- Verify.h - check packed native code inside a built Go binary --------===//
//
// The packer can only promise what cmd/link (or the system linker) will do
// with a .syso; `gotramp verify` checks what it did. For that, every .syso the
// packer writes carries a *manifest* inside the native code's `.text`, after
// the code (so it is placed, kept and stripped together with the code, and
// works on binaries built with -ldflags=-s):
//
//   - the magic "\x7fGOTRAMP-BLOB\0\0\0" at an 8-byte aligned offset;
//   - the layout of the object: its allocated sections (`.text` first, which
//     holds the manifest), and for each other section an 8-byte *anchor* slot
//     at the end of the manifest with a PC-relative relocation
//     (R_X86_64_PC64, R_AARCH64_PREL64) to that section's start, which is how
//     the verifier finds where the linker put it;
//   - every relocation the linker must apply (none for a StaticBlob), with
//     its place, type, target section and offset, and addend;
//   - a hash (xxh3) of each function and data object's bytes, with the bits
//     that relocations write masked out.
//
// The verifier scans the executable sections of a Go binary for manifests,
// rebuilds each object's addresses from the manifest position and the
// anchors, overlays the binary's own dynamic relocations (PIE), and checks
// that (1) every relocated field points where the manifest says it should,
// decoding the forms linkers relax GOT loads into, (2) the masked bytes hash
// to the recorded values, and (3) code that uses page-relative addressing
// (arm64 ADRP in a StaticBlob) sits on a 4 KiB boundary. golang/go#24321
// (relocations silently skipped in a static link) shows up as (1).
//
//===----------------------------------------------------------------------===//
#pragma once

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/raw_ostream.h"

#include <cstdint>
#include <string>
#include <vector>

namespace gotramp {

//===-- Manifest (the contract between the packer and the verifier) -------===//
//
// Implemented in generator/lib/pack/Manifest.cpp.

/// 16 bytes at the start of every manifest.
inline constexpr char ManifestMagic[16] = {'\x7f', 'G', 'O', 'T', 'R', 'A', 'M', 'P',
                                           '-',    'B', 'L', 'O', 'B', '\0', '\0', '\0'};
/// Version 2 adds what the package's init changes in a static blob
/// (BlobManifest::WritableFrom and InitSlots) and relocations against
/// imported symbols (ManifestImportedTarget); a manifest without any of
/// them is still written as version 1, byte for byte as before.
inline constexpr uint32_t ManifestVersion = 2;

struct ManifestSection {
  std::string Name;
  uint64_t Size = 0; // for section 0: the bytes before the manifest
  bool NoBits = false;
  bool Writable = false;
  bool Executable = false;
};

/// A hashed stretch of one section: a function, a data object, or what lies
/// between them. Hash is xxh3_64 of the bytes with relocated bits zeroed.
struct ManifestRange {
  uint32_t Section = 0;
  uint64_t Offset = 0;
  uint64_t Size = 0;
  uint64_t Hash = 0;
  std::string Name; // symbol that starts here, or "" for a gap
};

/// ManifestReloc::TargetSection of a relocation against a symbol imported
/// from a shared library (libc mode): its field is masked, not checked.
inline constexpr uint32_t ManifestImportedTarget = 0xffffffffu;

struct ManifestReloc {
  uint32_t Section = 0; // place: section and offset
  uint64_t Offset = 0;
  uint32_t Type = 0; // ELF relocation type of the manifest's machine
  uint32_t TargetSection = 0;
  uint64_t TargetValue = 0; // the target symbol's offset in TargetSection
  int64_t Addend = 0;
  /// What the instruction looked like when packed, so the verifier can tell
  /// which relaxed form a linker rewrote it to: x86-64 GOTPCREL*, the 4 bytes
  /// before the field (the opcode and ModRM last); arm64 instructions, the
  /// instruction word. 0 otherwise.
  uint32_t Before = 0;
  std::string Target; // the target symbol's name, for reports ("" if none)
};

struct BlobManifest {
  uint16_t Machine = 0; // ELF e_machine
  bool StaticBlob = false;
  /// Code uses page-relative addressing resolved at pack time: section 0
  /// must start on a 4 KiB boundary.
  bool PageAligned = false;
  std::string Label;            // package symbol prefix, for reports
  uint64_t ManifestOffset = 0;  // where the manifest starts in section 0
  std::vector<ManifestSection> Sections; // [0] holds the manifest
  std::vector<ManifestRange> Ranges;
  std::vector<ManifestReloc> Relocs;
  /// StaticBlob with data: the offset in section 0 where the pages init
  /// makes writable start (0: none); from there on a running process may
  /// have changed every byte.
  uint64_t WritableFrom = 0;
  /// StaticBlob: the 8-byte slots in section 0 that hold an offset into the
  /// blob in the binary and, once init ran, the blob's address plus it.
  std::vector<uint64_t> InitSlots;
};

struct EncodedManifest {
  std::vector<uint8_t> Bytes;
  /// AnchorOffsets[i]: offset in Bytes of the 8-byte anchor slot for
  /// Sections[i] (i >= 1), to be relocated PC-relative to that section.
  std::vector<uint64_t> AnchorOffsets;
};

EncodedManifest encodeManifest(const BlobManifest &M);
/// Decodes a manifest starting at Bytes[0]; Bytes may run past its end.
/// Also returns where the anchors start (relative to Bytes[0]).
llvm::Expected<BlobManifest> decodeManifest(llvm::ArrayRef<uint8_t> Bytes,
                                            std::vector<uint64_t> *AnchorOffsets = nullptr);

/// Relocation types the verifier can check for Machine (EM_X86_64,
/// EM_AARCH64). The packer refuses to record any other.
bool isVerifiableRelocation(uint16_t Machine, uint32_t Type);
/// The relocation's name ("R_X86_64_PC32"), for messages.
std::string relocationName(uint16_t Machine, uint32_t Type);
/// Zeroes in Data every bit a linker may write when it applies (or relaxes)
/// a relocation of Type at Offset. Bytes outside Data are left alone.
void maskRelocation(uint16_t Machine, uint32_t Type, llvm::MutableArrayRef<uint8_t> Data,
                    uint64_t Offset);
/// The hash recorded in ManifestRange::Hash.
uint64_t hashRange(llvm::ArrayRef<uint8_t> MaskedBytes);

//===-- The verifier --------------------------------------------------------===//
//
// Implemented in generator/lib/pack/Verify.cpp.

struct VerifyOptions {
  /// Print one line per packed object that checks out, not only problems.
  bool Verbose = false;
};

/// Checks the packed code of a running process (Linux, /proc/PID/exe and
/// /proc/PID/mem): the code and read-only data as packed, every address slot
/// init relocated holding the blob's run-time address plus its offset, and
/// no page of a blob both writable and executable.
llvm::Error verifyProcess(int Pid, llvm::raw_ostream &OS, const VerifyOptions &Opts);

/// Checks every gotramp-packed object in the ELF executable at Path (static
/// or PIE, internally or externally linked). Silent and successful when all
/// of them match; otherwise writes one line per problem to OS and returns an
/// error summarising them. A binary without any manifest is an error too.
llvm::Error verifyBinary(llvm::StringRef Path, llvm::raw_ostream &OS,
                         const VerifyOptions &Opts = {});

/// `gotramp verify --help`.
extern const char *const VerifyHelp;

/// The `gotramp verify` command; Args are the arguments after "verify".
/// Returns the exit status: 0 when every binary checks out (nothing is
/// printed unless -v), 1 when one does not or cannot be read (the problems go
/// to Out, one line each, then "gotramp: error: ..." to Err), 2 for a usage
/// error.
int runVerifyCommand(llvm::ArrayRef<std::string> Args, llvm::raw_ostream &Out,
                     llvm::raw_ostream &Err);

} // namespace gotramp
