//===- DocComment.cpp - C comment text -> gofmt-canonical Go doc comments -===//
//
// The rules mirror go/doc/comment (parse.go, print.go) for input that has no
// indented lines, which is all gotramp writes: every line is trimmed, so
// there are no code blocks and no lists, only paragraphs and headings.
//
//===----------------------------------------------------------------------===//
#include "gotramp/emit/DocComment.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/ConvertUTF.h"
#include "llvm/Support/Unicode.h"

#include <vector>

namespace gotramp {
namespace {

const char *const Replacement = "\xEF\xBF\xBD"; // U+FFFD

/// The code point at the front of S (valid UTF-8), and its length.
std::pair<llvm::UTF32, unsigned> decode(llvm::StringRef S) {
  const llvm::UTF8 *P = reinterpret_cast<const llvm::UTF8 *>(S.data());
  llvm::UTF32 C = 0;
  llvm::UTF32 *Out = &C;
  unsigned Len = llvm::getNumBytesForUTF8(S.front());
  llvm::ConvertUTF8toUTF32(&P, P + Len, &Out, Out + 1, llvm::strictConversion);
  return {C, Len};
}

/// The last code point of S (valid UTF-8).
llvm::UTF32 lastCodePoint(llvm::StringRef S) {
  size_t I = S.size() - 1;
  while (I > 0 && (static_cast<unsigned char>(S[I]) & 0xC0) == 0x80)
    --I;
  return decode(S.drop_front(I)).first;
}

bool isUpperLetter(llvm::UTF32 C) {
  if (C < 0x80)
    return llvm::isUpper(static_cast<char>(C));
  // Upper-case letters are those simple case folding changes (close to
  // Go's unicode.IsUpper; title-case letters differ, and are rare).
  return llvm::sys::unicode::foldCharSimple(C) != C;
}

/// Go's unicode.IsLetter || unicode.IsDigit, for the last character of a
/// heading. Outside ASCII, the punctuation and symbol blocks text ends with
/// are not; anything else counts as a letter, which at worst writes as a
/// heading ("# ...") a line gofmt would have left alone: still canonical.
bool isLetterOrDigit(llvm::UTF32 C) {
  if (C < 0x80)
    return llvm::isAlnum(static_cast<char>(C));
  if (C == 0xAA || C == 0xB5 || C == 0xBA)
    return true;
  return !(C <= 0xBF || C == 0xD7 || C == 0xF7 || (C >= 0x2000 && C <= 0x2BFF) ||
           (C >= 0x3000 && C <= 0x303F) || (C >= 0xFE30 && C <= 0xFE4F) ||
           (C >= 0xFF00 && C <= 0xFF0F) || C == 0xFFFD || C >= 0x1F000);
}

/// go/doc/comment's isHeading: "# text".
bool isHeading(llvm::StringRef Line) {
  return Line.size() >= 2 && Line[0] == '#' && (Line[1] == ' ' || Line[1] == '\t') &&
         Line.trim() != "#";
}

/// go/doc/comment's isOldHeading: a lone line, not the first, followed by a
/// blank line and more text, that starts with an upper-case letter, ends
/// with a letter or digit and has none of the characters it rules out.
bool isOldHeading(const std::vector<std::string> &Lines, size_t I) {
  if (I == 0 || !Lines[I - 1].empty() || I + 2 >= Lines.size() || !Lines[I + 1].empty())
    return false;
  llvm::StringRef L = Lines[I];
  if (L.empty() || !isUpperLetter(decode(L).first) || !isLetterOrDigit(lastCodePoint(L)))
    return false;
  if (L.find_first_of(";:!?+*/=[]{}_^&~%#@<\">\\") != llvm::StringRef::npos ||
      L.contains("\xC2\xB0") || L.contains("\xC2\xA7")) // ° §
    return false;
  for (size_t Q = L.find('\''); Q != llvm::StringRef::npos; Q = L.find('\'', Q + 1)) {
    llvm::StringRef After = L.drop_front(Q + 1);
    if (After != "s" && !After.starts_with("s "))
      return false;
  }
  for (size_t D = L.find('.'); D != llvm::StringRef::npos; D = L.find('.', D + 1)) {
    llvm::StringRef After = L.drop_front(D + 1);
    if (After.empty() || After.starts_with(" "))
      return false;
  }
  return true;
}

/// go/doc/comment's parseLink, for the lines of a paragraph.
bool isLinkDefinition(llvm::StringRef Line) {
  if (!Line.starts_with("["))
    return false;
  size_t I = Line.find("]:");
  if (I == llvm::StringRef::npos || I + 3 >= Line.size() ||
      (Line[I + 2] != ' ' && Line[I + 2] != '\t'))
    return false;
  llvm::StringRef URL = Line.drop_front(I + 3).trim();
  size_t J = URL.find("://");
  return J != llvm::StringRef::npos &&
         llvm::is_contained({"file", "ftp", "gopher", "http", "https", "mailto", "nntp"},
                            URL.take_front(J));
}

/// The length of the URL go/doc/comment's autoURL sees at the front of S,
/// or 0. Approximated: up to the first space or backtick, the characters
/// that matter here (a quote inside a URL stays as it is).
size_t urlLength(llvm::StringRef S) {
  size_t Colon = S.find("://");
  if (Colon == llvm::StringRef::npos || Colon < 3 || Colon > 6 ||
      !llvm::is_contained({"file", "ftp", "gopher", "http", "https", "mailto", "nntp"},
                          S.take_front(Colon)))
    return 0;
  size_t Host = Colon + 3;
  if (Host >= S.size() || !(llvm::isAlnum(S[Host]) || S[Host] == '_' || S[Host] == '@' ||
                            S[Host] == '-'))
    return 0;
  size_t End = S.find_first_of(" \t`", Host);
  return End == llvm::StringRef::npos ? S.size() : End;
}

/// A paragraph line as go/doc/comment prints it: `` as “ and '' as ”,
/// except in URLs and in runs of three or more backticks.
std::string quotes(llvm::StringRef L) {
  std::string Out;
  for (size_t I = 0; I < L.size();) {
    llvm::StringRef T = L.drop_front(I);
    if (size_t U = urlLength(T)) {
      Out += T.take_front(U);
      I += U;
    } else if (T.starts_with("```")) {
      size_t Run = T.find_first_not_of('`');
      Run = Run == llvm::StringRef::npos ? T.size() : Run;
      Out += T.take_front(Run);
      I += Run;
    } else if (T.starts_with("``")) {
      Out += "\xE2\x80\x9C"; // “
      I += 2;
    } else if (T.starts_with("''")) {
      Out += "\xE2\x80\x9D"; // ”
      I += 2;
    } else {
      Out += T.front();
      ++I;
    }
  }
  return Out;
}

} // namespace

std::string goCommentText(llvm::StringRef Text) {
  std::string Out;
  for (size_t I = 0; I < Text.size();) {
    unsigned char B = static_cast<unsigned char>(Text[I]);
    if (B < 0x80) {
      bool Control = (B < 0x20 && B != '\t' && B != '\n') || B == 0x7F;
      Out += B == 0 ? Replacement : Control ? " " : std::string(1, B);
      ++I;
      continue;
    }
    unsigned Len = llvm::getNumBytesForUTF8(B);
    const llvm::UTF8 *P = reinterpret_cast<const llvm::UTF8 *>(Text.data() + I);
    if (Len < 2 || I + Len > Text.size() || !llvm::isLegalUTF8Sequence(P, P + Len)) {
      Out += Replacement;
      ++I;
      continue;
    }
    if (decode(Text.substr(I, Len)).first == 0xFEFF)
      Out += Replacement;
    else
      Out += Text.substr(I, Len);
    I += Len;
  }
  return Out;
}

std::string goDocComment(llvm::StringRef Text) {
  std::string Clean = goCommentText(Text);
  // Trimmed lines, one empty line between paragraphs, none at the ends.
  std::vector<std::string> Lines;
  llvm::SmallVector<llvm::StringRef, 16> Raw;
  llvm::StringRef(Clean).split(Raw, '\n');
  for (llvm::StringRef L : Raw) {
    L = L.trim();
    if (L.empty() && (Lines.empty() || Lines.back().empty()))
      continue;
    Lines.push_back(L.str());
  }
  while (!Lines.empty() && Lines.back().empty())
    Lines.pop_back();

  // A paragraph of link definitions would move to the end: join it to the
  // paragraph before it (or after it, when it is the first).
  for (size_t Start = 0; Start < Lines.size();) {
    size_t End = Start;
    while (End < Lines.size() && !Lines[End].empty())
      ++End;
    bool AllLinks = llvm::all_of(llvm::ArrayRef(Lines).slice(Start, End - Start),
                                 [](const std::string &L) { return isLinkDefinition(L); });
    if (AllLinks && Start > 0) {
      Lines.erase(Lines.begin() + Start - 1);
      Start = 0; // the joined paragraph is checked again from the top
      continue;
    }
    if (AllLinks && End < Lines.size()) {
      Lines.erase(Lines.begin() + End);
      continue;
    }
    Start = End + 1;
  }

  // Nothing but link definitions: gofmt prints them as its trailing block,
  // after an empty line.
  if (!Lines.empty() && llvm::all_of(Lines, [](const std::string &L) {
        return L.empty() || isLinkDefinition(L);
      })) {
    std::string Out = "//\n";
    for (llvm::StringRef L : Lines)
      if (!L.empty()) {
        size_t I = L.find("]:");
        Out += "// " + L.take_front(I).str() + "]: " + L.drop_front(I + 3).trim().str() + "\n";
      }
    return Out;
  }

  std::string Out;
  for (size_t I = 0; I < Lines.size(); ++I) {
    const std::string &L = Lines[I];
    bool Lone = (I == 0 || Lines[I - 1].empty()) && (I + 1 == Lines.size() || Lines[I + 1].empty());
    if (L.empty())
      Out += "//\n";
    else if (Lone && isHeading(L))
      Out += "// # " + llvm::StringRef(L).drop_front(1).trim().str() + "\n";
    else if (Lone && isOldHeading(Lines, I))
      Out += "// # " + L + "\n";
    else
      Out += "// " + quotes(L) + "\n";
  }
  return Out;
}

} // namespace gotramp
