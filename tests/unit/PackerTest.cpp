//===- PackerTest.cpp - native objects -> .syso ----------------------------===//
//
// Builds small C objects with the real clang, packs them with the real
// ld.lld, and checks properties of the machine code that comes out: resolved
// call and data displacements, symbol offsets, strategy and error messages.
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
#include "llvm/Support/MathExtras.h"
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

Target targetFor(Arch A) {
  Target T;
  T.Architecture = A;
  return T;
}

std::string errorText(Error E) { return toString(std::move(E)); }

//===-- Reading ELF in the tests ------------------------------------------===//

struct SecInfo {
  std::string Name;
  uint32_t Type = 0;
  uint64_t Flags = 0;
  uint64_t Size = 0;
  uint64_t Align = 0;
  std::vector<uint8_t> Data;
};

struct SymInfo {
  std::string Name;
  uint64_t Value = 0;
  uint64_t Size = 0;
  unsigned Binding = 0;
  unsigned Type = 0;
  unsigned Section = 0;
};

struct RelInfo {
  std::string Target; // name of the section the relocation applies to
  uint64_t Offset = 0;
  uint32_t Type = 0;
  std::string Symbol; // symbol name, or section name for section symbols
  int64_t Addend = 0;
};

struct ElfInfo {
  uint16_t Type = 0;
  uint16_t Machine = 0;
  std::vector<SecInfo> Sections;
  std::vector<SymInfo> Symbols;
  std::vector<RelInfo> Relocs;

  const SymInfo *sym(StringRef Name) const {
    for (const SymInfo &S : Symbols)
      if (S.Name == Name)
        return &S;
    return nullptr;
  }
  const SecInfo *sec(StringRef Name) const {
    for (const SecInfo &S : Sections)
      if (S.Name == Name)
        return &S;
    return nullptr;
  }
  std::vector<std::string> sectionNames() const {
    std::vector<std::string> Names;
    for (const SecInfo &S : Sections)
      Names.push_back(S.Name);
    return Names;
  }
};

/// Parses an ELF64LE file completely; fails the test on malformed input.
std::optional<ElfInfo> parseElf(StringRef Bytes) {
  auto FileOrErr = object::ELFFile<ELFT>::create(Bytes);
  if (!FileOrErr) {
    ADD_FAILURE() << errorText(FileOrErr.takeError());
    return std::nullopt;
  }
  const object::ELFFile<ELFT> &File = *FileOrErr;
  ElfInfo Info;
  Info.Type = File.getHeader().e_type;
  Info.Machine = File.getHeader().e_machine;
  auto Sections = cantFail(File.sections());
  for (const ELFT::Shdr &S : Sections) {
    SecInfo SI;
    SI.Name = cantFail(File.getSectionName(S)).str();
    SI.Type = S.sh_type;
    SI.Flags = S.sh_flags;
    SI.Size = S.sh_size;
    SI.Align = S.sh_addralign;
    if (S.sh_type != ELF::SHT_NOBITS && S.sh_type != ELF::SHT_NULL) {
      ArrayRef<uint8_t> D = cantFail(File.getSectionContents(S));
      SI.Data.assign(D.begin(), D.end());
    }
    Info.Sections.push_back(std::move(SI));
  }
  for (const ELFT::Shdr &S : Sections) {
    if (S.sh_type != ELF::SHT_SYMTAB)
      continue;
    StringRef StrTab = cantFail(File.getStringTableForSymtab(S));
    for (const ELFT::Sym &Sym : cantFail(File.symbols(&S))) {
      SymInfo SI;
      SI.Name = cantFail(Sym.getName(StrTab)).str();
      if (Sym.getType() == ELF::STT_SECTION)
        SI.Name = Info.Sections[Sym.st_shndx].Name;
      SI.Value = Sym.st_value;
      SI.Size = Sym.st_size;
      SI.Binding = Sym.getBinding();
      SI.Type = Sym.getType();
      SI.Section = Sym.st_shndx;
      Info.Symbols.push_back(std::move(SI));
    }
  }
  for (const ELFT::Shdr &S : Sections) {
    if (S.sh_type != ELF::SHT_RELA)
      continue;
    for (const ELFT::Rela &R : cantFail(File.relas(S))) {
      RelInfo RI;
      RI.Target = Info.Sections[S.sh_info].Name;
      RI.Offset = R.r_offset;
      RI.Type = R.getType(false);
      RI.Symbol = Info.Symbols[R.getSymbol(false)].Name;
      RI.Addend = R.r_addend;
      Info.Relocs.push_back(std::move(RI));
    }
  }
  return Info;
}

std::optional<ElfInfo> parseElf(const std::vector<uint8_t> &Bytes) {
  return parseElf(
      StringRef(reinterpret_cast<const char *>(Bytes.data()), Bytes.size()));
}

std::optional<ElfInfo> parseElfFile(StringRef Path) {
  auto Buf = MemoryBuffer::getFile(Path);
  if (!Buf) {
    ADD_FAILURE() << "cannot read " << Path.str();
    return std::nullopt;
  }
  return parseElf((*Buf)->getBuffer());
}

uint32_t read32(ArrayRef<uint8_t> Bytes, uint64_t Offset) {
  return support::endian::read32le(Bytes.data() + Offset);
}

int64_t signExtend(uint64_t Value, unsigned Bits) {
  return static_cast<int64_t>(Value << (64 - Bits)) >> (64 - Bits);
}

/// Where an arm64 `adrp xN, sym` + `add xN, xN, :lo12:sym` pair at Hi/Lo
/// points, with .text at an address that is 0 modulo 4096. lld may have
/// relaxed an adjacent pair into `nop` + `adr`; both forms are decoded.
std::optional<int64_t> resolveAdrpAdd(ArrayRef<uint8_t> Text, uint64_t Hi,
                                      uint64_t Lo) {
  uint32_t First = read32(Text, Hi), Second = read32(Text, Lo);
  auto adrImm = [](uint32_t Insn) {
    uint64_t Imm = (((Insn >> 5) & 0x7ffffu) << 2) | ((Insn >> 29) & 3);
    return signExtend(Imm, 21);
  };
  if ((First & 0x9f000000u) == 0x90000000u) { // ADRP
    if ((Second & 0xffc00000u) != 0x91000000u) // ADD (immediate, 64-bit)
      return std::nullopt;
    int64_t Page = int64_t(Hi & ~uint64_t(0xfff)) + adrImm(First) * 4096;
    return Page + ((Second >> 10) & 0xfff);
  }
  if (First == 0xd503201fu && (Second & 0x9f000000u) == 0x10000000u) // NOP; ADR
    return int64_t(Lo) + adrImm(Second);
  return std::nullopt;
}

//===-- Fixture ------------------------------------------------------------===//

class PackerTest : public ::testing::Test {
protected:
  void SetUp() override {
    ASSERT_FALSE(sys::fs::createUniqueDirectory("gotramp-packer-test", Dir));
  }
  void TearDown() override { sys::fs::remove_directories(Dir); }

  std::string path(StringRef Name) const {
    SmallString<128> P(Dir);
    sys::path::append(P, Name);
    return std::string(P);
  }

  /// Runs a tool; on failure records the tool's stderr and returns false.
  bool run(StringRef Program, ArrayRef<std::string> Args) {
    std::string Err = path("tool.err");
    SmallVector<StringRef, 16> Argv{Program};
    for (const std::string &A : Args)
      Argv.push_back(A);
    std::optional<StringRef> Redirects[] = {StringRef(""), StringRef(""),
                                            StringRef(Err)};
    int Rc = sys::ExecuteAndWait(Program, Argv, std::nullopt, Redirects);
    if (Rc == 0)
      return true;
    auto Buf = MemoryBuffer::getFile(Err);
    ADD_FAILURE() << Program.str() << " failed (" << Rc << "): "
                  << (Buf ? (*Buf)->getBuffer().str() : std::string());
    return false;
  }

  /// Compiles C (or assembly, with Ext "s") to DIR/Name; "" on failure.
  std::string compile(StringRef Name, StringRef Source, Arch A,
                      std::vector<std::string> Extra = {},
                      StringRef Ext = "c") {
    std::string Src = path((Name + "." + Ext).str());
    {
      std::error_code EC;
      raw_fd_ostream OS(Src, EC);
      OS << Source;
    }
    std::string Out = path(Name);
    std::vector<std::string> Args = {
        A == Arch::AMD64 ? "--target=x86_64-linux-gnu"
                         : "--target=aarch64-linux-gnu",
        "-O2", "-fPIC", "-ffreestanding", "-fno-stack-protector",
        "-fno-asynchronous-unwind-tables", "-ffunction-sections",
        "-fdata-sections", "-c", Src, "-o", Out};
    Args.insert(Args.end(), Extra.begin(), Extra.end());
    return run(GOTRAMP_TEST_CLANG, Args) ? Out : std::string();
  }

  /// Builds DIR/Name with llvm-ar from the same LLVM as clang.
  std::string archive(StringRef Name, const std::vector<std::string> &Members) {
    SmallString<128> Ar(sys::path::parent_path(GOTRAMP_TEST_CLANG));
    sys::path::append(Ar, "llvm-ar");
    std::string Out = path(Name);
    std::vector<std::string> Args = {"rcs", Out};
    Args.insert(Args.end(), Members.begin(), Members.end());
    return run(Ar, Args) ? Out : std::string();
  }

  Expected<PackResult> pack(Arch A, std::vector<std::string> Objects,
                            std::vector<std::string> Roots, std::string Prefix = "") {
    PackRequest Req;
    Req.Tgt = targetFor(A);
    Req.ObjectPaths = std::move(Objects);
    Req.Roots = std::move(Roots);
    Req.LldPath = GOTRAMP_LLD;
    Req.SymbolPrefix = std::move(Prefix);
    return packObjects(Req);
  }

  SmallString<128> Dir;
};

// A root that calls a helper which reads a read-only table, a leaf root with
// no relocations, and a function nobody reaches.
constexpr const char *CallAndTableSource = R"(
static const unsigned Table[4] = {0x11223344u, 0x55667788u, 0x99aabbccu,
                                  0xddeeff00u};
__attribute__((noinline)) unsigned helper(unsigned I) { return Table[I & 3]; }
unsigned root_fn(unsigned I) { return helper(I) + 1; }
long leaf(long X) { return X * 3 + 7; }
long unused_fn(long X) { return X - 1; }
)";

const uint8_t TableBytes[16] = {0x44, 0x33, 0x22, 0x11, 0x88, 0x77, 0x66, 0x55,
                                0xcc, 0xbb, 0xaa, 0x99, 0x00, 0xff, 0xee, 0xdd};

/// Checks what every StaticBlob .syso must look like and returns it parsed.
std::optional<ElfInfo> checkStaticShape(const PackResult &R, uint16_t Machine) {
  EXPECT_EQ(R.Strategy, PackStrategy::StaticBlob) << R.Why;
  EXPECT_TRUE(R.Why.empty());
  EXPECT_EQ(R.DataBytes, 0u);
  std::optional<ElfInfo> Syso = parseElf(R.Syso);
  if (!Syso)
    return std::nullopt;
  EXPECT_EQ(Syso->Type, ELF::ET_REL);
  EXPECT_EQ(Syso->Machine, Machine);
  EXPECT_EQ(Syso->sectionNames(),
            (std::vector<std::string>{"", ".text", ".note.GNU-stack", ".symtab",
                                      ".strtab", ".shstrtab"}));
  for (const SecInfo &S : Syso->Sections) {
    EXPECT_NE(S.Type, ELF::SHT_RELA) << S.Name;
    EXPECT_NE(S.Type, ELF::SHT_REL) << S.Name;
  }
  EXPECT_TRUE(Syso->Relocs.empty());
  const SecInfo *Text = Syso->sec(".text");
  EXPECT_EQ(Text->Flags, uint64_t(ELF::SHF_ALLOC | ELF::SHF_EXECINSTR));
  EXPECT_GE(Text->Align, 16u);
  // The code, padding to 8, then the manifest for `gotramp verify`.
  EXPECT_GT(R.ManifestBytes, 0u);
  EXPECT_EQ(Text->Size, alignTo(R.TextBytes, 8) + R.ManifestBytes);
  Expected<BlobManifest> M =
      decodeManifest(ArrayRef<uint8_t>(Text->Data).drop_front(alignTo(R.TextBytes, 8)));
  if (!M) {
    ADD_FAILURE() << "no manifest after the code: " << errorText(M.takeError());
  } else {
    EXPECT_TRUE(M->StaticBlob);
    EXPECT_EQ(M->Machine, Machine);
    EXPECT_EQ(M->ManifestOffset, alignTo(R.TextBytes, 8));
    EXPECT_TRUE(M->Relocs.empty());
    EXPECT_EQ(M->Sections.size(), 1u);
    if (!M->Sections.empty())
      EXPECT_EQ(M->Sections[0].Size, R.TextBytes);
  }
  EXPECT_EQ(Syso->sec(".note.GNU-stack")->Size, 0u);
  // The roots are the only global symbols, under their final names.
  for (const SymInfo &S : Syso->Symbols)
    if (S.Binding != ELF::STB_LOCAL)
      EXPECT_TRUE(llvm::any_of(R.Roots, [&](const PackedSymbol &P) { return P.Symbol == S.Name; }))
          << S.Name << " is global but not a root";
  for (const PackedSymbol &Root : R.Roots) {
    const SymInfo *S = Syso->sym(Root.Symbol);
    if (!S) {
      ADD_FAILURE() << "root " << Root.Symbol << " missing from the .syso";
      continue;
    }
    EXPECT_EQ(S->Binding, ELF::STB_GLOBAL);
    EXPECT_EQ(S->Type, ELF::STT_FUNC);
    EXPECT_EQ(S->Section, 1u);
    EXPECT_EQ(S->Value, Root.Offset);
    EXPECT_EQ(S->Size, Root.Size);
  }
  return Syso;
}

/// The relocation of type Type inside function Func of the input object.
const RelInfo *findReloc(const ElfInfo &Obj, StringRef Func, uint32_t Type) {
  for (const RelInfo &R : Obj.Relocs)
    if (R.Target == (".text." + Func).str() && R.Type == Type)
      return &R;
  return nullptr;
}

//===-- Target -------------------------------------------------------------===//

TEST(TargetTest, ParsesSupportedTargets) {
  Expected<Target> Amd = parseTarget("linux/amd64");
  ASSERT_TRUE(bool(Amd));
  EXPECT_EQ(Amd->Architecture, Arch::AMD64);
  EXPECT_EQ(Amd->triple(), "x86_64-linux-gnu");
  EXPECT_EQ(Amd->goName(), "linux/amd64");
  EXPECT_EQ(Amd->fileSuffix(), "linux_amd64");
  Expected<Target> Arm = parseTarget("linux/arm64");
  ASSERT_TRUE(bool(Arm));
  EXPECT_EQ(Arm->triple(), "aarch64-linux-gnu");
  EXPECT_EQ(Arm->goArch(), "arm64");
}

TEST(TargetTest, RejectsOthersListingSupported) {
  Expected<Target> T = parseTarget("darwin/arm64");
  ASSERT_FALSE(bool(T));
  std::string Msg = errorText(T.takeError());
  EXPECT_NE(Msg.find("darwin/arm64"), std::string::npos) << Msg;
  EXPECT_NE(Msg.find("linux/amd64"), std::string::npos) << Msg;
  EXPECT_NE(Msg.find("linux/arm64"), std::string::npos) << Msg;
}

//===-- StaticBlob ---------------------------------------------------------===//

TEST_F(PackerTest, StaticBlobAmd64ResolvesCallsAndData) {
  std::string Obj = compile("f.o", CallAndTableSource, Arch::AMD64);
  ASSERT_FALSE(Obj.empty());
  Expected<PackResult> R = pack(Arch::AMD64, {Obj}, {"root_fn", "leaf"});
  ASSERT_TRUE(bool(R)) << errorText(R.takeError());
  std::optional<ElfInfo> Syso = checkStaticShape(*R, ELF::EM_X86_64);
  ASSERT_TRUE(Syso);
  std::optional<ElfInfo> In = parseElfFile(Obj);
  ASSERT_TRUE(In);
  ArrayRef<uint8_t> Text = Syso->sec(".text")->Data;

  ASSERT_EQ(R->Roots.size(), 2u);
  EXPECT_EQ(R->Roots[0].Name, "root_fn");
  EXPECT_EQ(R->Roots[1].Name, "leaf");

  // The helper stays, as a local function; the unreachable one is gone.
  const SymInfo *Helper = Syso->sym("helper");
  ASSERT_NE(Helper, nullptr);
  EXPECT_EQ(Helper->Binding, ELF::STB_LOCAL);
  EXPECT_EQ(Helper->Type, ELF::STT_FUNC);
  EXPECT_EQ(Syso->sym("unused_fn"), nullptr);

  // A leaf has no relocations: its bytes are the compiler's bytes.
  const SymInfo *InLeaf = In->sym("leaf");
  ASSERT_NE(InLeaf, nullptr);
  ArrayRef<uint8_t> LeafIn = In->sec(".text.leaf")->Data;
  EXPECT_EQ(R->Roots[1].Size, InLeaf->Size);
  EXPECT_EQ(Text.slice(R->Roots[1].Offset, InLeaf->Size),
            LeafIn.slice(InLeaf->Value, InLeaf->Size));

  // `call helper`: the rel32 of the e8 now points at the helper's offset.
  const RelInfo *Call = findReloc(*In, "root_fn", ELF::R_X86_64_PLT32);
  ASSERT_NE(Call, nullptr);
  EXPECT_EQ(Call->Symbol, "helper");
  uint64_t Field = R->Roots[0].Offset + Call->Offset;
  EXPECT_EQ(Text[Field - 1], 0xe8);
  int64_t CallTarget = Field + 4 + int32_t(read32(Text, Field));
  EXPECT_EQ(CallTarget, int64_t(Helper->Value));

  // The RIP-relative table reference resolved to S + A - P; S (the table,
  // alone in its section under -fdata-sections) must hold the table bytes.
  const RelInfo *Lea = findReloc(*In, "helper", ELF::R_X86_64_PC32);
  ASSERT_NE(Lea, nullptr);
  uint64_t LeaField = Helper->Value + Lea->Offset;
  int64_t TableAt = LeaField + int32_t(read32(Text, LeaField)) - Lea->Addend;
  ASSERT_GE(TableAt, 0);
  ASSERT_LE(uint64_t(TableAt) + 16, Text.size());
  EXPECT_EQ(Text.slice(TableAt, 16), ArrayRef<uint8_t>(TableBytes));
}

TEST_F(PackerTest, StaticBlobArm64ResolvesBranchAndPageAddress) {
  std::string Obj = compile("f.o", CallAndTableSource, Arch::ARM64);
  ASSERT_FALSE(Obj.empty());
  Expected<PackResult> R = pack(Arch::ARM64, {Obj}, {"root_fn"});
  ASSERT_TRUE(bool(R)) << errorText(R.takeError());
  std::optional<ElfInfo> Syso = checkStaticShape(*R, ELF::EM_AARCH64);
  ASSERT_TRUE(Syso);
  std::optional<ElfInfo> In = parseElfFile(Obj);
  ASSERT_TRUE(In);
  ArrayRef<uint8_t> Text = Syso->sec(".text")->Data;

  // ADRP is page-relative: Go must place .text at a page boundary for the
  // page arithmetic resolved by lld to stay true.
  EXPECT_EQ(Syso->sec(".text")->Align, 4096u);

  const SymInfo *Helper = Syso->sym("helper");
  ASSERT_NE(Helper, nullptr);
  EXPECT_EQ(Syso->sym("leaf"), nullptr); // not a root, not reached

  // BL imm26 points at the helper.
  const RelInfo *Call = findReloc(*In, "root_fn", ELF::R_AARCH64_CALL26);
  ASSERT_NE(Call, nullptr);
  uint64_t BlAt = R->Roots[0].Offset + Call->Offset;
  uint32_t Bl = read32(Text, BlAt);
  EXPECT_EQ(Bl & 0xfc000000u, 0x94000000u); // BL
  int64_t BlTarget = BlAt + signExtend(uint64_t(Bl & 0x03ffffffu) << 2, 28);
  EXPECT_EQ(BlTarget, int64_t(Helper->Value));

  // ADRP + ADD :lo12: (or lld's NOP + ADR) resolves to the table.
  const RelInfo *Page = findReloc(*In, "helper", ELF::R_AARCH64_ADR_PREL_PG_HI21);
  const RelInfo *Lo = findReloc(*In, "helper", ELF::R_AARCH64_ADD_ABS_LO12_NC);
  ASSERT_NE(Page, nullptr);
  ASSERT_NE(Lo, nullptr);
  std::optional<int64_t> TableAt = resolveAdrpAdd(
      Text, Helper->Value + Page->Offset, Helper->Value + Lo->Offset);
  ASSERT_TRUE(TableAt);
  ASSERT_GE(*TableAt, 0);
  ASSERT_LE(uint64_t(*TableAt) + 16, Text.size());
  EXPECT_EQ(Text.slice(*TableAt, 16), ArrayRef<uint8_t>(TableBytes));
}

TEST_F(PackerTest, StaticBlobArm64KeepsPageOffsetForAdrp) {
  // An ADRP that lld cannot relax (its ADD is not adjacent) is only correct
  // if Go puts .text on a page boundary, as it was linked.
  std::string Obj = compile("adrp.o", R"(
    .text
    .globl get_table
    .type get_table, %function
get_table:
    adrp x0, table
    mov x1, #0
    add x0, x0, :lo12:table
    ret
    .size get_table, . - get_table
    .section .rodata
    .p2align 4
table:
    .word 0x11223344, 0x55667788, 0x99aabbcc, 0xddeeff00
)",
                        Arch::ARM64, {}, "s");
  ASSERT_FALSE(Obj.empty());
  Expected<PackResult> R = pack(Arch::ARM64, {Obj}, {"get_table"});
  ASSERT_TRUE(bool(R)) << errorText(R.takeError());
  std::optional<ElfInfo> Syso = checkStaticShape(*R, ELF::EM_AARCH64);
  ASSERT_TRUE(Syso);
  EXPECT_EQ(Syso->sec(".text")->Align, 4096u);
  ArrayRef<uint8_t> Text = Syso->sec(".text")->Data;
  uint64_t At = R->Roots[0].Offset;
  EXPECT_EQ(read32(Text, At) & 0x9f000000u, 0x90000000u); // still an ADRP
  std::optional<int64_t> TableAt = resolveAdrpAdd(Text, At, At + 8);
  ASSERT_TRUE(TableAt);
  ASSERT_LE(uint64_t(*TableAt) + 16, Text.size());
  EXPECT_EQ(Text.slice(*TableAt, 16), ArrayRef<uint8_t>(TableBytes));
}

TEST_F(PackerTest, StaticBlobAmd64HasNoPageAlignment) {
  std::string Obj = compile("f.o", CallAndTableSource, Arch::AMD64);
  ASSERT_FALSE(Obj.empty());
  Expected<PackResult> R = pack(Arch::AMD64, {Obj}, {"root_fn"});
  ASSERT_TRUE(bool(R)) << errorText(R.takeError());
  std::optional<ElfInfo> Syso = checkStaticShape(*R, ELF::EM_X86_64);
  ASSERT_TRUE(Syso);
  EXPECT_EQ(Syso->sec(".text")->Align, 16u);
}

TEST_F(PackerTest, OutputIsByteIdenticalAcrossRunsAndPaths) {
  std::string Obj = compile("f.o", CallAndTableSource, Arch::AMD64);
  ASSERT_FALSE(Obj.empty());
  Expected<PackResult> A = pack(Arch::AMD64, {Obj}, {"root_fn", "leaf"});
  ASSERT_TRUE(bool(A)) << errorText(A.takeError());
  Expected<PackResult> B = pack(Arch::AMD64, {Obj}, {"root_fn", "leaf"});
  ASSERT_TRUE(bool(B)) << errorText(B.takeError());
  EXPECT_EQ(A->Syso, B->Syso);

  // Same object under another directory and name: no path leaks in.
  ASSERT_FALSE(sys::fs::create_directory(path("elsewhere")));
  std::string Copy = path("elsewhere/renamed.o");
  ASSERT_FALSE(sys::fs::copy_file(Obj, Copy));
  Expected<PackResult> C = pack(Arch::AMD64, {Copy}, {"root_fn", "leaf"});
  ASSERT_TRUE(bool(C)) << errorText(C.takeError());
  EXPECT_EQ(A->Syso, C->Syso);
  std::string Bytes(A->Syso.begin(), A->Syso.end());
  EXPECT_EQ(Bytes.find(Dir.str().str()), std::string::npos);

  // The DynamicGlue output (lld -r) is deterministic too.
  std::string Glue = compile("g.o", "long Counter; long bump(long N) { return Counter += N; }\n",
                             Arch::AMD64);
  ASSERT_FALSE(Glue.empty());
  Expected<PackResult> G1 = pack(Arch::AMD64, {Glue}, {"bump"});
  ASSERT_TRUE(bool(G1)) << errorText(G1.takeError());
  Expected<PackResult> G2 = pack(Arch::AMD64, {Glue}, {"bump"});
  ASSERT_TRUE(bool(G2)) << errorText(G2.takeError());
  EXPECT_EQ(G1->Syso, G2->Syso);
}

TEST_F(PackerTest, HiddenRootIsExportedFromTheBlob) {
  std::string Obj = compile(
      "h.o", "__attribute__((visibility(\"hidden\"))) int h_root(int X) { return X + 1; }\n",
      Arch::AMD64);
  ASSERT_FALSE(Obj.empty());
  Expected<PackResult> R = pack(Arch::AMD64, {Obj}, {"h_root"});
  ASSERT_TRUE(bool(R)) << errorText(R.takeError());
  EXPECT_TRUE(checkStaticShape(*R, ELF::EM_X86_64));
}

//===-- Archives -----------------------------------------------------------===//

TEST_F(PackerTest, ArchivePullsOnlyTheNeededMembers) {
  std::string Root = compile("root.o", "int helper2(int); int root2(int X) { return helper2(X) * 2; }\n",
                             Arch::AMD64);
  std::string Helper = compile("helper.o", "int helper2(int X) { return X + 40; }\n", Arch::AMD64);
  // If this member were pulled in, its writable data would force DynamicGlue
  // and its memcpy reference would pack the memcpy shim.
  std::string Other = compile("other.o", R"(
void *memcpy(void *, const void *, unsigned long);
char Buffer[64];
void other_fn(const char *S, unsigned long N) { memcpy(Buffer, S, N); }
)",
                              Arch::AMD64);
  ASSERT_FALSE(Root.empty() || Helper.empty() || Other.empty());
  std::string Lib = archive("lib.a", {Root, Helper, Other});
  ASSERT_FALSE(Lib.empty());

  Expected<PackResult> R = pack(Arch::AMD64, {Lib}, {"root2"});
  ASSERT_TRUE(bool(R)) << errorText(R.takeError());
  std::optional<ElfInfo> Syso = checkStaticShape(*R, ELF::EM_X86_64);
  ASSERT_TRUE(Syso);
  EXPECT_NE(Syso->sym("root2"), nullptr);
  EXPECT_NE(Syso->sym("helper2"), nullptr);
  EXPECT_EQ(Syso->sym("other_fn"), nullptr);
  EXPECT_TRUE(R->Shims.empty());

  Expected<std::map<std::string, std::string>> Defs =
      listDefinedSymbols({Lib}, targetFor(Arch::AMD64));
  ASSERT_TRUE(bool(Defs)) << errorText(Defs.takeError());
  EXPECT_EQ(Defs->at("root2"), Lib + "(root.o)");
  EXPECT_EQ(Defs->at("helper2"), Lib + "(helper.o)");
  EXPECT_EQ(Defs->at("other_fn"), Lib + "(other.o)");
  EXPECT_EQ(Defs->at("Buffer"), Lib + "(other.o)");
  EXPECT_EQ(Defs->count("memcpy"), 0u); // undefined is not defined
}

TEST_F(PackerTest, ListDefinedSymbolsSkipsLocalsAndPrefersStrong) {
  std::string Weak = compile("weak.o", "__attribute__((weak)) int pick(void) { return 1; }\n"
                                       "static int local_fn(void) { return 0; }\n"
                                       "int (*keep)(void) = local_fn;\n",
                             Arch::AMD64);
  std::string Strong = compile("strong.o", "int pick(void) { return 2; }\n", Arch::AMD64);
  ASSERT_FALSE(Weak.empty() || Strong.empty());
  auto Defs = listDefinedSymbols({Weak, Strong}, targetFor(Arch::AMD64));
  ASSERT_TRUE(bool(Defs)) << errorText(Defs.takeError());
  EXPECT_EQ(Defs->at("pick"), Strong);
  EXPECT_EQ(Defs->count("local_fn"), 0u);
  EXPECT_EQ(Defs->at("keep"), Weak);
}

//===-- DynamicGlue --------------------------------------------------------===//

/// The 8-byte little-endian value at Offset of the .syso's `.text`.
uint64_t textWord(const ElfInfo &Syso, uint64_t Offset) {
  const SecInfo *Text = Syso.sec(".text");
  if (!Text || Offset + 8 > Text->Data.size())
    return ~0ull;
  return support::endian::read64le(Text->Data.data() + Offset);
}

TEST_F(PackerTest, WritableDataIsLaidOutOnPagesOfItsOwn) {
  std::string Obj = compile("counter.o", R"(
static long Counter;
long Seed = 5;
long bump(long N) { Counter += N + Seed; return Counter; }
)",
                            Arch::AMD64);
  ASSERT_FALSE(Obj.empty());
  Expected<PackResult> R = pack(Arch::AMD64, {Obj}, {"bump"});
  ASSERT_TRUE(bool(R)) << errorText(R.takeError());
  EXPECT_EQ(R->Strategy, PackStrategy::StaticBlob);
  const BlobRelocation &L = R->Relocation;
  ASSERT_FALSE(L.empty());
  EXPECT_EQ(L.PageAlign, 4096u);
  EXPECT_GE(L.RelroOffset, R->TextBytes);
  EXPECT_EQ(L.RelroOffset % 4096, 0u);
  EXPECT_EQ(L.DataOffset % 4096, 0u);
  EXPECT_EQ(L.DataEnd % 4096, 0u);
  EXPECT_GT(L.DataEnd, L.DataOffset);
  EXPECT_EQ(L.ZeroBytes, 8u); // Counter
  EXPECT_EQ(R->DataBytes, L.DataEnd - L.RelroOffset);
  std::optional<ElfInfo> Syso = parseElf(R->Syso);
  ASSERT_TRUE(Syso);
  EXPECT_TRUE(Syso->Relocs.empty()) << "cmd/link would drop them";
  const SecInfo *Text = Syso->sec(".text");
  ASSERT_NE(Text, nullptr);
  EXPECT_EQ(Text->Align, 4096u); // the data pages are pages at run time too
  EXPECT_GE(Text->Data.size(), L.DataEnd);
  // Seed's initial value is in the image's data.
  bool SeedFound = false;
  for (uint64_t Off = L.DataOffset; Off + 8 <= L.DataEnd; Off += 8)
    SeedFound |= textWord(*Syso, Off) == 5;
  EXPECT_TRUE(SeedFound);
}

TEST_F(PackerTest, PointerTablesBecomeAddressSlots) {
  std::string Obj = compile("names.o", R"(
const char *const Names[] = {"zero", "one", "two"};
const char *name_of(int I) { return Names[I]; }
)",
                            Arch::AMD64);
  ASSERT_FALSE(Obj.empty());
  Expected<PackResult> R = pack(Arch::AMD64, {Obj}, {"name_of"});
  ASSERT_TRUE(bool(R)) << errorText(R.takeError());
  ASSERT_EQ(R->Strategy, PackStrategy::StaticBlob) << R->Why;
  const BlobRelocation &L = R->Relocation;
  ASSERT_EQ(L.Slots.size(), 3u);
  ASSERT_EQ(L.Sections.size(), 1u);
  EXPECT_EQ(L.Sections[0].first, ".data.rel.ro");
  EXPECT_EQ(L.Sections[0].second, 24u);
  EXPECT_EQ(L.DataOffset, L.DataEnd); // nothing writable after init
  std::optional<ElfInfo> Syso = parseElf(R->Syso);
  ASSERT_TRUE(Syso);
  const SecInfo *Text = Syso->sec(".text");
  ASSERT_NE(Text, nullptr);
  // Each slot holds the image offset of its string, which init turns into
  // an address by adding the image's.
  std::vector<std::string> Strings;
  for (uint64_t Slot : L.Slots) {
    EXPECT_GE(Slot, L.RelroOffset);
    EXPECT_LT(Slot, L.DataOffset);
    uint64_t Target = textWord(*Syso, Slot);
    ASSERT_LT(Target, R->TextBytes);
    Strings.emplace_back(reinterpret_cast<const char *>(Text->Data.data() + Target));
  }
  EXPECT_EQ(Strings, (std::vector<std::string>{"zero", "one", "two"}));
}

TEST_F(PackerTest, AbsoluteAddressInCodeIsAnErrorNamingTheFunction) {
  std::string Obj = compile("abs.o", R"(
long Value = 3;
long read_abs(void) { long *P; __asm__("movabsq $Value, %0" : "=r"(P)); return *P; }
)",
                            Arch::AMD64);
  ASSERT_FALSE(Obj.empty());
  Expected<PackResult> R = pack(Arch::AMD64, {Obj}, {"read_abs"});
  ASSERT_FALSE(bool(R));
  std::string Msg = errorText(R.takeError());
  EXPECT_NE(Msg.find("absolute addresses in code"), std::string::npos) << Msg;
  EXPECT_NE(Msg.find("read_abs+0x"), std::string::npos) << Msg;
  EXPECT_NE(Msg.find("-fPIC"), std::string::npos) << Msg;
}

TEST_F(PackerTest, WritableSectionOfItsOwnNeedsDynamicGlue) {
  // -g and unwind tables on purpose: those sections must not reach the .syso.
  std::string Obj = compile("counter.o", R"(
__attribute__((section("state"))) static long Counter;
long Seed = 5;
long bump(long N) { Counter += N + Seed; return Counter; }
)",
                            Arch::AMD64, {"-g", "-fasynchronous-unwind-tables"});
  ASSERT_FALSE(Obj.empty());
  Expected<PackResult> R = pack(Arch::AMD64, {Obj}, {"bump"});
  ASSERT_TRUE(bool(R)) << errorText(R.takeError());
  EXPECT_EQ(R->Strategy, PackStrategy::DynamicGlue);
  EXPECT_NE(R->Why.find("writable data outside .data and .bss (state 8 bytes)"),
            std::string::npos)
      << R->Why;
  EXPECT_EQ(R->DataBytes, 16u);
  EXPECT_GT(R->TextBytes, 0u);

  std::optional<ElfInfo> Syso = parseElf(R->Syso);
  ASSERT_TRUE(Syso);
  EXPECT_EQ(Syso->Type, ELF::ET_REL);
  EXPECT_EQ(Syso->Machine, ELF::EM_X86_64);
  EXPECT_FALSE(Syso->Relocs.empty()); // kept for cmd/link to apply
  EXPECT_NE(Syso->sec(".note.GNU-stack"), nullptr);
  for (const SecInfo &S : Syso->Sections) {
    EXPECT_FALSE(StringRef(S.Name).starts_with(".debug")) << S.Name;
    EXPECT_FALSE(StringRef(S.Name).contains(".eh_frame")) << S.Name;
    EXPECT_NE(S.Name, ".comment");
  }
  ASSERT_EQ(R->Roots.size(), 1u);
  const SymInfo *Bump = Syso->sym("bump");
  ASSERT_NE(Bump, nullptr);
  EXPECT_EQ(Bump->Binding, ELF::STB_GLOBAL);
  EXPECT_EQ(Bump->Type, ELF::STT_FUNC);
  EXPECT_EQ(R->Roots[0].Offset, Bump->Value);
  EXPECT_EQ(R->Roots[0].Size, Bump->Size);
}

TEST_F(PackerTest, EmbeddedBitcodeIsDropped) {
  std::string Obj = compile("bc.o", "int twice(int X) { return 2 * X; }\n", Arch::AMD64,
                            // The driver refuses -fembed-bitcode with -ffunction-sections; cc1 does not.
                            {"-Xclang", "-fembed-bitcode=all"});
  ASSERT_FALSE(Obj.empty());
  std::optional<ElfInfo> In = parseElfFile(Obj);
  ASSERT_TRUE(In);
  ASSERT_NE(In->sec(".llvmbc"), nullptr); // the test really has bitcode
  ASSERT_NE(In->sec(".llvmcmd"), nullptr);
  Expected<PackResult> R = pack(Arch::AMD64, {Obj}, {"twice"});
  ASSERT_TRUE(bool(R)) << errorText(R.takeError());
  EXPECT_TRUE(checkStaticShape(*R, ELF::EM_X86_64));

  // The relocatable merge used for DynamicGlue drops them as well.
  std::string Glue = compile("bcg.o",
                             "__attribute__((section(\"state\"))) long Count;\n"
                             "long inc(void) { return ++Count; }\n",
                             Arch::AMD64, {"-Xclang", "-fembed-bitcode=all"});
  ASSERT_FALSE(Glue.empty());
  Expected<PackResult> G = pack(Arch::AMD64, {Glue}, {"inc"});
  ASSERT_TRUE(bool(G)) << errorText(G.takeError());
  EXPECT_EQ(G->Strategy, PackStrategy::DynamicGlue);
  std::optional<ElfInfo> Syso = parseElf(G->Syso);
  ASSERT_TRUE(Syso);
  EXPECT_EQ(Syso->sec(".llvmbc"), nullptr);
  EXPECT_EQ(Syso->sec(".llvmcmd"), nullptr);
}

//===-- Errors -------------------------------------------------------------===//

TEST_F(PackerTest, UndefinedSymbolIsAnErrorWithLldLines) {
  // memcpy is provided (a shim); malloc is not.
  std::string Obj = compile("m.o", R"(
void *memcpy(void *, const void *, unsigned long);
void *malloc(unsigned long);
void *dup(const char *S, unsigned long N) { return memcpy(malloc(N), S, N); }
)",
                            Arch::AMD64);
  ASSERT_FALSE(Obj.empty());
  Expected<PackResult> R = pack(Arch::AMD64, {Obj}, {"dup"});
  ASSERT_FALSE(bool(R));
  std::string Msg = errorText(R.takeError());
  EXPECT_EQ(Msg.rfind("native code references undefined symbol 'malloc' "
                      "(referenced by " + Obj + ":(dup))", 0),
            0u)
      << Msg;
  EXPECT_NE(Msg.find("freestanding"), std::string::npos) << Msg;
  EXPECT_EQ(Msg.find("'memcpy'"), std::string::npos) << Msg;
  // lld's own lines follow, untouched.
  EXPECT_NE(Msg.find("\nld.lld: error: undefined symbol: malloc\n>>> referenced by"),
            std::string::npos)
      << Msg;
}

TEST_F(PackerTest, ForeignArchitectureIsAnError) {
  std::string Obj = compile("a64.o", "int f(int X) { return X; }\n", Arch::ARM64);
  ASSERT_FALSE(Obj.empty());
  Expected<PackResult> R = pack(Arch::AMD64, {Obj}, {"f"});
  ASSERT_FALSE(bool(R));
  std::string Msg = errorText(R.takeError());
  EXPECT_NE(Msg.find(Obj), std::string::npos) << Msg;
  EXPECT_NE(Msg.find("built for aarch64 but target is linux/amd64"), std::string::npos)
      << Msg;

  std::string Lib = archive("lib.a", {Obj});
  ASSERT_FALSE(Lib.empty());
  auto Defs = listDefinedSymbols({Lib}, targetFor(Arch::AMD64));
  ASSERT_FALSE(bool(Defs));
  Msg = errorText(Defs.takeError());
  EXPECT_NE(Msg.find(Lib + "(a64.o)"), std::string::npos) << Msg;
  EXPECT_NE(Msg.find("built for aarch64"), std::string::npos) << Msg;
}

TEST_F(PackerTest, SharedLibrariesExecutablesAndEmptyArchivesAreErrorsSayingWhatTheyAre) {
  for (Arch A : {Arch::AMD64, Arch::ARM64}) {
    std::string Tag = A == Arch::AMD64 ? "64" : "a64";
    std::string Obj = compile("k" + Tag + ".o", "long kind_fn(long X) { return X + 1; }\n", A);
    ASSERT_FALSE(Obj.empty());
    std::string So = path("libk" + Tag + ".so"), Exe = path("k" + Tag + ".exe"),
                Pie = path("k" + Tag + ".pie");
    ASSERT_TRUE(run(GOTRAMP_LLD, {"-shared", Obj, "-o", So}));
    ASSERT_TRUE(run(GOTRAMP_LLD, {"-static", "-e", "kind_fn", Obj, "-o", Exe}));
    ASSERT_TRUE(run(GOTRAMP_LLD, {"-pie", "-e", "kind_fn", "--dynamic-linker", "/lib/ld.so", Obj,
                                  "-o", Pie}));
    std::string Empty = archive("empty" + Tag + ".a", {});
    ASSERT_FALSE(Empty.empty());
    const std::pair<std::string, std::string> Cases[] = {
        {So, "is a shared library (ELF type ET_DYN)"},
        {Exe, "is an executable (ELF type ET_EXEC)"},
        {Pie, "is a position-independent executable"},
        {Empty, "is an empty archive (no members, so no objects)"},
    };
    for (const auto &[File, What] : Cases) {
      Expected<PackResult> R = pack(A, {File}, {"kind_fn"});
      ASSERT_FALSE(bool(R)) << File;
      std::string Msg = errorText(R.takeError());
      EXPECT_NE(Msg.find("'" + File + "': " + What), std::string::npos) << Msg;
      EXPECT_NE(Msg.find("relocatable objects (.o, from clang -c) and static archives"),
                std::string::npos)
          << Msg;
      auto Listed = listDefinedSymbols({File}, targetFor(A));
      ASSERT_FALSE(bool(Listed)) << File;
      EXPECT_NE(errorText(Listed.takeError()).find(What), std::string::npos);
    }
  }
}

TEST_F(PackerTest, UnreadableOrNonElfInputIsAnError) {
  auto Defs = listDefinedSymbols({path("missing.o")}, targetFor(Arch::AMD64));
  ASSERT_FALSE(bool(Defs));
  EXPECT_NE(errorText(Defs.takeError()).find("missing.o"), std::string::npos);

  std::string Text = path("notes.txt");
  {
    std::error_code EC;
    raw_fd_ostream OS(Text, EC);
    OS << "not an object\n";
  }
  Defs = listDefinedSymbols({Text}, targetFor(Arch::AMD64));
  ASSERT_FALSE(bool(Defs));
  std::string Msg = errorText(Defs.takeError());
  EXPECT_NE(Msg.find("notes.txt"), std::string::npos) << Msg;
  EXPECT_NE(Msg.find("not an ELF object"), std::string::npos) << Msg;
}

TEST_F(PackerTest, MissingRootIsAnError) {
  std::string Obj = compile("f.o", CallAndTableSource, Arch::AMD64);
  ASSERT_FALSE(Obj.empty());
  Expected<PackResult> R = pack(Arch::AMD64, {Obj}, {"root_fn", "no_such_fn"});
  ASSERT_FALSE(bool(R));
  std::string Msg = errorText(R.takeError());
  EXPECT_NE(Msg.find("'no_such_fn'"), std::string::npos) << Msg;
}

TEST_F(PackerTest, DataRootIsAnError) {
  std::string Obj = compile("d.o", "const int Answer = 42;\n", Arch::AMD64);
  ASSERT_FALSE(Obj.empty());
  Expected<PackResult> R = pack(Arch::AMD64, {Obj}, {"Answer"});
  ASSERT_FALSE(bool(R));
  std::string Msg = errorText(R.takeError());
  EXPECT_NE(Msg.find("'Answer' is not a function"), std::string::npos) << Msg;
}

TEST_F(PackerTest, ThreadLocalStorageIsAnError) {
  std::string Obj = compile("t.o", "__thread long Tl; long get_tl(void) { return Tl; }\n",
                            Arch::AMD64);
  ASSERT_FALSE(Obj.empty());
  Expected<PackResult> R = pack(Arch::AMD64, {Obj}, {"get_tl"});
  ASSERT_FALSE(bool(R));
  std::string Msg = errorText(R.takeError());
  EXPECT_NE(Msg.find("thread-local storage is not supported: Go owns the FS base"),
            std::string::npos)
      << Msg;
  // The variable, its section and object, and the function using it.
  EXPECT_NE(Msg.find("'Tl' in section .tbss.Tl of " + Obj + ", used by get_tl"),
            std::string::npos)
      << Msg;
  EXPECT_NE(Msg.find("Use no thread-local variables"), std::string::npos) << Msg;
}

TEST_F(PackerTest, ThreadLocalStorageNamesTheArchiveMemberOnBothTargets) {
  for (Arch A : {Arch::AMD64, Arch::ARM64}) {
    std::vector<std::string> Extra = {"-fPIE"};
    if (A == Arch::ARM64)
      Extra.push_back("-ffixed-x28");
    std::string Obj = compile(A == Arch::AMD64 ? "tl64.o" : "tla64.o", R"(
__thread long Counter;
static __thread int Depth;
long bump_tl(void) { return ++Counter + Depth++; }
long no_tl(long X) { return X; }
)",
                              A, Extra);
    ASSERT_FALSE(Obj.empty());
    std::string Lib = archive(A == Arch::AMD64 ? "libtl64.a" : "libtla64.a", {Obj});
    ASSERT_FALSE(Lib.empty());
    std::string Member = Lib + "(" + sys::path::filename(Obj).str() + ")";
    Expected<PackResult> R = pack(A, {Lib}, {"bump_tl"});
    ASSERT_FALSE(bool(R));
    std::string Msg = errorText(R.takeError());
    EXPECT_NE(Msg.find("thread-local storage is not supported"), std::string::npos) << Msg;
    EXPECT_NE(Msg.find("'Counter' in section .tbss.Counter of " + Member + ", used by bump_tl"),
              std::string::npos)
        << Msg;
    EXPECT_NE(Msg.find("'Depth' in section .tbss.Depth of " + Member), std::string::npos) << Msg;
    Expected<PackResult> Ok = pack(A, {Lib}, {"no_tl"});
    EXPECT_TRUE(bool(Ok)) << errorText(Ok.takeError());
  }
}

TEST_F(PackerTest, NonPicCodeIsAnError) {
  std::string Obj = compile("np.o", "int Arr[10]; int get_np(int I) { return Arr[I]; }\n",
                            Arch::AMD64, {"-fno-pic"});
  ASSERT_FALSE(Obj.empty());
  Expected<PackResult> R = pack(Arch::AMD64, {Obj}, {"get_np"});
  ASSERT_FALSE(bool(R));
  std::string Msg = errorText(R.takeError());
  EXPECT_NE(Msg.find("not position-independent"), std::string::npos) << Msg;
  EXPECT_NE(Msg.find("R_X86_64_32S"), std::string::npos) << Msg;
  EXPECT_NE(Msg.find("-fPIC"), std::string::npos) << Msg;
}

TEST_F(PackerTest, WeakUndefinedReferenceIsAnError) {
  std::string Obj = compile("w.o", R"(
extern int maybe(int) __attribute__((weak));
int w(int X) { return maybe ? maybe(X) : X; }
)",
                            Arch::AMD64);
  ASSERT_FALSE(Obj.empty());
  Expected<PackResult> R = pack(Arch::AMD64, {Obj}, {"w"});
  ASSERT_FALSE(bool(R));
  std::string Msg = errorText(R.takeError());
  EXPECT_NE(Msg.find("weak reference to undefined symbol 'maybe'"), std::string::npos)
      << Msg;
}

TEST_F(PackerTest, StaticConstructorIsAnError) {
  std::string Obj = compile("c.o", R"(
static volatile int Ready; // volatile: clang cannot fold the constructor
__attribute__((constructor)) static void init(void) { Ready = 1; }
int ready(void) { return Ready; }
)",
                            Arch::AMD64);
  ASSERT_FALSE(Obj.empty());
  Expected<PackResult> R = pack(Arch::AMD64, {Obj}, {"ready"});
  ASSERT_FALSE(bool(R));
  std::string Msg = errorText(R.takeError());
  EXPECT_NE(Msg.find("static constructors are not supported"), std::string::npos) << Msg;
  EXPECT_NE(Msg.find("section .init_array of " + Obj + " calls 'init'"), std::string::npos)
      << Msg;
}

TEST_F(PackerTest, StaticConstructorInAnArchiveMemberNamesIt) {
  std::string Ctor = compile("ctor.o", R"(
static volatile int Ready;
__attribute__((constructor)) static void set_ready(void) { Ready = 1; }
int is_ready(void) { return Ready; }
)",
                             Arch::AMD64);
  std::string Plain = compile("plain.o", "int plain_one(void) { return 1; }\n", Arch::AMD64);
  ASSERT_FALSE(Ctor.empty() || Plain.empty());
  std::string Lib = archive("libctor.a", {Ctor, Plain});
  ASSERT_FALSE(Lib.empty());
  Expected<PackResult> R = pack(Arch::AMD64, {Lib}, {"is_ready"});
  ASSERT_FALSE(bool(R));
  std::string Msg = errorText(R.takeError());
  EXPECT_NE(Msg.find("section .init_array of " + Lib + "(ctor.o) calls 'set_ready'"),
            std::string::npos)
      << Msg;
  // A member nothing needs is not loaded, and its constructor does not run
  // or matter.
  Expected<PackResult> Ok = pack(Arch::AMD64, {Lib}, {"plain_one"});
  EXPECT_TRUE(bool(Ok)) << errorText(Ok.takeError());
}

TEST_F(PackerTest, LargeCodeModelIsAnErrorNamingTheFlag) {
  std::string Obj = compile("large.o", R"(
static const long Table[4] = {1, 2, 3, 5};
long large_fn(long I) { return Table[I & 3]; }
)",
                            Arch::AMD64, {"-mcmodel=large"});
  ASSERT_FALSE(Obj.empty());
  Expected<PackResult> R = pack(Arch::AMD64, {Obj}, {"large_fn"});
  ASSERT_FALSE(bool(R));
  std::string Msg = errorText(R.takeError());
  EXPECT_NE(Msg.find("-mcmodel=large"), std::string::npos) << Msg;
  EXPECT_NE(Msg.find("'large_fn' in section .ltext.large_fn of " + Obj), std::string::npos)
      << Msg;
  EXPECT_NE(Msg.find("compile without -mcmodel=large"), std::string::npos) << Msg;
  EXPECT_EQ(Msg.find("no .text section"), std::string::npos) << Msg;
}

TEST_F(PackerTest, BadLldPathIsAnError) {
  std::string Obj = compile("f.o", CallAndTableSource, Arch::AMD64);
  ASSERT_FALSE(Obj.empty());
  PackRequest Req;
  Req.ObjectPaths = {Obj};
  Req.Roots = {"leaf"};
  Req.LldPath = path("no-such-lld");
  Expected<PackResult> R = packObjects(Req);
  ASSERT_FALSE(bool(R));
  EXPECT_NE(errorText(R.takeError()).find("no-such-lld"), std::string::npos);
}


//===-- mem* shims ---------------------------------------------------------===//

// A 4 KiB struct copy: clang calls memcpy for it even with -fno-builtin.
constexpr const char *ShimUserSource = R"(
struct big { long v[512]; };
unsigned long strlen(const char *);
long copy_sum(struct big *d, const struct big *s, const char *name) {
  *d = *s;
  return d->v[3] + (long)strlen(name);
}
long plain(long x) { return x + 1; }
)";

std::vector<std::string> arm64Flags(Arch A) {
  return A == Arch::ARM64 ? std::vector<std::string>{"-ffixed-x28"} : std::vector<std::string>{};
}

TEST_F(PackerTest, MemShimsArePackedOnlyWhenReferenced) {
  for (Arch A : {Arch::AMD64, Arch::ARM64}) {
    SCOPED_TRACE(A == Arch::AMD64 ? "amd64" : "arm64");
    std::string Obj = compile(A == Arch::AMD64 ? "shim64.o" : "shima64.o", ShimUserSource, A,
                              arm64Flags(A));
    ASSERT_FALSE(Obj.empty());
    std::optional<ElfInfo> In = parseElfFile(Obj);
    ASSERT_TRUE(In);
    ASSERT_TRUE(In->sym("memcpy") && In->sym("memcpy")->Section == 0) << "precondition: memcpy call";

    Expected<PackResult> R = pack(A, {Obj}, {"copy_sum"});
    ASSERT_TRUE(bool(R)) << errorText(R.takeError());
    std::optional<ElfInfo> Syso =
        checkStaticShape(*R, A == Arch::AMD64 ? ELF::EM_X86_64 : ELF::EM_AARCH64);
    ASSERT_TRUE(Syso);
    EXPECT_EQ(R->Shims, (std::vector<std::string>{"memcpy", "strlen"}));
    for (const char *Name : {"memcpy", "strlen"}) {
      const SymInfo *S = Syso->sym(Name);
      ASSERT_NE(S, nullptr) << Name;
      EXPECT_EQ(S->Binding, ELF::STB_LOCAL) << Name; // never clashes with libc's
      EXPECT_EQ(S->Type, ELF::STT_FUNC) << Name;
      EXPECT_GT(S->Size, 0u) << Name;
    }
    EXPECT_EQ(Syso->sym("memset"), nullptr);
    EXPECT_EQ(Syso->sym("memmove"), nullptr);

    if (A == Arch::AMD64) {
      // The call to memcpy lands on the shim.
      const RelInfo *Call = nullptr;
      for (const RelInfo &X : In->Relocs)
        if (X.Symbol == "memcpy")
          Call = &X;
      ASSERT_NE(Call, nullptr);
      ArrayRef<uint8_t> Text = Syso->sec(".text")->Data;
      uint64_t Field = R->Roots[0].Offset + Call->Offset;
      int64_t Target = Field + int32_t(read32(Text, Field)) - Call->Addend;
      EXPECT_EQ(Target, int64_t(Syso->sym("memcpy")->Value));
    }

    // Code that references none gets none.
    Expected<PackResult> P = pack(A, {Obj}, {"plain"});
    ASSERT_TRUE(bool(P)) << errorText(P.takeError());
    EXPECT_TRUE(P->Shims.empty());
    std::optional<ElfInfo> PS = parseElf(P->Syso);
    ASSERT_TRUE(PS);
    EXPECT_EQ(PS->sym("memcpy"), nullptr);
    EXPECT_EQ(PS->sym("strlen"), nullptr);
  }
}

// A function the stack protector instruments (a local array whose address
// escapes).
constexpr const char *StackProtectedSource = R"(
void fill(char *p, int n);
int guarded(int n) {
  char buf[64];
  fill(buf, n);
  return buf[0] + buf[n & 63];
}
void fill(char *p, int n) {
  for (int i = 0; i < 64; i++)
    p[i] = (char)(i * n);
}
)";

TEST_F(PackerTest, StackChkFailComesFromTheShimsInLibcModeOnly) {
  for (Arch A : {Arch::AMD64, Arch::ARM64}) {
    SCOPED_TRACE(A == Arch::AMD64 ? "amd64" : "arm64");
    std::vector<std::string> Flags = arm64Flags(A);
    Flags.push_back("-fstack-protector-all");
    std::string Obj = compile(A == Arch::AMD64 ? "ssp64.o" : "sspa64.o", StackProtectedSource,
                              A, Flags);
    ASSERT_FALSE(Obj.empty());
    std::optional<ElfInfo> In = parseElfFile(Obj);
    ASSERT_TRUE(In);
    ASSERT_TRUE(In->sym(StackChkFailSymbol) && In->sym(StackChkFailSymbol)->Section == 0)
        << "precondition: the object calls __stack_chk_fail";

    // Outside libc mode the stack protector stays an error (Go's TLS on
    // amd64, glibc's __stack_chk_guard on arm64).
    Expected<PackResult> Freestanding = pack(A, {Obj}, {"guarded"});
    ASSERT_FALSE(bool(Freestanding));
    consumeError(Freestanding.takeError());

    PackRequest Req;
    Req.Tgt = targetFor(A);
    Req.ObjectPaths = {Obj};
    Req.Roots = {"guarded"};
    Req.LldPath = GOTRAMP_LLD;
    Req.LibcMode = true;
    if (A == Arch::ARM64)
      Req.Imports.push_back({"__stack_chk_guard", "ld-linux-aarch64.so.1", "GLIBC_2.17", true});
    Expected<PackResult> R = packObjects(Req);
    ASSERT_TRUE(bool(R)) << errorText(R.takeError());
    EXPECT_EQ(R->Shims, std::vector<std::string>{StackChkFailSymbol});
    EXPECT_TRUE(R->GlibcThreads) << "the canary lives in glibc's thread control block";
    if (A == Arch::AMD64)
      EXPECT_TRUE(R->Imports.empty());
    else
      EXPECT_EQ(R->Imports, Req.Imports);
    std::optional<ElfInfo> Syso = parseElf(R->Syso);
    ASSERT_TRUE(Syso);
    const SymInfo *Fail = Syso->sym(StackChkFailSymbol);
    ASSERT_NE(Fail, nullptr);
    EXPECT_EQ(Fail->Binding, ELF::STB_LOCAL);
    EXPECT_GT(Fail->Size, 0u);

    // An input's own __stack_chk_fail wins, as for the mem* routines.
    std::string Own = compile(A == Arch::AMD64 ? "own64.o" : "owna64.o",
                              "void __stack_chk_fail(void) { __builtin_trap(); }", A,
                              arm64Flags(A));
    ASSERT_FALSE(Own.empty());
    Req.ObjectPaths = {Obj, Own};
    Expected<PackResult> WithOwn = packObjects(Req);
    ASSERT_TRUE(bool(WithOwn)) << errorText(WithOwn.takeError());
    EXPECT_TRUE(WithOwn->Shims.empty());
  }
}

TEST_F(PackerTest, InputDefinitionOfMemcpyWinsOverTheShim) {
  std::string User = compile("user.o", ShimUserSource, Arch::AMD64);
  std::string Own = compile("own.o", R"(
void *memcpy(void *d, const void *s, unsigned long n) {
  volatile char *dd = d; const char *ss = s;
  while (n--) *dd++ = *ss++;
  return d;
}
)",
                            Arch::AMD64);
  ASSERT_FALSE(User.empty() || Own.empty());
  Expected<PackResult> R = pack(Arch::AMD64, {User, Own}, {"copy_sum"});
  ASSERT_TRUE(bool(R)) << errorText(R.takeError());
  EXPECT_EQ(R->Shims, std::vector<std::string>{"strlen"});
  std::optional<ElfInfo> Syso = parseElf(R->Syso);
  std::optional<ElfInfo> OwnIn = parseElfFile(Own);
  ASSERT_TRUE(Syso && OwnIn);
  ASSERT_NE(Syso->sym("memcpy"), nullptr);
  EXPECT_EQ(Syso->sym("memcpy")->Size, OwnIn->sym("memcpy")->Size);
}

TEST_F(PackerTest, ShimsNeedAClang) {
  std::string Obj = compile("nc.o", ShimUserSource, Arch::AMD64);
  ASSERT_FALSE(Obj.empty());
  PackRequest Req;
  Req.Tgt = targetFor(Arch::AMD64);
  Req.ObjectPaths = {Obj};
  Req.Roots = {"copy_sum"};
  Req.LldPath = GOTRAMP_LLD;
  Req.ClangPath = path("no-such-clang");
  Expected<PackResult> R = packObjects(Req);
  ASSERT_FALSE(bool(R));
  std::string Msg = errorText(R.takeError());
  EXPECT_NE(Msg.find("references memcpy, strlen"), std::string::npos) << Msg;
  EXPECT_NE(Msg.find("no-such-clang"), std::string::npos) << Msg;
}

TEST_F(PackerTest, OutputWithShimsIsByteIdenticalAcrossPaths) {
  std::string Obj = compile("s.o", ShimUserSource, Arch::ARM64, {"-ffixed-x28"});
  ASSERT_FALSE(Obj.empty());
  Expected<PackResult> A = pack(Arch::ARM64, {Obj}, {"copy_sum"});
  ASSERT_TRUE(bool(A)) << errorText(A.takeError());
  Expected<PackResult> B = pack(Arch::ARM64, {Obj}, {"copy_sum"});
  ASSERT_TRUE(bool(B)) << errorText(B.takeError());
  EXPECT_EQ(A->Syso, B->Syso);
  std::string Bytes(A->Syso.begin(), A->Syso.end());
  EXPECT_EQ(Bytes.find("gotramp-shims"), std::string::npos);
}

//===-- Symbol hygiene -----------------------------------------------------===//

TEST_F(PackerTest, StaticBlobRootsTakeThePrefixEverythingElseIsLocal) {
  std::string Obj = compile("f.o", CallAndTableSource, Arch::AMD64);
  ASSERT_FALSE(Obj.empty());
  Expected<PackResult> R = pack(Arch::AMD64, {Obj}, {"root_fn", "leaf"}, "gotramp_pkg_");
  ASSERT_TRUE(bool(R)) << errorText(R.takeError());
  std::optional<ElfInfo> Syso = checkStaticShape(*R, ELF::EM_X86_64);
  ASSERT_TRUE(Syso);
  ASSERT_EQ(R->Roots.size(), 2u);
  EXPECT_EQ(R->Roots[0].Name, "root_fn");
  EXPECT_EQ(R->Roots[0].Symbol, "gotramp_pkg_root_fn");
  EXPECT_EQ(R->Roots[1].Symbol, "gotramp_pkg_leaf");
  EXPECT_EQ(R->symbolFor("leaf"), "gotramp_pkg_leaf");
  EXPECT_EQ(R->symbolFor("helper"), "helper");
  EXPECT_EQ(Syso->sym("root_fn"), nullptr);
  EXPECT_EQ(Syso->sym("leaf"), nullptr);
  ASSERT_NE(Syso->sym("helper"), nullptr);
  EXPECT_EQ(Syso->sym("helper")->Binding, ELF::STB_LOCAL);
  EXPECT_EQ(Syso->sym("gotramp_pkg_root_fn")->Value, R->Roots[0].Offset);
}

TEST_F(PackerTest, DynamicGlueRootsTakeThePrefixEverythingElseIsLocal) {
  std::string Obj = compile("g.o", R"(
__attribute__((section("state"))) long Counter = 3;
long Table[4];
__attribute__((noinline)) long helper_g(long N) { return Table[N & 3] += N; }
long bump(long N) { Counter += helper_g(N); return Counter; }
)",
                            Arch::AMD64, {"-fcommon"});
  ASSERT_FALSE(Obj.empty());
  Expected<PackResult> R = pack(Arch::AMD64, {Obj}, {"bump"}, "gotramp_g_");
  ASSERT_TRUE(bool(R)) << errorText(R.takeError());
  EXPECT_EQ(R->Strategy, PackStrategy::DynamicGlue);
  std::optional<ElfInfo> Syso = parseElf(R->Syso);
  ASSERT_TRUE(Syso);
  for (size_t I = 1; I < Syso->Symbols.size(); ++I) { // 0 is the null symbol
    const SymInfo &S = Syso->Symbols[I];
    if (S.Binding != ELF::STB_LOCAL)
      EXPECT_EQ(S.Name, "gotramp_g_bump");
    EXPECT_NE(S.Section, 0u) << S.Name << " is undefined";
  }
  const SymInfo *Bump = Syso->sym("gotramp_g_bump");
  ASSERT_NE(Bump, nullptr);
  EXPECT_EQ(Bump->Binding, ELF::STB_GLOBAL);
  EXPECT_EQ(R->Roots[0].Symbol, "gotramp_g_bump");
  EXPECT_EQ(R->Roots[0].Offset, Bump->Value);
  for (const char *Local : {"Counter", "Table", "helper_g"}) {
    const SymInfo *S = Syso->sym(Local);
    ASSERT_NE(S, nullptr) << Local;
    EXPECT_EQ(S->Binding, ELF::STB_LOCAL) << Local;
  }
  // -fcommon: the common Table got space in .bss.
  EXPECT_EQ(Syso->sym("Table")->Section, Syso->sec(".bss") - &Syso->Sections[0]);
  EXPECT_EQ(Syso->sym("bump"), nullptr);
}

//===-- Function table (crash reports) --------------------------------------===//

/// Checks PackResult::Functions against the .syso: sorted, one per address,
/// inside the code, every root with its .syso symbol, locals without one.
void checkFunctionTable(const PackResult &R, const ElfInfo &Syso) {
  ASSERT_FALSE(R.Functions.empty());
  EXPECT_GT(R.CodeBytes, 0u);
  for (size_t I = 0; I < R.Functions.size(); ++I) {
    const PackedFunction &F = R.Functions[I];
    if (I > 0)
      EXPECT_LT(R.Functions[I - 1].Offset, F.Offset) << F.Name;
    EXPECT_LE(F.Offset + F.Size, R.CodeBytes) << F.Name;
    const SymInfo *S = Syso.sym(F.Symbol.empty() ? F.Name : F.Symbol);
    ASSERT_NE(S, nullptr) << F.Name;
    EXPECT_EQ(S->Value, F.Offset) << F.Name;
    EXPECT_EQ(S->Size, F.Size) << F.Name;
  }
  for (const PackedSymbol &Root : R.Roots) {
    auto It = llvm::find_if(R.Functions,
                            [&](const PackedFunction &F) { return F.Name == Root.Name; });
    ASSERT_NE(It, R.Functions.end()) << Root.Name;
    EXPECT_EQ(It->Symbol, Root.Symbol);
    EXPECT_EQ(It->Offset, Root.Offset);
    EXPECT_EQ(It->Size, Root.Size);
  }
}

TEST_F(PackerTest, StaticBlobListsEveryFunctionForCrashReports) {
  for (Arch A : {Arch::AMD64, Arch::ARM64}) {
    std::string Obj = compile(A == Arch::AMD64 ? "t.o" : "t64.o", R"(
__attribute__((noinline)) static long twice(long x) { return x * 2 + 1; }
__attribute__((noinline)) long helper_pub(long x) { return twice(x) ^ 5; }
long first_root(long x) { return helper_pub(x) + 3; }
long second_root(long x) { return twice(x) - 1; }
long dropped(long x) { return x; }
)",
                              A, arm64Flags(A));
    ASSERT_FALSE(Obj.empty());
    Expected<PackResult> R = pack(A, {Obj}, {"second_root", "first_root"}, "gotramp_t_");
    ASSERT_TRUE(bool(R)) << errorText(R.takeError());
    std::optional<ElfInfo> Syso = checkStaticShape(*R, A == Arch::AMD64 ? ELF::EM_X86_64
                                                                         : ELF::EM_AARCH64);
    ASSERT_TRUE(Syso);
    checkFunctionTable(*R, *Syso);
    EXPECT_EQ(R->CodeBytes, R->TextBytes);
    std::vector<std::string> Names;
    for (const PackedFunction &F : R->Functions)
      Names.push_back(F.Name + (F.Symbol.empty() ? "" : " [" + F.Symbol + "]"));
    llvm::sort(Names);
    EXPECT_EQ(Names, (std::vector<std::string>{"first_root [gotramp_t_first_root]", "helper_pub",
                                               "second_root [gotramp_t_second_root]", "twice"}));
    // Deterministic: a second run lists the same table.
    Expected<PackResult> Again = pack(A, {Obj}, {"second_root", "first_root"}, "gotramp_t_");
    ASSERT_TRUE(bool(Again)) << errorText(Again.takeError());
    EXPECT_EQ(Again->Functions, R->Functions);
  }
}

TEST_F(PackerTest, DynamicGlueListsEveryFunctionForCrashReports) {
  std::string Obj = compile("dg.o", R"(
__attribute__((section("state"))) long Counter = 3;
__attribute__((noinline)) static long step(long n) { return n * 3; }
long bump_dg(long n) { Counter += step(n); return Counter; }
)",
                            Arch::AMD64);
  ASSERT_FALSE(Obj.empty());
  Expected<PackResult> R = pack(Arch::AMD64, {Obj}, {"bump_dg"}, "gotramp_dg_");
  ASSERT_TRUE(bool(R)) << errorText(R.takeError());
  ASSERT_EQ(R->Strategy, PackStrategy::DynamicGlue);
  std::optional<ElfInfo> Syso = parseElf(R->Syso);
  ASSERT_TRUE(Syso);
  checkFunctionTable(*R, *Syso);
  ASSERT_EQ(R->Functions.size(), 2u);
  // The manifest follows the code in .text (8-byte aligned) and is not part of it.
  uint64_t TextSize = Syso->sec(".text")->Size;
  EXPECT_LE(R->CodeBytes + R->ManifestBytes, TextSize);
  EXPECT_GT(R->CodeBytes + R->ManifestBytes + 8, TextSize);
}

TEST_F(PackerTest, InvalidSymbolPrefixIsAnError) {
  std::string Obj = compile("f.o", CallAndTableSource, Arch::AMD64);
  ASSERT_FALSE(Obj.empty());
  for (const char *Bad : {"gotramp-pkg_", "1pkg_", "a b"}) {
    Expected<PackResult> R = pack(Arch::AMD64, {Obj}, {"leaf"}, Bad);
    ASSERT_FALSE(bool(R)) << Bad;
    EXPECT_NE(errorText(R.takeError()).find("invalid symbol prefix"), std::string::npos);
  }
}

TEST(PackerNamingTest, DefaultSymbolPrefix) {
  EXPECT_EQ(defaultSymbolPrefix("mathlib"), "gotramp_mathlib_");
  std::string A = defaultSymbolPrefix("mathlib", "example.com/a/mathlib");
  std::string B = defaultSymbolPrefix("mathlib", "example.com/b/mathlib");
  EXPECT_NE(A, B);
  EXPECT_EQ(A, defaultSymbolPrefix("mathlib", "example.com/a/mathlib"));
  EXPECT_EQ(A.size(), std::string("gotramp_mathlib_").size() + 9);
  EXPECT_EQ(StringRef(A).take_front(16), "gotramp_mathlib_");
}

//===-- Manifests ----------------------------------------------------------===//

/// The manifest at the end of a .syso's .text.
std::optional<BlobManifest> manifestOf(const ElfInfo &Syso, std::vector<uint64_t> *Anchors = nullptr,
                                       uint64_t *At = nullptr) {
  const SecInfo *Text = Syso.sec(".text");
  if (!Text)
    return std::nullopt;
  StringRef Data(reinterpret_cast<const char *>(Text->Data.data()), Text->Data.size());
  size_t Pos = Data.find(StringRef(ManifestMagic, sizeof(ManifestMagic)));
  if (Pos == StringRef::npos)
    return std::nullopt;
  Expected<BlobManifest> M = decodeManifest(ArrayRef<uint8_t>(Text->Data).drop_front(Pos), Anchors);
  if (!M) {
    ADD_FAILURE() << errorText(M.takeError());
    return std::nullopt;
  }
  if (At)
    *At = Pos;
  return std::move(*M);
}

TEST_F(PackerTest, DynamicGlueManifestListsRelocationsAndAnchorsSections) {
  std::string Obj = compile("names.o", R"(
__attribute__((section("state"))) long Count;
static long add1(long x) { return x + 1; }
static long sub1(long x) { return x - 1; }
long (*const Ops[2])(long) = {add1, sub1};
long step(int I, long X) { Count++; return Ops[I & 1](X); }
)",
                            Arch::AMD64);
  ASSERT_FALSE(Obj.empty());
  Expected<PackResult> R = pack(Arch::AMD64, {Obj}, {"step"}, "gotramp_m_");
  ASSERT_TRUE(bool(R)) << errorText(R.takeError());
  ASSERT_EQ(R->Strategy, PackStrategy::DynamicGlue);
  std::optional<ElfInfo> Syso = parseElf(R->Syso);
  ASSERT_TRUE(Syso);
  std::vector<uint64_t> Anchors;
  uint64_t At = 0;
  std::optional<BlobManifest> M = manifestOf(*Syso, &Anchors, &At);
  ASSERT_TRUE(M);
  EXPECT_FALSE(M->StaticBlob);
  EXPECT_EQ(M->ManifestOffset, At);
  EXPECT_EQ(M->Label, "gotramp_m_");
  EXPECT_EQ(Syso->sec(".text")->Size - At, R->ManifestBytes);
  ASSERT_GE(M->Sections.size(), 3u);
  EXPECT_EQ(M->Sections[0].Name, ".text");
  EXPECT_LE(M->Sections[0].Size, At); // the code before the manifest
  EXPECT_GT(M->Sections[0].Size + 8, At);

  // Every relocation of the object is in the manifest, except the anchors,
  // which point at every other section from the manifest.
  size_t Anchored = 0;
  for (const RelInfo &X : Syso->Relocs) {
    if (X.Target == ".text" && X.Offset >= At) {
      EXPECT_EQ(X.Type, ELF::R_X86_64_PC64);
      EXPECT_EQ(X.Addend, 0);
      auto It = llvm::find(Anchors, X.Offset - At);
      ASSERT_NE(It, Anchors.end());
      EXPECT_EQ(M->Sections[It - Anchors.begin()].Name, X.Symbol);
      ++Anchored;
      continue;
    }
    bool Listed = llvm::any_of(M->Relocs, [&](const ManifestReloc &MR) {
      return M->Sections[MR.Section].Name == X.Target && MR.Offset == X.Offset &&
             MR.Type == X.Type && MR.Addend == X.Addend;
    });
    EXPECT_TRUE(Listed) << X.Target << "+" << X.Offset << " type " << X.Type;
  }
  EXPECT_EQ(Anchored, M->Sections.size() - 1);
  EXPECT_EQ(M->Relocs.size() + Anchored, Syso->Relocs.size());
  // Ranges cover every byte of every section with contents.
  for (size_t I = 0; I < M->Sections.size(); ++I) {
    if (M->Sections[I].NoBits)
      continue;
    uint64_t Covered = 0;
    for (const ManifestRange &X : M->Ranges)
      if (X.Section == I)
        Covered += X.Size;
    EXPECT_EQ(Covered, M->Sections[I].Size) << M->Sections[I].Name;
  }
  EXPECT_TRUE(llvm::any_of(M->Ranges, [](const ManifestRange &X) { return X.Name == "Ops"; }));
}

//===-- arm64: x28 ---------------------------------------------------------===//

TEST_F(PackerTest, Arm64CodeWritingX28IsAnError) {
  std::string Obj = compile("x28.o", R"(
long plain_fn(long x) { return x * 3; }
long bad_fn(long x) {
  __asm__ volatile("mov x28, %0" : : "r"(x) : "x28");
  return x + 1;
}
)",
                            Arch::ARM64);
  ASSERT_FALSE(Obj.empty());
  Expected<PackResult> R = pack(Arch::ARM64, {Obj}, {"plain_fn", "bad_fn"});
  ASSERT_FALSE(bool(R));
  std::string Msg = errorText(R.takeError());
  EXPECT_NE(Msg.find("writes register x28"), std::string::npos) << Msg;
  EXPECT_NE(Msg.find("Function bad_fn:"), std::string::npos) << Msg;
  EXPECT_NE(Msg.find("at bad_fn+0x"), std::string::npos) << Msg;
  EXPECT_NE(Msg.find("x28"), std::string::npos) << Msg;
  EXPECT_NE(Msg.find("-ffixed-x28"), std::string::npos) << Msg;
  EXPECT_NE(Msg.find("-C target-feature=+reserve-x28"), std::string::npos) << Msg;
  EXPECT_EQ(Msg.find("plain_fn"), std::string::npos) << Msg;

  // Unreached code is not checked: only what the roots keep.
  Expected<PackResult> Ok = pack(Arch::ARM64, {Obj}, {"plain_fn"});
  EXPECT_TRUE(bool(Ok)) << errorText(Ok.takeError());
}

TEST_F(PackerTest, Arm64X28WritebackAndW28AreFound) {
  std::string Obj = compile("wb.o", R"(
    .section .text.wb_fn,"ax",%progbits
    .globl wb_fn
    .type wb_fn, %function
wb_fn:
    ldr x0, [x28], #8
    ret
    .size wb_fn, . - wb_fn
    .section .text.w_fn,"ax",%progbits
    .globl w_fn
    .type w_fn, %function
w_fn:
    add w28, w0, #1
    ret
    .size w_fn, . - w_fn
    .section .text.reader_fn,"ax",%progbits
    .globl reader_fn
    .type reader_fn, %function
reader_fn:
    ldr x0, [x28, #16]
    stp x27, x28, [sp, #-16]!
    ldr x1, [sp], #16
    ret
    .size reader_fn, . - reader_fn
)",
                            Arch::ARM64, {}, "s");
  ASSERT_FALSE(Obj.empty());
  for (const char *Fn : {"wb_fn", "w_fn"}) {
    Expected<PackResult> R = pack(Arch::ARM64, {Obj}, {Fn});
    ASSERT_FALSE(bool(R)) << Fn;
    std::string Msg = errorText(R.takeError());
    EXPECT_NE(Msg.find(std::string("Function ") + Fn), std::string::npos) << Msg;
  }
  // Reading and saving x28 is fine.
  Expected<PackResult> R = pack(Arch::ARM64, {Obj}, {"reader_fn"});
  EXPECT_TRUE(bool(R)) << errorText(R.takeError());
}

TEST_F(PackerTest, Arm64RegisterPressureWithFixedX28Packs) {
  // Enough live values that clang would use x28 if it could.
  constexpr const char *Src = R"(
long pressure(const long *p) {
  long a0=p[0],a1=p[1],a2=p[2],a3=p[3],a4=p[4],a5=p[5],a6=p[6],a7=p[7],a8=p[8],a9=p[9];
  long b0=p[10],b1=p[11],b2=p[12],b3=p[13],b4=p[14],b5=p[15],b6=p[16],b7=p[17],b8=p[18];
  long b9=p[19],c0=p[20],c1=p[21],c2=p[22],c3=p[23],c4=p[24],c5=p[25],c6=p[26],c7=p[27];
  for (int i = 0; i < p[28]; ++i) {
    a0+=a1*b0; a1+=a2*b1; a2+=a3*b2; a3+=a4*b3; a4+=a5*b4; a5+=a6*b5; a6+=a7*b6; a7+=a8*b7;
    a8+=a9*b8; a9+=c0*b9; c0+=c1*a0; c1+=c2*a1; c2+=c3*a2; c3+=c4*a3; c4+=c5*a4; c5+=c6*a5;
    c6+=c7*a6; c7+=a0*a7; b0^=c0; b1^=c1; b2^=c2; b3^=c3; b4^=c4; b5^=c5; b6^=c6; b7^=c7;
    b8^=a8; b9^=a9;
  }
  return a0+a1+a2+a3+a4+a5+a6+a7+a8+a9+b0+b1+b2+b3+b4+b5+b6+b7+b8+b9+c0+c1+c2+c3+c4+c5+c6+c7;
}
)";
  std::string Free = compile("free.o", Src, Arch::ARM64);
  std::string Fixed = compile("fixed.o", Src, Arch::ARM64, {"-ffixed-x28"});
  ASSERT_FALSE(Free.empty() || Fixed.empty());
  Expected<PackResult> Bad = pack(Arch::ARM64, {Free}, {"pressure"});
  ASSERT_FALSE(bool(Bad)) << "precondition: clang uses x28 without -ffixed-x28";
  EXPECT_NE(errorText(Bad.takeError()).find("Function pressure"), std::string::npos);
  Expected<PackResult> Good = pack(Arch::ARM64, {Fixed}, {"pressure"});
  EXPECT_TRUE(bool(Good)) << errorText(Good.takeError());
}

//===-- amd64: the FS and GS segments ---------------------------------------===//

TEST_F(PackerTest, Amd64FsRelativeAccessIsAnError) {
  // Reading Go's g from TLS, and the stack protector with its own
  // __stack_chk_fail (so nothing is undefined and the link succeeds).
  std::string Obj = compile("fs.o", R"(
long read_g(void) { long g; __asm__ volatile("movq %%fs:-8, %0" : "=r"(g)); return g; }
void write_g(long g) { __asm__ volatile("movq %0, %%fs:-8" : : "r"(g) : "memory"); }
void __stack_chk_fail(void) { for (;;) ; }
long guarded(long x) {
  char buf[64];
  volatile char *p = buf;
  for (int i = 0; i < 64; i++) p[i] = (char)(x + i);
  return p[x & 63];
}
long plain_fs(long x) { return x * 3; }
)",
                            Arch::AMD64, {"-fstack-protector-strong"});
  ASSERT_FALSE(Obj.empty());
  for (const char *Fn : {"read_g", "write_g"}) {
    Expected<PackResult> R = pack(Arch::AMD64, {Obj}, {"plain_fs", Fn});
    ASSERT_FALSE(bool(R)) << Fn;
    std::string Msg = errorText(R.takeError());
    EXPECT_NE(Msg.find("uses the FS or GS segment"), std::string::npos) << Msg;
    EXPECT_NE(Msg.find(std::string("Function ") + Fn + ":"), std::string::npos) << Msg;
    EXPECT_NE(Msg.find("%fs:-0x8"), std::string::npos) << Msg;
    EXPECT_NE(Msg.find(std::string("at ") + Fn + "+0x"), std::string::npos) << Msg;
    EXPECT_NE(Msg.find("FS-relative: Go's TLS"), std::string::npos) << Msg;
    EXPECT_EQ(Msg.find("plain_fs"), std::string::npos) << Msg;
  }
  Expected<PackResult> R = pack(Arch::AMD64, {Obj}, {"guarded"});
  ASSERT_FALSE(bool(R)) << "the canary read must be found";
  std::string Msg = errorText(R.takeError());
  EXPECT_NE(Msg.find("Function guarded:"), std::string::npos) << Msg;
  EXPECT_NE(Msg.find("%fs:0x28"), std::string::npos) << Msg;
  EXPECT_NE(Msg.find("the stack protector's canary"), std::string::npos) << Msg;
  EXPECT_NE(Msg.find("-fno-stack-protector"), std::string::npos) << Msg;

  // Unreached code is not checked: only what the roots keep.
  Expected<PackResult> Ok = pack(Arch::AMD64, {Obj}, {"plain_fs"});
  EXPECT_TRUE(bool(Ok)) << errorText(Ok.takeError());
}

TEST_F(PackerTest, Amd64SegmentBasesAndArchPrctlAreFound) {
  std::string Obj = compile("base.o", R"(
    .macro fn name
    .section .text.\name,"ax",@progbits
    .globl \name
    .type \name, @function
\name:
    .endm
    fn wrfs_fn
    wrfsbase %rdi
    ret
    fn rdgs_fn
    rdgsbase %rax
    ret
    fn swapgs_fn
    swapgs
    ret
    fn gs_load_fn
    movq %gs:0x10, %rax
    ret
    fn prctl_fn
    movl $158, %eax
    movl $0x1002, %edi
    syscall
    ret
    fn write_fn
    movl $1, %eax
    syscall
    ret
    fn other_seg_fn
    movq 8(%rdi), %rax
    ret
)",
                            Arch::AMD64, {}, "s");
  ASSERT_FALSE(Obj.empty());
  for (const char *Fn : {"wrfs_fn", "rdgs_fn", "swapgs_fn", "gs_load_fn", "prctl_fn"}) {
    Expected<PackResult> R = pack(Arch::AMD64, {Obj}, {Fn});
    ASSERT_FALSE(bool(R)) << Fn;
    std::string Msg = errorText(R.takeError());
    EXPECT_NE(Msg.find(std::string("Function ") + Fn + ":"), std::string::npos) << Msg;
  }
  Expected<PackResult> Prctl = pack(Arch::AMD64, {Obj}, {"prctl_fn"});
  ASSERT_FALSE(bool(Prctl));
  std::string Msg = errorText(Prctl.takeError());
  EXPECT_NE(Msg.find("`syscall` at prctl_fn+0xa (arch_prctl"), std::string::npos) << Msg;
  // Other system calls and ordinary memory operands are fine.
  Expected<PackResult> R = pack(Arch::AMD64, {Obj}, {"write_fn", "other_seg_fn"});
  EXPECT_TRUE(bool(R)) << errorText(R.takeError());
}

} // namespace
