/* Doc comments gofmt would rewrite, or that would not compile if copied
   byte for byte. */

/// Latin-1: café, a lone continuation byte €, a truncated sequence â‚, a BOM ï»¿ here.
int doc_bytes(int x);

/**
 * ``Quoted'' twice: ``this'' and that.
 *
 * Overview
 *
 * Lines that look like a list:
 * - first
 *   * nested
 * 1. numbered
 *
 *     indented(code);
 *	code_with_tab();
 *
 * #	Tabbed heading
 *
 * Trailing spaces   
 * //go:noinline
 * //line foo.c:1
 * ends with */
int doc_markup(int x);

/// [Go]: https://go.dev
/// [C]:	http://www.open-std.org/
///
/// See http://example.com/a''b and ``https://example.com/x`` too.
///
/// Copyright Â© Gotramp
///
/// Ã‰lan vital
///
/// The end.
int doc_links(int x);

/// [Only]: https://example.com/only
int doc_only_links(int x);

/// Text, then a lone line that looks like a heading:
///
/// See Also Foo
int doc_last_heading(int x);

/// ends with */ and /* opens, ``` fenced ``` and ````four``''
int doc_star(int x);

/// [E]: https://e.example/enum
enum doc_e { DOC_E = 1 };

/// ``Max'' of  control and tab	here.
#define DOC_MAX 3
