#!/usr/bin/env python3
"""Checks that every README code block marked `<!-- snippet: PATH -->` appears
verbatim in PATH, so the README cannot drift from the real generated files."""
import pathlib
import re
import sys

root = pathlib.Path(sys.argv[1])
readme = (root / "README.md").read_text()
pattern = re.compile(r"<!-- snippet: (\S+) -->\n```[a-z]*\n(.*?)```", re.S)
found = failed = 0
for path, block in pattern.findall(readme):
    found += 1
    text = (root / path).read_text()
    if block not in text:
        failed += 1
        print(f"README snippet not found verbatim in {path}:\n{block}")
if found == 0:
    print("no snippets found in README.md")
    sys.exit(1)
print(f"{found - failed} snippets match, {failed} differ")
sys.exit(1 if failed else 0)
