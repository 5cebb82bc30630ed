//===- DocComment.h - C comment text -> gofmt-canonical Go doc comments ---===//
//
// gofmt rewrites every top-level doc comment through go/doc/comment (parse,
// then print). Text copied from a C header must therefore come out in the
// form that round trip prints, or the generated file is not gofmt-clean; and
// it must be valid UTF-8 without NUL or BOM, or it does not compile.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "llvm/ADT/StringRef.h"

#include <string>

namespace gotramp {

/// Text with every invalid UTF-8 byte replaced by U+FFFD (as Go's decoder
/// reads them, one byte at a time), NUL and U+FEFF by U+FFFD, and the other
/// control characters but tab by a space: what a Go comment may hold.
std::string goCommentText(llvm::StringRef Text);

/// The "// ..." lines of a top-level Go doc comment holding Text (lines
/// separated by '\n', paragraphs by blank lines) exactly as gofmt prints
/// them: lines trimmed, one blank line between paragraphs, `` and '' in
/// paragraphs as “ and ” (outside URLs and ``` runs), a lone paragraph line
/// that go/doc/comment takes for a heading written as "# Heading", and a
/// paragraph of link definitions ("[text]: URL") joined to its neighbour, so
/// that it stays where it is instead of moving to the end of the comment.
/// Empty for empty Text.
std::string goDocComment(llvm::StringRef Text);

} // namespace gotramp
