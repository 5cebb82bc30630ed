//===- JsonCheck.cpp - where a JSON text goes wrong -----------------------===//
//
// The SAX interface gives a byte offset with a syntax error but none with a
// key. The parser reads its input one character at a time through an
// iterator, and calls key() right after the key's closing quote, so an
// iterator that records how far it got tells where that key ends.
//
//===----------------------------------------------------------------------===//
#include "gotramp/config/JsonCheck.h"

#include "llvm/ADT/StringExtras.h"

#include <iterator>
#include <map>
#include <nlohmann/json.hpp>
#include <vector>

namespace gotramp {
namespace {

using json = nlohmann::json;

/// A const char * that records in *Furthest how far it was advanced.
class TrackingIterator {
public:
  using iterator_category = std::input_iterator_tag;
  using value_type = char;
  using difference_type = std::ptrdiff_t;
  using pointer = const char *;
  using reference = const char &;

  TrackingIterator(const char *P, const char **Furthest) : P(P), Furthest(Furthest) {}
  reference operator*() const { return *P; }
  TrackingIterator &operator++() {
    *Furthest = ++P;
    return *this;
  }
  TrackingIterator operator++(int) {
    TrackingIterator Old = *this;
    ++*this;
    return Old;
  }
  bool operator==(const TrackingIterator &O) const { return P == O.P; }
  bool operator!=(const TrackingIterator &O) const { return P != O.P; }

private:
  const char *P;
  const char **Furthest;
};

/// Offset of the opening quote of the string whose closing quote is at
/// Close. In valid JSON every quote inside a string follows an odd number of
/// backslashes.
size_t openingQuote(llvm::StringRef Text, size_t Close) {
  for (size_t I = Close; I-- > 0;) {
    if (Text[I] != '"')
      continue;
    size_t Backslashes = 0;
    while (I > Backslashes && Text[I - 1 - Backslashes] == '\\')
      ++Backslashes;
    if (Backslashes % 2 == 0)
      return I;
  }
  return 0;
}

/// Where the token that ends at End starts: a string at its opening quote, a
/// number or literal at its first character; punctuation is its own token.
size_t tokenStart(llvm::StringRef Text, size_t End) {
  if (End >= Text.size())
    return Text.size();
  if (Text[End] == '"')
    return openingQuote(Text, End);
  auto inWord = [](char C) { return llvm::isAlnum(C) || C == '.' || C == '-' || C == '+'; };
  if (!inWord(Text[End]))
    return End;
  while (End > 0 && inWord(Text[End - 1]))
    --End;
  return End;
}

/// The SAX handler: a frame per open object or array, each object with its
/// keys and where they are.
class Scanner {
public:
  Scanner(llvm::StringRef Text, const char *const &Furthest) : Text(Text), Furthest(Furthest) {}

  std::optional<JsonProblem> Problem;

  bool null() { return value(); }
  bool boolean(bool) { return value(); }
  bool number_integer(json::number_integer_t) { return value(); }
  bool number_unsigned(json::number_unsigned_t) { return value(); }
  bool number_float(json::number_float_t, const json::string_t &) { return value(); }
  bool string(json::string_t &) { return value(); }
  bool binary(json::binary_t &) { return value(); }
  bool start_object(std::size_t) {
    value();
    Frames.push_back({true, {}, {}, 0});
    return true;
  }
  bool start_array(std::size_t) {
    value();
    Frames.push_back({false, {}, {}, 0});
    return true;
  }
  bool end_object() { return pop(); }
  bool end_array() { return pop(); }

  bool key(json::string_t &Key) {
    size_t Close = static_cast<size_t>(Furthest - Text.data()) - 1;
    size_t Offset = openingQuote(Text, Close);
    Frame &F = Frames.back();
    auto [It, New] = F.Keys.emplace(Key, Offset);
    F.Key = Key;
    if (New)
      return true;
    unsigned FirstLine = lineAndColumn(Text, It->second).first;
    auto [Line, Column] = lineAndColumn(Text, Offset);
    Problem = JsonProblem{Line, Column,
                          "duplicate key '" + path() + "' (first on line " +
                              std::to_string(FirstLine) +
                              "); a key may appear only once in an object"};
    return false;
  }

  bool parse_error(std::size_t Position, const std::string &,
                   const nlohmann::detail::exception &Ex) {
    // what(): "[json.exception.parse_error.101] parse error at line 1,
    // column 5: syntax error while ..."; the location is ours to give.
    llvm::StringRef What = Ex.what();
    if (size_t At = What.find("parse error"); At != llvm::StringRef::npos)
      if (size_t Colon = What.find(": ", At); Colon != llvm::StringRef::npos)
        What = What.drop_front(Colon + 2);
    // Position counts the characters read: the last one is where the parser
    // gave up, the end of the token it did not expect. An invalid literal
    // ("tru") is found one character past its end.
    size_t End = Position ? Position - 1 : 0;
    if (What.contains("invalid literal") && End > 0 && End <= Text.size() &&
        (End == Text.size() || !llvm::isAlnum(Text[End])) && llvm::isAlnum(Text[End - 1]))
      --End;
    auto [Line, Column] = lineAndColumn(Text, tokenStart(Text, End));
    Problem = JsonProblem{Line, Column, What.str()};
    return false;
  }

private:
  struct Frame {
    bool IsObject;
    std::map<std::string, size_t> Keys; // key -> offset of its opening quote
    std::string Key;                    // the latest key of an object
    size_t Elements;                    // the values an array has so far
  };

  bool value() {
    if (!Frames.empty() && !Frames.back().IsObject)
      ++Frames.back().Elements;
    return true;
  }
  bool pop() {
    Frames.pop_back();
    return true;
  }

  /// "functions.overrides.f" for the key being read, as the config reader
  /// names keys in its errors.
  std::string path() const {
    std::string P;
    for (const Frame &F : Frames) {
      if (F.IsObject) {
        if (!P.empty())
          P += '.';
        P += F.Key;
      } else {
        P += '[';
        P += std::to_string(F.Elements - 1);
        P += ']';
      }
    }
    return P;
  }

  llvm::StringRef Text;
  const char *const &Furthest;
  std::vector<Frame> Frames;
};

} // namespace

std::pair<unsigned, unsigned> lineAndColumn(llvm::StringRef Text, size_t Offset) {
  llvm::StringRef Before = Text.take_front(Offset);
  size_t LineStart = Before.rfind('\n');
  LineStart = LineStart == llvm::StringRef::npos ? 0 : LineStart + 1;
  return {static_cast<unsigned>(Before.count('\n') + 1),
          static_cast<unsigned>(Before.size() - LineStart + 1)};
}

std::optional<JsonProblem> findJsonProblem(llvm::StringRef Text) {
  const char *Furthest = Text.data();
  Scanner S(Text, Furthest);
  json::sax_parse(TrackingIterator(Text.begin(), &Furthest),
                  TrackingIterator(Text.end(), &Furthest), &S);
  return S.Problem;
}

} // namespace gotramp
