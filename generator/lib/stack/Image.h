//===- Image.h - the ELF object at virtual addresses ------------*- C++ -*-===//
//
// Private to generator/lib/stack/. Stage 1 of the stack analysis, built by
// buildImage (Image.cpp): the object's sections laid out at virtual
// addresses with relocations applied, external symbols and GOT slots, the
// function symbols, and the `.stack_sizes` entries. Also the two message
// helpers every stage uses.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "gotramp/support/Target.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/Twine.h"
#include "llvm/Support/Error.h"

#include <algorithm>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace gotramp::stack {

/// An llvm::Error carrying Msg (inconvertibleErrorCode).
llvm::Error makeError(const llvm::Twine &Msg);

/// V as "0x..." for messages.
std::string hex(uint64_t V);

struct ImgSection {
  std::string Name;
  unsigned Index = 0;
  uint64_t VA = 0;
  uint64_t Size = 0;
  bool Exec = false;
  bool NoBits = false;
  std::vector<uint8_t> Bytes; // relocations applied
};

struct FuncSym {
  std::string Name;
  bool Global = false;
  unsigned Sec = 0; // index into Image::Secs
  uint64_t VA = 0;
  uint64_t Size = 0;
  bool SizeKnown = true;
};

class Image {
public:
  std::vector<ImgSection> Secs;
  std::map<uint64_t, std::string> ExternalNames; // address -> symbol
  std::map<uint64_t, uint64_t> Got;              // slot -> symbol address
  std::vector<std::pair<uint64_t, uint64_t>> BadFields; // [lo, hi)
  std::vector<std::pair<uint64_t, unsigned>> StackSizes; // (entry VA, section)
  std::vector<FuncSym> Syms;
  uint64_t ExternalBase = 0, ExternalEnd = 0;

  const ImgSection *sectionAt(uint64_t VA) const {
    for (const ImgSection &S : Secs)
      if (VA >= S.VA && VA - S.VA < S.Size)
        return &S;
    return nullptr;
  }

  std::optional<uint64_t> read(uint64_t VA, unsigned Width) const {
    if (Width == 8)
      if (auto It = Got.find(VA); It != Got.end())
        return It->second;
    const ImgSection *S = sectionAt(VA);
    if (!S || VA - S->VA + Width > S->Size)
      return std::nullopt;
    if (S->NoBits)
      return 0;
    uint64_t V = 0;
    for (unsigned I = 0; I < Width; ++I)
      V |= uint64_t(S->Bytes[VA - S->VA + I]) << (8 * I);
    return V;
  }

  llvm::ArrayRef<uint8_t> bytesFrom(uint64_t VA, uint64_t End) const {
    const ImgSection *S = sectionAt(VA);
    if (!S || S->NoBits)
      return {};
    uint64_t Off = VA - S->VA;
    uint64_t Lim = std::min(S->Size, End - S->VA);
    return llvm::ArrayRef<uint8_t>(S->Bytes).slice(Off, Lim - Off);
  }

  bool isBad(uint64_t Lo, uint64_t Hi) const {
    for (auto &[A, B] : BadFields)
      if (A < Hi && Lo < B)
        return true;
    return false;
  }
};

/// Stage 1: lays out the sections of the ELF file Bytes and applies its
/// relocations. Errors: not ELF64LE, another machine than T, malformed ELF.
llvm::Expected<Image> buildImage(llvm::ArrayRef<uint8_t> Bytes,
                                 const Target &T);

} // namespace gotramp::stack
