#!/usr/bin/env python3
"""Writes a C header and source with many functions whose doc comments are
random mixes of what gofmt's doc-comment reformatting rewrites (headings,
list markers, indented code, link definitions, quotes, URLs, trailing
spaces, directives) and bytes that are not valid UTF-8.

    docfuzz.py OUTDIR SEED COUNT
"""
import os
import random
import sys

out, seed, count = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
rng = random.Random(seed)
PIECES = [
    b"Plain words.", b"Overview", b"See Also Foo", b"Caf\xc3\xa9 Cr\xc3\xa8me", b"\xc3\x89tat",
    b"# Heading", b"#\tTabbed", b"#", b"# ", b"- item", b"* item", b"+ item", b"1. one", b"2) two",
    b"    indented()", b"\tTabbed()", b"``quoted''", b"```fenced```", b"it's", b"O'Neil's way",
    b"[Go]: https://go.dev", b"[x]:\tftp://x.example/a", b"[bad]: nope", b"[Go] link",
    b"http://example.com/a''b", b"mailto://x@y", b"trailing   ", b"//go:noinline",
    b"//line x.c:1", b"go:build ignore", b"*/", b"/*", b"\xe9", b"\x80\x80", b"\xf0\x9f\x98",
    b"\xef\xbb\xbf", b"x\x01y", b"Version 1.2", b"Ends with a dot.", b"A (paren), list",
    b"Number 42", b"{", b"}", b"\\", b"Hello, World", b"Title Case Line", b"\xc2\xa9 2026 X",
    b"\xe2\x80\x94 dash \xe2\x80\x94", b"\xe4\xb8\xad\xe6\x96\x87",
]
with open(os.path.join(out, "docfuzz.h"), "wb") as h, open(os.path.join(out, "docfuzz.c"), "wb") as c:
    c.write(b'#include "docfuzz.h"\n')
    for k in range(count):
        lines = []
        for _ in range(rng.randint(1, 8)):
            r = rng.random()
            if r < 0.25:
                lines.append(b"")
            elif r < 0.5:
                lines.append(rng.choice(PIECES) + b" " + rng.choice(PIECES))
            else:
                lines.append(rng.choice(PIECES))
        for line in lines:
            h.write(b"/// " + line + b"\n")
        h.write(b"int docfuzz_%d(int x);\n" % k)
        c.write(b"int docfuzz_%d(int x) { return x + %d; }\n" % (k, k))
