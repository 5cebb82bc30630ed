//===- VerifyTest.cpp - manifests and gotramp verify ----------------------===//
//
// Packs small C objects with the real packer, links the .syso into an
// executable with ld.lld (static, PIE, with and without GOT relaxation), and
// checks that verifyBinary accepts what a correct linker produced and
// reports what a broken one did: relocations never applied (golang/go#24321),
// a changed byte, an arm64 blob off its page boundary. The Go builds of every
// link mode are in tests/linkmatrix.
//
//===----------------------------------------------------------------------===//

#include "gotramp/BuildConfig.h"
#include "gotramp/pack/Packer.h"
#include "gotramp/support/Target.h"
#include "gotramp/pack/Verify.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/BinaryFormat/ELF.h"
#include "llvm/Object/ELF.h"
#include "llvm/Support/Endian.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/raw_ostream.h"

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

using namespace gotramp;
using namespace llvm;

namespace {

using ELFT = object::ELF64LE;

std::string errorText(Error E) { return toString(std::move(E)); }

//===-- Manifest codec -----------------------------------------------------===//

BlobManifest sampleManifest() {
  BlobManifest M;
  M.Machine = ELF::EM_AARCH64;
  M.StaticBlob = false;
  M.PageAligned = true;
  M.Label = "pkg (linux/arm64)";
  M.ManifestOffset = 0x1230;
  M.Sections = {{".text", 0x122c, false, false, true},
                {".data", 16, false, true, false},
                {".bss", 4096, true, true, false}};
  M.Ranges = {{0, 0, 0x100, 0x1122334455667788u, "f"}, {1, 8, 8, 42, ""}};
  M.Relocs = {{0, 0x10, ELF::R_AARCH64_CALL26, 0, 0x40, 0, 0, "g"},
              {0, 0x20, ELF::R_AARCH64_ADR_PREL_PG_HI21, 2, 0x18, -8, 0xabcdef01u, ""}};
  return M;
}

TEST(ManifestTest, RoundTrip) {
  BlobManifest M = sampleManifest();
  EncodedManifest E = encodeManifest(M);
  ASSERT_EQ(E.Bytes.size() % 8, 0u);
  EXPECT_EQ(StringRef(reinterpret_cast<const char *>(E.Bytes.data()), 16),
            StringRef(ManifestMagic, 16));
  ASSERT_EQ(E.AnchorOffsets.size(), 3u);
  EXPECT_EQ(E.AnchorOffsets[2], E.AnchorOffsets[1] + 8);
  EXPECT_EQ(E.AnchorOffsets[2] + 8, E.Bytes.size());

  // Trailing bytes (the rest of .text) do not matter; anchors are not
  // covered by the checksum since the linker writes them.
  std::vector<uint8_t> Bytes = E.Bytes;
  Bytes[E.AnchorOffsets[1]] = 0x99;
  Bytes.insert(Bytes.end(), {1, 2, 3});
  std::vector<uint64_t> Anchors;
  Expected<BlobManifest> D = decodeManifest(Bytes, &Anchors);
  ASSERT_TRUE(bool(D)) << errorText(D.takeError());
  EXPECT_EQ(Anchors, E.AnchorOffsets);
  EXPECT_EQ(D->Machine, M.Machine);
  EXPECT_EQ(D->StaticBlob, M.StaticBlob);
  EXPECT_EQ(D->PageAligned, M.PageAligned);
  EXPECT_EQ(D->Label, M.Label);
  EXPECT_EQ(D->ManifestOffset, M.ManifestOffset);
  ASSERT_EQ(D->Sections.size(), 3u);
  EXPECT_EQ(D->Sections[2].Name, ".bss");
  EXPECT_TRUE(D->Sections[2].NoBits);
  EXPECT_TRUE(D->Sections[1].Writable);
  EXPECT_TRUE(D->Sections[0].Executable);
  EXPECT_EQ(D->Sections[0].Size, 0x122cu);
  ASSERT_EQ(D->Ranges.size(), 2u);
  EXPECT_EQ(D->Ranges[0].Hash, 0x1122334455667788u);
  EXPECT_EQ(D->Ranges[0].Name, "f");
  ASSERT_EQ(D->Relocs.size(), 2u);
  EXPECT_EQ(D->Relocs[1].Addend, -8);
  EXPECT_EQ(D->Relocs[1].TargetSection, 2u);
  EXPECT_EQ(D->Relocs[1].TargetValue, 0x18u);
  EXPECT_EQ(D->Relocs[1].Before, 0xabcdef01u);
  EXPECT_EQ(D->Relocs[0].Target, "g");
}

// Version 2 carries what init changes in a static blob; without any of it
// the manifest stays version 1, byte for byte what older gotramps wrote.
TEST(ManifestTest, InitSlotsMakeVersionTwo) {
  BlobManifest M = sampleManifest();
  EncodedManifest V1 = encodeManifest(M);
  EXPECT_EQ(V1.Bytes[16], 1u);
  Expected<BlobManifest> D1 = decodeManifest(V1.Bytes);
  ASSERT_TRUE(bool(D1)) << errorText(D1.takeError());
  EXPECT_EQ(D1->WritableFrom, 0u);
  EXPECT_TRUE(D1->InitSlots.empty());

  M.WritableFrom = 0x2000;
  M.InitSlots = {0x1000, 0x1008, 0x1ff8};
  EncodedManifest V2 = encodeManifest(M);
  EXPECT_EQ(V2.Bytes[16], 2u);
  EXPECT_EQ(V2.Bytes.size(), V1.Bytes.size() + 8 + 4 + 3 * 8 + 4); // + padding to 8
  Expected<BlobManifest> D2 = decodeManifest(V2.Bytes);
  ASSERT_TRUE(bool(D2)) << errorText(D2.takeError());
  EXPECT_EQ(D2->WritableFrom, 0x2000u);
  EXPECT_EQ(D2->InitSlots, M.InitSlots);
  ASSERT_EQ(D2->Relocs.size(), 2u);
  EXPECT_EQ(D2->Relocs[0].Target, "g");

  // A changed slot count is caught (by the checksum before the count check).
  std::vector<uint8_t> Bytes = V2.Bytes;
  size_t Count = V2.AnchorOffsets[1] - 4 - 4 - 3 * 8; // NSlots, before the slots and padding
  Bytes[Count + 3] = 0x7f;
  EXPECT_FALSE(bool(decodeManifest(Bytes)));
}

TEST(ManifestTest, CorruptionIsDetected) {
  EncodedManifest E = encodeManifest(sampleManifest());
  std::vector<uint8_t> Bytes = E.Bytes;
  Bytes[70] ^= 1; // inside the label
  Expected<BlobManifest> D = decodeManifest(Bytes);
  ASSERT_FALSE(bool(D));
  EXPECT_NE(errorText(D.takeError()).find("checksum"), std::string::npos);

  D = decodeManifest(ArrayRef<uint8_t>(E.Bytes).take_front(E.Bytes.size() - 1));
  ASSERT_FALSE(bool(D));
  EXPECT_NE(errorText(D.takeError()).find("truncated"), std::string::npos);

  Bytes = E.Bytes;
  Bytes[16] = 9; // version
  D = decodeManifest(Bytes);
  ASSERT_FALSE(bool(D));
  EXPECT_NE(errorText(D.takeError()).find("version 9"), std::string::npos);
}

TEST(ManifestTest, MasksCoverWhatLinkersRewrite) {
  std::vector<uint8_t> D(16, 0xff);
  maskRelocation(ELF::EM_X86_64, ELF::R_X86_64_PC32, D, 4);
  EXPECT_EQ(D, (std::vector<uint8_t>{0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0, 0xff, 0xff, 0xff, 0xff,
                                     0xff, 0xff, 0xff, 0xff}));
  D.assign(16, 0xff);
  maskRelocation(ELF::EM_X86_64, ELF::R_X86_64_REX_GOTPCRELX, D, 4); // REX, opcode, ModRM
  EXPECT_EQ(D, (std::vector<uint8_t>{0xff, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0xff, 0xff, 0xff,
                                     0xff, 0xff, 0xff}));
  D.assign(8, 0xff);
  maskRelocation(ELF::EM_AARCH64, ELF::R_AARCH64_CALL26, D, 4);
  EXPECT_EQ(support::endian::read32le(&D[4]), 0xfc000000u);
  EXPECT_EQ(support::endian::read32le(&D[0]), 0xffffffffu);
  maskRelocation(ELF::EM_AARCH64, ELF::R_AARCH64_LDST64_ABS_LO12_NC, D, 0);
  EXPECT_EQ(support::endian::read32le(&D[0]), 0xffc003ffu);
  // ADRP + ADD may become NOP + ADR: whole words.
  maskRelocation(ELF::EM_AARCH64, ELF::R_AARCH64_ADD_ABS_LO12_NC, D, 0);
  EXPECT_EQ(support::endian::read32le(&D[0]), 0u);
  // Out of range: nothing happens.
  maskRelocation(ELF::EM_AARCH64, ELF::R_AARCH64_CALL26, D, 6);
  EXPECT_TRUE(isVerifiableRelocation(ELF::EM_X86_64, ELF::R_X86_64_GOTPCRELX));
  EXPECT_FALSE(isVerifiableRelocation(ELF::EM_X86_64, ELF::R_X86_64_TPOFF32));
  EXPECT_EQ(relocationName(ELF::EM_AARCH64, ELF::R_AARCH64_JUMP26), "R_AARCH64_JUMP26");
}

//===-- verifyBinary on executables linked by ld.lld ------------------------===//

class VerifyTest : public ::testing::Test {
protected:
  void SetUp() override { ASSERT_FALSE(sys::fs::createUniqueDirectory("gotramp-verify-test", Dir)); }
  void TearDown() override { sys::fs::remove_directories(Dir); }

  std::string path(StringRef Name) const {
    SmallString<128> P(Dir);
    sys::path::append(P, Name);
    return std::string(P);
  }

  bool run(StringRef Program, ArrayRef<std::string> Args) {
    std::string Err = path("tool.err");
    SmallVector<StringRef, 16> Argv{Program};
    for (const std::string &A : Args)
      Argv.push_back(A);
    std::optional<StringRef> Redirects[] = {StringRef(""), StringRef(""), StringRef(Err)};
    int Rc = sys::ExecuteAndWait(Program, Argv, std::nullopt, Redirects);
    if (Rc == 0)
      return true;
    auto Buf = MemoryBuffer::getFile(Err);
    ADD_FAILURE() << Program.str() << " failed (" << Rc
                  << "): " << (Buf ? (*Buf)->getBuffer().str() : std::string());
    return false;
  }

  std::string compile(StringRef Name, StringRef Source, Arch A) {
    std::string Src = path((Name + ".c").str());
    {
      std::error_code EC;
      raw_fd_ostream OS(Src, EC);
      OS << Source;
    }
    std::string Out = path(Name);
    std::vector<std::string> Args = {
        A == Arch::AMD64 ? "--target=x86_64-linux-gnu" : "--target=aarch64-linux-gnu",
        "-O2", "-fPIC", "-ffreestanding", "-fno-builtin", "-fno-stack-protector",
        "-fno-asynchronous-unwind-tables", "-ffunction-sections", "-fdata-sections",
        "-c", Src, "-o", Out};
    if (A == Arch::ARM64)
      Args.push_back("-ffixed-x28");
    return run(GOTRAMP_TEST_CLANG, Args) ? Out : std::string();
  }

  /// Packs Source with prefix "gotramp_t_" and writes the .syso.
  std::string packTo(StringRef Name, StringRef Source, Arch A, std::vector<std::string> Roots,
                     PackStrategy Expect) {
    std::string Obj = compile((Name + ".o").str(), Source, A);
    if (Obj.empty())
      return "";
    PackRequest Req;
    Req.Tgt.Architecture = A;
    Req.ObjectPaths = {Obj};
    Req.Roots = std::move(Roots);
    Req.LldPath = GOTRAMP_LLD;
    Req.SymbolPrefix = "gotramp_t_";
    Req.Label = Name.str();
    Expected<PackResult> R = packObjects(Req);
    if (!R) {
      ADD_FAILURE() << errorText(R.takeError());
      return "";
    }
    EXPECT_EQ(R->Strategy, Expect) << R->Why;
    std::string Syso = path((Name + ".syso").str());
    std::error_code EC;
    raw_fd_ostream OS(Syso, EC);
    OS.write(reinterpret_cast<const char *>(R->Syso.data()), R->Syso.size());
    return Syso;
  }

  /// Links objects into an executable with ld.lld; "" on failure.
  std::string link(StringRef Name, Arch A, std::vector<std::string> Objects, StringRef Entry,
                   std::vector<std::string> Extra = {}) {
    std::string Out = path(Name);
    std::vector<std::string> Args = {"-m", A == Arch::AMD64 ? "elf_x86_64" : "aarch64linux",
                                     "-e", Entry.str(), "-o", Out};
    Args.insert(Args.end(), Extra.begin(), Extra.end());
    Args.insert(Args.end(), Objects.begin(), Objects.end());
    return run(GOTRAMP_LLD, Args) ? Out : std::string();
  }

  /// verifyBinary's report and error text ("" for success).
  std::pair<std::string, std::string> verify(StringRef Exe, bool Verbose = false) {
    std::string Report;
    raw_string_ostream OS(Report);
    VerifyOptions Opts;
    Opts.Verbose = Verbose;
    Error E = verifyBinary(Exe, OS, Opts);
    return {Report, E ? errorText(std::move(E)) : std::string()};
  }

  SmallString<128> Dir;
};

constexpr const char *StaticSource = R"(
static const unsigned Table[4] = {0x11223344u, 0x55667788u, 0x99aabbccu, 0xddeeff00u};
__attribute__((noinline)) unsigned helper(unsigned I) { return Table[I & 3]; }
unsigned root_fn(unsigned I) { return helper(I) + 1; }
long rec(long N) { return N < 2 ? N : rec(N - 1) + rec(N - 2); }
)";

// Counter's section of its own keeps the relocations (DynamicGlue).
constexpr const char *GlueSource = R"(
__attribute__((section("state"))) long Counter = 7;
static long Buffer[64];
static long add1(long x) { return x + 1; }
static long dbl(long x) { return x * 2; }
long (*const Ops[2])(long) = {add1, dbl};
__attribute__((noinline)) long helper(long x) { return Buffer[x & 63] += x; }
long glue_fn(int I, long X) { Counter += helper(X); return Ops[I & 1](Counter); }
)";

/// File offset and address of the section Name of an executable.
struct SecPos {
  uint64_t Offset = 0, Addr = 0, Size = 0;
};
std::optional<SecPos> sectionOf(StringRef Path, StringRef Name) {
  auto Buf = MemoryBuffer::getFile(Path);
  if (!Buf)
    return std::nullopt;
  auto File = object::ELFFile<ELFT>::create((*Buf)->getBuffer());
  if (!File)
    return std::nullopt;
  for (const ELFT::Shdr &S : cantFail(File->sections()))
    if (cantFail(File->getSectionName(S)) == Name)
      return SecPos{S.sh_offset, S.sh_addr, S.sh_size};
  return std::nullopt;
}

/// Overwrites bytes of a file.
void patchFile(StringRef Path, uint64_t Offset, ArrayRef<uint8_t> Bytes) {
  auto Buf = MemoryBuffer::getFile(Path);
  ASSERT_TRUE(bool(Buf));
  std::string Data = (*Buf)->getBuffer().str();
  ASSERT_LE(Offset + Bytes.size(), Data.size());
  std::memcpy(&Data[Offset], Bytes.data(), Bytes.size());
  std::error_code EC;
  raw_fd_ostream OS(Path, EC);
  OS << Data;
}

TEST_F(VerifyTest, StaticBlobsLinkedCorrectlyVerifySilently) {
  for (Arch A : {Arch::AMD64, Arch::ARM64}) {
    SCOPED_TRACE(A == Arch::AMD64 ? "amd64" : "arm64");
    std::string Syso = packTo("blob", StaticSource, A, {"root_fn", "rec"},
                              PackStrategy::StaticBlob);
    ASSERT_FALSE(Syso.empty());
    for (bool Pie : {false, true}) {
      std::string Exe = link(Pie ? "pie" : "exe", A, {Syso}, "gotramp_t_root_fn",
                             Pie ? std::vector<std::string>{"-pie"} : std::vector<std::string>{});
      ASSERT_FALSE(Exe.empty());
      auto [Report, Err] = verify(Exe);
      EXPECT_EQ(Err, "");
      EXPECT_EQ(Report, "");
      std::tie(Report, Err) = verify(Exe, /*Verbose=*/true);
      EXPECT_EQ(Err, "");
      EXPECT_NE(Report.find("blob: static blob at 0x"), std::string::npos) << Report;
      EXPECT_NE(Report.find(": ok\n"), std::string::npos) << Report;
    }
  }
}

TEST_F(VerifyTest, ChangedByteIsReportedWithItsFunction) {
  std::string Syso = packTo("blob", StaticSource, Arch::AMD64, {"root_fn", "rec"},
                            PackStrategy::StaticBlob);
  ASSERT_FALSE(Syso.empty());
  std::string Exe = link("exe", Arch::AMD64, {Syso}, "gotramp_t_root_fn");
  ASSERT_FALSE(Exe.empty());
  std::optional<SecPos> Text = sectionOf(Exe, ".text");
  ASSERT_TRUE(Text);
  // gotramp_t_rec's address from the symbol table of the executable.
  auto Buf = MemoryBuffer::getFile(Exe);
  ASSERT_TRUE(bool(Buf));
  auto File = cantFail(object::ELFFile<ELFT>::create((*Buf)->getBuffer()));
  uint64_t Rec = 0;
  for (const ELFT::Shdr &S : cantFail(File.sections()))
    if (S.sh_type == ELF::SHT_SYMTAB)
      for (const ELFT::Sym &Sym : cantFail(File.symbols(&S)))
        if (cantFail(Sym.getName(cantFail(File.getStringTableForSymtab(S)))) == "gotramp_t_rec")
          Rec = Sym.st_value;
  ASSERT_NE(Rec, 0u);
  uint8_t Int3 = 0xcc;
  patchFile(Exe, Text->Offset + (Rec + 2 - Text->Addr), ArrayRef<uint8_t>(&Int3, 1));
  auto [Report, Err] = verify(Exe);
  EXPECT_NE(Err.find("1 problem(s) in 1 of 1 packed object(s)"), std::string::npos) << Err;
  EXPECT_NE(Report.find("blob: the bytes of gotramp_t_rec ("), std::string::npos) << Report;
  EXPECT_NE(Report.find("differ from the packed object"), std::string::npos) << Report;
}

TEST_F(VerifyTest, Arm64BlobOffItsPageIsReported) {
  std::string Syso = packTo("blob", StaticSource, Arch::ARM64, {"root_fn"},
                            PackStrategy::StaticBlob);
  ASSERT_FALSE(Syso.empty());
  // A linker that ignored the section's 4096-byte alignment: the .syso's
  // .text alignment lowered to 16, the section placed 16 bytes off a page.
  {
    auto Buf = MemoryBuffer::getFile(Syso);
    ASSERT_TRUE(bool(Buf));
    auto File = cantFail(object::ELFFile<ELFT>::create((*Buf)->getBuffer()));
    uint64_t ShOff = File.getHeader().e_shoff + sizeof(ELFT::Shdr) * 1; // .text is section 1
    ASSERT_EQ(cantFail(File.getSectionName(cantFail(File.sections())[1])), ".text");
    uint8_t Sixteen[8];
    support::endian::write64le(Sixteen, 16);
    patchFile(Syso, ShOff + offsetof(ELFT::Shdr, sh_addralign), Sixteen);
  }
  std::string Script = path("misalign.ld");
  {
    std::error_code EC;
    raw_fd_ostream OS(Script, EC);
    OS << "SECTIONS { . = 0x210000; .pad : { BYTE(1) } . = 0x210010; .text 0x210010 : { *(.text) } }\n";
  }
  std::string Exe = link("exe", Arch::ARM64, {Syso}, "gotramp_t_root_fn",
                         {"-T", Script, "--noinhibit-exec"});
  ASSERT_FALSE(Exe.empty());
  auto [Report, Err] = verify(Exe);
  EXPECT_NE(Err, "");
  EXPECT_NE(Report.find("must start on a 4096-byte boundary, but starts at 0x210010"),
            std::string::npos)
      << Report;
}

TEST_F(VerifyTest, RelocatableObjectsLinkedCorrectlyVerify) {
  for (Arch A : {Arch::AMD64, Arch::ARM64}) {
    SCOPED_TRACE(A == Arch::AMD64 ? "amd64" : "arm64");
    std::string Syso = packTo("glue", GlueSource, A, {"glue_fn"}, PackStrategy::DynamicGlue);
    ASSERT_FALSE(Syso.empty());
    // Relaxed GOT loads (lea / adrp+add), GOT slots, and PIE with the
    // pointers in the dynamic relocations.
    std::vector<std::pair<std::string, std::vector<std::string>>> Modes = {
        {"static", {"-static"}}, {"norelax", {"-static", "--no-relax"}}, {"pie", {"-pie"}}};
    for (auto &[Mode, Flags] : Modes) {
      SCOPED_TRACE(Mode);
      std::string Exe = link(Mode, A, {Syso}, "gotramp_t_glue_fn", Flags);
      ASSERT_FALSE(Exe.empty());
      auto [Report, Err] = verify(Exe, /*Verbose=*/true);
      EXPECT_EQ(Err, "") << Report;
      EXPECT_NE(Report.find("glue: relocatable object at 0x"), std::string::npos) << Report;
      EXPECT_NE(Report.find(": ok\n"), std::string::npos) << Report;
    }
  }
}

TEST_F(VerifyTest, RelaxedAndUnrelaxedGotLoadsAreBothChecked) {
  std::string Syso = packTo("glue", GlueSource, Arch::AMD64, {"glue_fn"},
                            PackStrategy::DynamicGlue);
  ASSERT_FALSE(Syso.empty());
  std::string Exe = link("norelax", Arch::AMD64, {Syso}, "gotramp_t_glue_fn",
                         {"-static", "--no-relax"});
  ASSERT_FALSE(Exe.empty());
  std::optional<SecPos> Got = sectionOf(Exe, ".got");
  ASSERT_TRUE(Got) << "precondition: --no-relax keeps a GOT";
  // A GOT slot that holds the wrong address.
  uint8_t Zero[8] = {};
  patchFile(Exe, Got->Offset, Zero);
  auto [Report, Err] = verify(Exe);
  EXPECT_NE(Err, "");
  EXPECT_NE(Report.find("R_X86_64_REX_GOTPCRELX at gotramp_t_glue_fn"), std::string::npos)
      << Report;
  EXPECT_NE(Report.find("loads the pointer at 0x"), std::string::npos) << Report;
}

TEST_F(VerifyTest, RelocationsNeverAppliedAreReported) {
  // What golang/go#24321 does: the object's bytes end up in the binary as
  // they are in the .syso, relocations skipped.
  for (Arch A : {Arch::AMD64, Arch::ARM64}) {
    SCOPED_TRACE(A == Arch::AMD64 ? "amd64" : "arm64");
    std::string Syso = packTo("glue", GlueSource, A, {"glue_fn"}, PackStrategy::DynamicGlue);
    ASSERT_FALSE(Syso.empty());
    std::string Exe = link("exe", A, {Syso}, "gotramp_t_glue_fn", {"-static"});
    ASSERT_FALSE(Exe.empty());
    std::optional<SecPos> In = sectionOf(Syso, ".text"), Out = sectionOf(Exe, ".text");
    ASSERT_TRUE(In && Out);
    ASSERT_EQ(In->Size, Out->Size);
    auto SysoBuf = MemoryBuffer::getFile(Syso);
    ASSERT_TRUE(bool(SysoBuf));
    ArrayRef<uint8_t> Unrelocated(
        reinterpret_cast<const uint8_t *>((*SysoBuf)->getBufferStart()) + In->Offset, In->Size);
    patchFile(Exe, Out->Offset, Unrelocated);
    auto [Report, Err] = verify(Exe);
    EXPECT_NE(Err.find("problem(s) in 1 of 1 packed object(s)"), std::string::npos) << Err;
    EXPECT_NE(Report.find("the anchor of section state at 0x"), std::string::npos) << Report;
    EXPECT_NE(Report.find("was never relocated (it reads 0)"), std::string::npos) << Report;
    // The call from glue_fn to helper, inside .text, is checked anyway.
    EXPECT_NE(Report.find(A == Arch::AMD64 ? "R_X86_64_PLT32 at gotramp_t_glue_fn+0x"
                                           : "R_AARCH64_CALL26 at gotramp_t_glue_fn+0x"),
              std::string::npos)
        << Report;
    EXPECT_NE(Report.find(", expected helper (0x"), std::string::npos) << Report;
  }
}

TEST_F(VerifyTest, TwoBlobsInOneBinaryAreBothChecked) {
  std::string A = packTo("first", StaticSource, Arch::AMD64, {"root_fn"}, PackStrategy::StaticBlob);
  std::string B = packTo("second", GlueSource, Arch::AMD64, {"glue_fn"}, PackStrategy::DynamicGlue);
  ASSERT_FALSE(A.empty() || B.empty());
  std::string Exe = link("exe", Arch::AMD64, {A, B}, "gotramp_t_root_fn", {"-static"});
  ASSERT_FALSE(Exe.empty());
  auto [Report, Err] = verify(Exe, /*Verbose=*/true);
  EXPECT_EQ(Err, "") << Report;
  EXPECT_NE(Report.find(": first: static blob"), std::string::npos) << Report;
  EXPECT_NE(Report.find(": second: relocatable object"), std::string::npos) << Report;
}

TEST_F(VerifyTest, BinaryWithoutPackedCodeOrNotElfIsAnError) {
  std::string Obj = compile("plain.o", "long plain(long x) { return x + 1; }\n", Arch::AMD64);
  ASSERT_FALSE(Obj.empty());
  std::string Exe = link("exe", Arch::AMD64, {Obj}, "plain", {"-static"});
  ASSERT_FALSE(Exe.empty());
  auto [Report, Err] = verify(Exe);
  EXPECT_NE(Err.find("no gotramp-packed native code found"), std::string::npos) << Err;

  std::tie(Report, Err) = verify(path("plain.o.c"));
  EXPECT_NE(Err.find("not an ELF file"), std::string::npos) << Err;
  std::tie(Report, Err) = verify(Obj);
  EXPECT_NE(Err.find("not an executable"), std::string::npos) << Err;
  std::tie(Report, Err) = verify(path("missing"));
  EXPECT_NE(Err.find("missing"), std::string::npos) << Err;
}

TEST_F(VerifyTest, CommandLine) {
  std::string Syso = packTo("blob", StaticSource, Arch::AMD64, {"root_fn"}, PackStrategy::StaticBlob);
  ASSERT_FALSE(Syso.empty());
  std::string Exe = link("exe", Arch::AMD64, {Syso}, "gotramp_t_root_fn");
  ASSERT_FALSE(Exe.empty());
  std::string Out, Err;
  raw_string_ostream O(Out), E(Err);
  EXPECT_EQ(runVerifyCommand({Exe}, O, E), 0);
  EXPECT_EQ(Out + Err, "");
  EXPECT_EQ(runVerifyCommand({"-v", Exe}, O, E), 0);
  EXPECT_NE(Out.find("static blob"), std::string::npos);
  EXPECT_EQ(runVerifyCommand({Exe, path("missing")}, O, E), 1);
  EXPECT_NE(Err.find("gotramp: error: "), std::string::npos);
  EXPECT_EQ(runVerifyCommand({}, O, E), 2);
  EXPECT_EQ(runVerifyCommand({"--bogus", Exe}, O, E), 2);
  Out.clear();
  EXPECT_EQ(runVerifyCommand({"--help"}, O, E), 0);
  EXPECT_NE(Out.find("USAGE: gotramp verify"), std::string::npos);
}

} // namespace
