#!/usr/bin/env python3
"""fuzz.clangabi: gotramp-clangabi on testdata/cases.h against the ABI documents.

    test_clangabi.py path/to/gotramp-clangabi

Each expectation below follows from the System V x86-64 psABI (amd64) or
AAPCS64 (arm64), in abicompare.describe's short form. Where Clang's
arrangement says something else than the document's *location* would suggest
(a value that ends up on the stack but is still "direct"), the expectation is
Clang's and the comment says why; see README.md.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
from abicompare import describe  # noqa: E402

CASES = os.path.join(HERE, "testdata", "cases.h")

I, F4, F8 = "direct[int]", "direct[f4]", "direct[f8]"


def ints(n):
    return [I] * n


def doubles(n):
    return [F8] * n


# name: (args, result), both targets where they agree.
COMMON = {
    # Scalars: INTEGER class / general registers, SSE class / SIMD&FP registers.
    "s_int": ([I], I),
    "s_float": ([F4], F4),
    "s_double": ([F8], F8),
    "s_bool": ([I], I),  # _Bool: i1 zeroext
    "s_small": (ints(4), I),  # sign/zero extended: Extend, still one register
    "s_i64": (ints(3), I),
    "s_ptr": (ints(2), I),
    "s_void": ([], "void"),
    "s_noargs": ([], I),
    "s_enum": ([I], I),
    "s_cdouble": (["direct[f8,f8]"], "direct[f8,f8]"),  # SSE, SSE / HFA of 2
    "f_dd": (["direct[f8,f8]"], "direct[f8,f8]"),
    "f_fi": ([I], I),  # amd64: INTEGER wins the eightbyte; arm64: not an HFA, <= 8 bytes
    "f_c3": ([I], I),  # amd64: i24; arm64: i64
    "f_lc": (["direct[int,int]"], "direct[int,int]"),
    "f_b8": ([I], I),
    "f_udl": ([I], I),  # amd64: SSE+INTEGER merge to INTEGER; arm64: a union of
                        # double and long is not an HFA
    "f_empty": ([I, "ignore", I], I),  # size 0 (GNU C): takes no register
    "f_l3": (["memory"] , "indirect"),  # replaced per target below
    "f_f5": (["memory"], "indirect"),  # replaced per target below
}

AMD64 = dict(COMMON)
AMD64.update({
    # long double is X87 class. The psABI passes an X87 argument in memory;
    # Clang leaves the scalar x86_fp80 "direct" and lets the backend put it
    # on the stack (there is no register for it), and returns it in ST0.
    "s_ldouble": (["direct[other:x86_fp80]"], "direct[other:x86_fp80]"),
    # __int128 is classified as struct {long lo, hi;}: INTEGER, INTEGER.
    # With both registers free Clang coerces it to {i64, i64}: two pieces.
    "s_i128": (["direct[int,int]"], "direct[int,int]"),
    # With one register left Clang 19 passes the scalar i128 whole, so that
    # the backend never splits it between R9 and the stack; the tool shows
    # i128 as other:i128 rather than hide it behind "int". The psABI (and
    # GCC) then pass z in R9, but LLVM 19's backend shadows R9 and puts z on
    # the stack too: llvm/llvm-project#123935, fixed in LLVM 20 (#124134).
    "x_i128_after5": (ints(5) + ["direct[other:i128]", I], "void"),
    "s_cfloat": (["direct[f8]"], "direct[f8]"),  # one SSE eightbyte: <2 x float>
    "f_dl": (["direct[f8,int]"], "direct[f8,int]"),  # SSE, INTEGER: XMM0 + RDI, XMM0 + RAX
    "f_f2": (["direct[f8]"], "direct[f8]"),  # <2 x float> in one XMM
    "f_f3": (["direct[f8,f4]"], "direct[f8,f4]"),  # <2 x float>, float
    "f_f4": (["direct[f8,f8]"], "direct[f8,f8]"),
    "f_fa3": (["direct[f8,f4]"], "direct[f8,f4]"),
    "f_fd": (["direct[f4,f8]"], "direct[f4,f8]"),  # float (+ padding), double
    "f_a16": (["direct[int,int]"], "direct[int,int]"),  # two INTEGER eightbytes
    # Over 16 bytes: MEMORY class; the result goes through the hidden RDI pointer.
    "f_l3": (["memory"], "indirect"),
    "f_d4": (["memory"], "indirect"),
    "f_f5": (["memory"], "indirect"),
    # Six longs take RDI..R9; a struct needing an INTEGER register goes to
    # memory as a whole...
    "x_l2_after6": (ints(6) + ["memory"], "void"),
    "x_dl_after6": (ints(6) + ["memory"], "void"),
    # ... but Clang coerces a struct of at most 8 bytes to i64 once no
    # integer register is left (X86_64ABIInfo::getIndirectResult), so it is
    # "direct" though it lands in the same stack slot the psABI gives it.
    "x_l1_after6": (ints(6) + [I], "void"),
    # L2 needs two registers and one is left: L2 goes to memory and the long
    # after it still gets R9 (not visible in the arrangement).
    "x_l2_after5": (ints(5) + ["memory", I], "void"),
    # SSE registers exhausted, integer registers free: memory.
    "x_d1_after8d": (doubles(8) + ["memory"], "void"),
    # Both exhausted: the same i64 coercion as x_l1_after6, so an SSE-class
    # struct is reported as direct[int] (on the stack either way).
    "x_d1_after8d6l": (doubles(8) + ints(6) + [I], "void"),
    "x_dd_after8d": (doubles(8) + ["memory"], "void"),
    # The 7th and 8th longs are scalars: "direct" even on the stack.
    "x_lc_after8": (ints(8) + ["memory"], "void"),
    "x_lc_after7": (ints(7) + ["memory", I], "void"),
})

ARM64 = dict(COMMON)
ARM64.update({
    # long double is IEEE quad (fp128) in one SIMD&FP register (Q0).
    "s_ldouble": (["direct[other:fp128]"], "direct[other:fp128]"),
    # __int128: an even-numbered register pair (C.9, NGRN rounded up), which
    # Clang leaves to the backend by passing one i128.
    "s_i128": (["direct[other:i128]"], "direct[other:i128]"),
    "x_i128_after5": (ints(5) + ["direct[other:i128]", I], "void"),
    "s_cfloat": (["direct[f4,f4]"], "direct[f4,f4]"),  # an HFA of 2 floats: S0, S1
    "f_dl": (["direct[int,int]"], "direct[int,int]"),  # not an HFA, 16 bytes: X0, X1
    "f_f2": (["direct[f4,f4]"], "direct[f4,f4]"),  # HFAs: one register per member
    "f_f3": (["direct[f4,f4,f4]"], "direct[f4,f4,f4]"),
    "f_f4": (["direct[f4,f4,f4,f4]"], "direct[f4,f4,f4,f4]"),
    "f_fa3": (["direct[f4,f4,f4]"], "direct[f4,f4,f4]"),
    "f_fd": (["direct[int,int]"], "direct[int,int]"),  # mixed: not an HFA
    # 16-byte aligned composite: an even-numbered register pair (C.9); Clang
    # coerces it to i128.
    "f_a16": (["direct[other:i128]"], "direct[other:i128]"),
    # Composites over 16 bytes (not HFAs) go by reference to a caller copy
    # (B.4); the result by the X8 pointer.
    "f_l3": (["indirect"], "indirect"),
    "f_f5": (["indirect"], "indirect"),
    # An HFA of 4 doubles is 32 bytes but still travels in D0-D3.
    "f_d4": (["direct[f8,f8,f8,f8]"], "direct[f8,f8,f8,f8]"),
    # AAPCS64 exhaustion (C.6 / C.13: NSRN or NGRN is set to 8 and the
    # composite is copied to the stack) is done by the backend, not by
    # Clang's arrangement: every small composite stays "direct".
    "x_l2_after6": (ints(6) + ["direct[int,int]"], "void"),  # X6, X7
    "x_dl_after6": (ints(6) + ["direct[int,int]"], "void"),  # X6, X7
    "x_l1_after6": (ints(6) + [I], "void"),
    "x_l2_after5": (ints(5) + ["direct[int,int]", I], "void"),
    "x_d1_after8d": (doubles(8) + [F8], "void"),  # stack (NSRN = 8)
    "x_d1_after8d6l": (doubles(8) + ints(6) + [F8], "void"),  # stack
    "x_dd_after8d": (doubles(8) + ["direct[f8,f8]"], "void"),  # stack
    "x_lc_after8": (ints(8) + ["direct[int,int]"], "void"),  # stack
    # One register left for a two-register composite: LC goes to the stack,
    # NGRN becomes 8, so z goes to the stack too (unlike amd64).
    "x_lc_after7": (ints(7) + ["direct[int,int]", I], "void"),
})

EXPECT = {"linux/amd64": AMD64, "linux/arm64": ARM64}

NOT_REPORTED = {"v_variadic", "k_no_prototype", "k_incomplete", "not_in_main_file"}


def run(tool, *args):
    return subprocess.run([tool, *args], capture_output=True, text=True)


def check_cases(tool) -> list[str]:
    failures = []
    for target, expect in EXPECT.items():
        p = run(tool, "--target", target, CASES)
        if p.returncode != 0:
            failures.append(f"{target}: exit {p.returncode}\n{p.stderr}")
            continue
        doc = json.loads(p.stdout)
        if doc.get("target") != target:
            failures.append(f"{target}: output says target {doc.get('target')}")
        funcs = doc["functions"]
        if list(funcs) != sorted(funcs):
            failures.append(f"{target}: functions are not sorted by name")
        for name in sorted(set(expect) | set(funcs)):
            if name not in funcs:
                failures.append(f"{name} {target}: not reported")
                continue
            if name not in expect:
                failures.append(f"{name} {target}: reported, no expectation")
                continue
            want_args, want_result = expect[name]
            got_args = [describe(a) for a in funcs[name]["args"]]
            got_result = describe(funcs[name]["result"])
            if got_args != want_args:
                failures.append(f"{name} {target} args: got {got_args}, want {want_args}")
            if got_result != want_result:
                failures.append(f"{name} {target} result: got {got_result}, want {want_result}")
        for name in sorted(NOT_REPORTED & set(funcs)):
            failures.append(f"{name} {target}: reported, should not be")
        if "k_incomplete skipped" not in p.stderr:
            failures.append(f"{target}: no warning about k_incomplete on stderr:\n{p.stderr}")
        # Deterministic: a second run prints the same bytes.
        if run(tool, "--target", target, CASES).stdout != p.stdout:
            failures.append(f"{target}: two runs differ")
    return failures


def check_errors(tool) -> list[str]:
    failures = []
    with tempfile.TemporaryDirectory() as tmp:
        bad = os.path.join(tmp, "bad.h")
        with open(bad, "w") as f:
            f.write("int ok(int a);\nint broken(int a b);\n")
        p = run(tool, "--target", "linux/amd64", bad)
        if p.returncode == 0 or p.stdout:
            failures.append(f"unparsable header: exit {p.returncode}, stdout {p.stdout!r}")
        if f"{bad}:2:" not in p.stderr:
            failures.append(f"unparsable header: no {bad}:2: on stderr:\n{p.stderr}")

        p = run(tool, "--target", "linux/riscv64", CASES)
        if p.returncode == 0 or "unknown target" not in p.stderr:
            failures.append(f"unknown target: exit {p.returncode}, stderr {p.stderr!r}")

        p = run(tool, "--target", "linux/amd64", os.path.join(tmp, "missing.h"))
        if p.returncode == 0 or "missing.h" not in p.stderr:
            failures.append(f"missing header: exit {p.returncode}, stderr {p.stderr!r}")

        # Extra clang arguments after "--" reach the compiler.
        hdr = os.path.join(tmp, "macro.h")
        with open(hdr, "w") as f:
            f.write("#include <stdint.h>\nMACRO_T with_macro(MACRO_T a);\nint empty_header_ok;\n")
        p = run(tool, "--target", "linux/arm64", hdr, "--", "-DMACRO_T=double")
        if p.returncode != 0:
            failures.append(f"-- args: exit {p.returncode}\n{p.stderr}")
        else:
            got = json.loads(p.stdout)["functions"].get("with_macro")
            if not got or describe(got["result"]) != F8:
                failures.append(f"-- args: with_macro is {got}")

        empty = os.path.join(tmp, "empty.h")
        with open(empty, "w") as f:
            f.write("/* nothing */\n")
        p = run(tool, "--target", "linux/amd64", empty)
        if p.returncode != 0 or json.loads(p.stdout) != {"target": "linux/amd64",
                                                          "functions": {}}:
            failures.append(f"empty header: exit {p.returncode}, stdout {p.stdout!r}")
    return failures


def main() -> int:
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    tool = sys.argv[1]
    failures = check_cases(tool) + check_errors(tool)
    for f in failures:
        print("FAIL", f)
    n = sum(len(e) for e in EXPECT.values())
    print(f"{n} expectations on {len(EXPECT)} targets, error paths: {len(failures)} failures")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
