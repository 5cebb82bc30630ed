//===- PackerTest.cpp - native objects -> .syso ----------------------------===//
//
// Builds small C objects with the real clang, packs them with the real
// ld.lld, and checks properties of the machine code that comes out: resolved
// call and data displacements, symbol offsets, strategy and error messages.
//
//===----------------------------------------------------------------------===//

#include "gotramp/BuildConfig.h"
#include "gotramp/Packer.h"
#include "gotramp/Target.h"

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
                            std::vector<std::string> Roots) {
    PackRequest Req;
    Req.Tgt = targetFor(A);
    Req.ObjectPaths = std::move(Objects);
    Req.Roots = std::move(Roots);
    Req.LldPath = GOTRAMP_LLD;
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
  EXPECT_EQ(Text->Size, R.TextBytes);
  EXPECT_EQ(Syso->sec(".note.GNU-stack")->Size, 0u);
  for (const PackedSymbol &Root : R.Roots) {
    const SymInfo *S = Syso->sym(Root.Name);
    if (!S) {
      ADD_FAILURE() << "root " << Root.Name << " missing from the .syso";
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
  // and its memcpy reference would fail the link.
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

TEST_F(PackerTest, WritableDataNeedsDynamicGlue) {
  // -g and unwind tables on purpose: those sections must not reach the .syso.
  std::string Obj = compile("counter.o", R"(
static long Counter;
long Seed = 5;
long bump(long N) { Counter += N + Seed; return Counter; }
)",
                            Arch::AMD64, {"-g", "-fasynchronous-unwind-tables"});
  ASSERT_FALSE(Obj.empty());
  Expected<PackResult> R = pack(Arch::AMD64, {Obj}, {"bump"});
  ASSERT_TRUE(bool(R)) << errorText(R.takeError());
  EXPECT_EQ(R->Strategy, PackStrategy::DynamicGlue);
  EXPECT_NE(R->Why.find("writable data"), std::string::npos) << R->Why;
  EXPECT_NE(R->Why.find(".bss 8 bytes"), std::string::npos) << R->Why;
  EXPECT_NE(R->Why.find(".data 8 bytes"), std::string::npos) << R->Why;
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

TEST_F(PackerTest, AbsoluteAddressesNeedDynamicGlue) {
  std::string Obj = compile("names.o", R"(
const char *const Names[] = {"zero", "one", "two"};
const char *name_of(int I) { return Names[I]; }
)",
                            Arch::AMD64);
  ASSERT_FALSE(Obj.empty());
  Expected<PackResult> R = pack(Arch::AMD64, {Obj}, {"name_of"});
  ASSERT_TRUE(bool(R)) << errorText(R.takeError());
  EXPECT_EQ(R->Strategy, PackStrategy::DynamicGlue);
  EXPECT_NE(R->Why.find("load-time relocation (.rela.dyn has 3 entries)"),
            std::string::npos)
      << R->Why;
  EXPECT_NE(R->Why.find(".data.rel.ro 24 bytes"), std::string::npos) << R->Why;
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
  std::string Glue = compile("bcg.o", "long Count; long inc(void) { return ++Count; }\n",
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
  std::string Obj = compile("m.o", R"(
void *memcpy(void *, const void *, unsigned long);
void copy(char *D, const char *S, unsigned long N) { memcpy(D, S, N); }
)",
                            Arch::AMD64);
  ASSERT_FALSE(Obj.empty());
  Expected<PackResult> R = pack(Arch::AMD64, {Obj}, {"copy"});
  ASSERT_FALSE(bool(R));
  std::string Msg = errorText(R.takeError());
  EXPECT_EQ(Msg.rfind("native code references undefined symbol 'memcpy' "
                      "(referenced by " + Obj + ":(copy))", 0),
            0u)
      << Msg;
  EXPECT_NE(Msg.find("freestanding"), std::string::npos) << Msg;
  // lld's own lines follow, untouched.
  EXPECT_NE(Msg.find("\nld.lld: error: undefined symbol: memcpy\n>>> referenced by"),
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

} // namespace
