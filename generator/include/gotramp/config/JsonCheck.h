//===- JsonCheck.h - where a JSON text goes wrong -------------------------===//
//
// nlohmann's parser says only that a text is not JSON (or, with exceptions,
// at which byte), and it keeps the last of two equal keys in an object
// without a word. A config whose "exclude" is given twice would silently
// lose the first. findJsonProblem reads the text once more, through the
// parser's SAX interface, to find the first syntax error or repeated key
// with its line and column.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "llvm/ADT/StringRef.h"

#include <optional>
#include <string>

namespace gotramp {

struct JsonProblem {
  /// 1-based; the column counts bytes.
  unsigned Line = 0, Column = 0;
  std::string Message;
};

/// The first syntax error of Text, or the first key that an object of it
/// repeats (at the repetition, naming the key's path and the line of its
/// first occurrence); nothing when Text is JSON without repeated keys.
std::optional<JsonProblem> findJsonProblem(llvm::StringRef Text);

/// Line and column (1-based, in bytes) of byte Offset of Text.
std::pair<unsigned, unsigned> lineAndColumn(llvm::StringRef Text, size_t Offset);

} // namespace gotramp
