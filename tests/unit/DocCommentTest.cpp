// goDocComment must print what gofmt's doc-comment reformatting
// (go/doc/comment) prints; e2e.hostile_codegen checks the same against gofmt.
#include "gotramp/emit/DocComment.h"

#include <gtest/gtest.h>

using namespace gotramp;

TEST(DocComment, InvalidUTF8NulAndBomBecomeReplacementCharacters) {
  EXPECT_EQ(goCommentText("caf\xe9"), "caf\xEF\xBF\xBD");
  EXPECT_EQ(goCommentText(std::string("a\0b", 3)), "a\xEF\xBF\xBD" "b");
  EXPECT_EQ(goCommentText("\xEF\xBB\xBFx"), "\xEF\xBF\xBDx");
  EXPECT_EQ(goCommentText("\xE2\x82"), "\xEF\xBF\xBD\xEF\xBF\xBD");
  EXPECT_EQ(goCommentText("\xED\xA0\x80"), "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD") << "surrogate";
  EXPECT_EQ(goCommentText("ok \xC3\xA9\tx\x01y\rz"), "ok \xC3\xA9\tx y z");
}

TEST(DocComment, ParagraphsQuotesAndHeadings) {
  EXPECT_EQ(goDocComment(""), "");
  EXPECT_EQ(goDocComment("  a  \n\n\n  b\n"), "// a\n//\n// b\n");
  EXPECT_EQ(goDocComment("``x'' ```y``` http://h.example/a''b"),
            "// \xE2\x80\x9Cx\xE2\x80\x9D ```y``` http://h.example/a''b\n");
  // A lone line between paragraphs, not the first: an old-style heading.
  EXPECT_EQ(goDocComment("Intro.\n\nSee Also Foo\n\nC: int f(void)"),
            "// Intro.\n//\n// # See Also Foo\n//\n// C: int f(void)\n");
  EXPECT_EQ(goDocComment("Intro.\n\nEnds with a dot.\n\nMore"),
            "// Intro.\n//\n// Ends with a dot.\n//\n// More\n");
  EXPECT_EQ(goDocComment("Intro.\n\nit's lower\n\nMore"), "// Intro.\n//\n// it's lower\n//\n// More\n");
  EXPECT_EQ(goDocComment("#\tTabbed\n\nMore"), "// # Tabbed\n//\n// More\n");
  EXPECT_EQ(goDocComment("- a\n1. b"), "// - a\n// 1. b\n") << "unindented: no list";
}

TEST(DocComment, LinkDefinitionsStayInPlace) {
  EXPECT_EQ(goDocComment("Intro.\n\n[Go]: https://go.dev\n\nC: x"),
            "// Intro.\n// [Go]: https://go.dev\n//\n// C: x\n");
  EXPECT_EQ(goDocComment("[Go]: https://go.dev\n\nC: x"), "// [Go]: https://go.dev\n// C: x\n");
  EXPECT_EQ(goDocComment("[Go]:\thttps://go.dev"), "//\n// [Go]: https://go.dev\n");
}
