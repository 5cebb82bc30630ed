#!/usr/bin/env python3
"""Checks that generator/ keeps the layout README.md describes ("Source layout").

Each folder under generator/lib/ is one pipeline stage with a CMakeLists.txt
that lists its sources and says what the stage may depend on. This test
enforces those dependency rules on the #include lines, the one-file-per-idea
size limit, and that every source file opens with a comment naming itself.
Usage: layout.py REPO_ROOT
"""
import pathlib
import re
import sys

MAX_LINES = 800

# Stage -> the gotramp stages whose headers it may include. "plan" is the
# header-only folder of the PackagePlan types.
ALLOWED = {
    "support": {"support", "ir"},  # Diagnostics print IR source locations
    "ir": {"ir", "support"},
    "config": {"config", "support"},
    "frontend": {"frontend", "ir", "support"},
    "abi": {"abi", "ir", "support"},
    "pack": {"pack", "support"},
    "stack": {"stack", "support"},
    "plan": {"plan", "abi", "ir", "pack", "support"},
    "trampoline": {"trampoline", "plan", "abi", "ir", "pack", "support"},
    "bind": {"bind", "plan", "trampoline", "stack", "abi", "config", "ir", "pack", "support"},
    "emit": {"emit", "plan", "abi", "ir", "pack", "support"},
    "driver": None,  # every stage
}

# Third-party APIs only one stage may include, and which files of it.
EXCLUSIVE = [
    (re.compile(r'#include\s+"clang/'), "frontend/HeaderFrontend"),
    (re.compile(r'#include\s+"llvm/DebugInfo/'), "frontend/Dwarf"),
    # Running programs (ld.lld, clang for the mem shims) is the packer's.
    (re.compile(r'#include\s+"llvm/Support/Program\.h"'), "pack/"),
]

# Emitters print the plan; calling the lowering again is what the plan
# exists to avoid.
EMIT_FORBIDDEN = re.compile(
    r"\b(goStructFor|goTypeFor|lowerFunction|trampolineBody(AMD64|ARM64)|selectTrampoline|"
    r"packObjects|analyzeStack)\s*\(")

INCLUDE = re.compile(r'#include\s+"gotramp/(\w+)/')


def stage_of(path, root):
    rel = path.relative_to(root)
    # generator/lib/STAGE/... or generator/include/gotramp/STAGE/...
    parts = rel.parts
    if parts[1] == "lib":
        return parts[2]
    return parts[3]


def main():
    root = pathlib.Path(sys.argv[1]).resolve()
    gen = root / "generator"
    problems = []
    lib = gen / "lib"
    stages = sorted(p.name for p in lib.iterdir() if p.is_dir())
    include_stages = sorted(p.name for p in (gen / "include" / "gotramp").iterdir() if p.is_dir())
    for s in set(stages) | set(include_stages):
        if s not in ALLOWED:
            problems.append(f"generator: folder '{s}' has no dependency rule in tests/layout.py "
                            "(add it there and to README.md's layout table)")
    for s in stages:
        cmake = lib / s / "CMakeLists.txt"
        if not cmake.exists():
            problems.append(f"{cmake.relative_to(root)}: missing")
            continue
        text = cmake.read_text()
        if "May depend on:" not in text:
            problems.append(f"{cmake.relative_to(root)}: its opening comment must say what the "
                            "stage may depend on ('May depend on: ...')")
        listed = set(re.findall(r"^\s+(\S+\.cpp)\)?\s*$", text, re.M))
        present = {p.name for p in (lib / s).glob("*.cpp")}
        for missing in sorted(present - listed):
            problems.append(f"{cmake.relative_to(root)}: does not list {missing}")
        for gone in sorted(listed - present):
            problems.append(f"{cmake.relative_to(root)}: lists {gone}, which does not exist")

    files = sorted(list(lib.rglob("*.cpp")) + list(lib.rglob("*.h")) +
                   list((gen / "include" / "gotramp").rglob("*.h")))
    for f in files:
        rel = f.relative_to(root)
        text = f.read_text()
        lines = text.split("\n")
        if not lines[0].startswith(f"//===- {f.name} - "):
            problems.append(f"{rel}:1: must open with '//===- {f.name} - what it is for ---===//'")
        if f.suffix == ".cpp" and len(lines) - 1 > MAX_LINES:
            problems.append(f"{rel}: {len(lines) - 1} lines, over the {MAX_LINES}-line limit; "
                            "split it along its seams")
        stage = stage_of(f, root)
        allowed = ALLOWED.get(stage)
        for n, line in enumerate(lines, 1):
            m = INCLUDE.search(line)
            if m and allowed is not None and m.group(1) not in allowed:
                problems.append(f"{rel}:{n}: stage '{stage}' must not include gotramp/{m.group(1)}/ "
                                f"(allowed: {', '.join(sorted(allowed))})")
            for pattern, owner in EXCLUSIVE:
                if pattern.search(line) and not str(f.relative_to(gen)).replace(
                        "include/gotramp/", "lib/").startswith("lib/" + owner):
                    problems.append(f"{rel}:{n}: only lib/{owner}* may include this: {line.strip()}")
            if stage == "emit" and EMIT_FORBIDDEN.search(line):
                problems.append(f"{rel}:{n}: emitters print the plan; compute this in bind/: "
                                f"{line.strip()}")
    for p in problems:
        print(p)
    print(f"layout: {len(files)} files in {len(stages)} stages checked, {len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
