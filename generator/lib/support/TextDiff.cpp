//===- TextDiff.cpp - line diff for --check ---------------------------------===//
#include "gotramp/support/TextDiff.h"

#include "llvm/ADT/SmallVector.h"

#include <vector>

namespace gotramp {

std::string lineDiff(llvm::StringRef Old, llvm::StringRef New, llvm::StringRef OldName,
                     llvm::StringRef NewName) {
  if (Old == New)
    return "";
  llvm::SmallVector<llvm::StringRef, 0> A, B;
  Old.split(A, '\n');
  New.split(B, '\n');
  // Drop the common prefix and suffix so the quadratic table stays small.
  size_t Prefix = 0;
  while (Prefix < A.size() && Prefix < B.size() && A[Prefix] == B[Prefix])
    ++Prefix;
  size_t Suffix = 0;
  while (Suffix < A.size() - Prefix && Suffix < B.size() - Prefix &&
         A[A.size() - 1 - Suffix] == B[B.size() - 1 - Suffix])
    ++Suffix;
  size_t N = A.size() - Prefix - Suffix, M = B.size() - Prefix - Suffix;

  // Edit script: ' ', '-', '+' per line of the middle part.
  std::vector<std::pair<char, llvm::StringRef>> Script;
  if (N * M <= 4'000'000) {
    std::vector<std::vector<uint32_t>> LCS(N + 1, std::vector<uint32_t>(M + 1, 0));
    for (size_t I = N; I-- > 0;)
      for (size_t J = M; J-- > 0;)
        LCS[I][J] = A[Prefix + I] == B[Prefix + J] ? LCS[I + 1][J + 1] + 1
                                                   : std::max(LCS[I + 1][J], LCS[I][J + 1]);
    size_t I = 0, J = 0;
    while (I < N || J < M) {
      if (I < N && J < M && A[Prefix + I] == B[Prefix + J]) {
        Script.push_back({' ', A[Prefix + I]});
        ++I, ++J;
      } else if (J < M && (I == N || LCS[I][J + 1] > LCS[I + 1][J])) {
        Script.push_back({'+', B[Prefix + J++]});
      } else {
        Script.push_back({'-', A[Prefix + I++]});
      }
    }
  } else { // too large to align: show the whole middle as replaced
    for (size_t I = 0; I < N; ++I)
      Script.push_back({'-', A[Prefix + I]});
    for (size_t J = 0; J < M; ++J)
      Script.push_back({'+', B[Prefix + J]});
  }

  std::string Out = "--- " + OldName.str() + "\n+++ " + NewName.str() + "\n";
  Out += "@@ line " + std::to_string(Prefix + 1) + " @@\n";
  for (size_t I = Prefix >= 3 ? Prefix - 3 : 0; I < Prefix; ++I)
    Out += " " + A[I].str() + "\n";
  for (const auto &[Op, Line] : Script)
    Out += std::string(1, Op) + Line.str() + "\n";
  for (size_t I = A.size() - Suffix; I < A.size() && I < A.size() - Suffix + 3; ++I)
    Out += " " + A[I].str() + "\n";
  return Out;
}

} // namespace gotramp
