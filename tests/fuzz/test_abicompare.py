#!/usr/bin/env python3
"""fuzz.abicompare: tests of abicompare.py (the module and its command line)."""

from __future__ import annotations

import copy
import json
import os
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import abicompare  # noqa: E402
from abicompare import compare, describe  # noqa: E402


def direct(*pieces):
    return {"kind": "direct", "pieces": list(pieces)}


INDIRECT, MEMORY, VOID = {"kind": "indirect"}, {"kind": "memory"}, {"kind": "void"}

CLANG = {
    "target": "linux/arm64",
    "functions": {
        "f1": {"args": [direct("int"), direct("f4", "f4")], "result": VOID},
        "f17": {"args": [direct("int"), direct("int"), direct("int"), INDIRECT],
                "result": direct("f8")},
        "skipped_by_gotramp": {"args": [direct("other:fp128")], "result": VOID},
    },
}


class DescribeTest(unittest.TestCase):
    def test_forms(self):
        self.assertEqual(describe(direct("int", "int")), "direct[int,int]")
        self.assertEqual(describe(direct()), "direct[]")
        self.assertEqual(describe(MEMORY), "memory")
        self.assertEqual(describe({"kind": "other:InAlloca"}), "other:InAlloca")
        self.assertEqual(describe(None), "missing")
        self.assertTrue(describe({"pieces": []}).startswith("malformed:"))


class CompareTest(unittest.TestCase):
    def test_equal_inputs_pass(self):
        self.assertEqual(compare(CLANG, copy.deepcopy(CLANG)), [])
        self.assertEqual(compare(CLANG["functions"], CLANG["functions"],
                                 target="linux/arm64"), [])

    def test_mismatched_argument(self):
        g = copy.deepcopy(CLANG)
        g["functions"]["f17"]["args"][3] = direct("int", "int")
        self.assertEqual(compare(g, CLANG),
                         ["f17 linux/arm64 arg 3: gotramp direct[int,int] clang indirect"])

    def test_mismatched_pieces_and_result(self):
        g = copy.deepcopy(CLANG)
        g["functions"]["f1"]["args"][1] = direct("f8")
        g["functions"]["f17"]["result"] = direct("int")
        self.assertEqual(compare(g, CLANG), [
            "f1 linux/arm64 arg 1: gotramp direct[f8] clang direct[f4,f4]",
            "f17 linux/arm64 result: gotramp direct[int] clang direct[f8]",
        ])

    def test_argument_count(self):
        g = copy.deepcopy(CLANG)
        g["functions"]["f1"]["args"].append(MEMORY)
        self.assertEqual(compare(g, CLANG), [
            "f1 linux/arm64: gotramp has 3 args, clang 2",
            "f1 linux/arm64 arg 2: gotramp memory clang missing",
        ])

    def test_only_one_side(self):
        g = copy.deepcopy(CLANG)
        del g["functions"]["skipped_by_gotramp"]
        g["functions"]["gotramp_only"] = {"args": [], "result": VOID}
        self.assertEqual(compare(g, CLANG), [
            "gotramp_only linux/arm64: only on the gotramp side",
            "skipped_by_gotramp linux/arm64: only on the clang side",
        ])
        # The caller passes the functions gotramp bound.
        self.assertEqual(compare(g, CLANG, only={"f1", "f17", "gotramp_only"}),
                         ["gotramp_only linux/arm64: only on the gotramp side"])
        self.assertEqual(compare(g, CLANG, only={"f1", "f17"}), [])
        self.assertEqual(compare(g, CLANG, only={"nowhere"}),
                         ["nowhere linux/arm64: on neither side"])

    def test_targets_differ(self):
        g = copy.deepcopy(CLANG)
        g["target"] = "linux/amd64"
        self.assertEqual(compare(g, CLANG), ["target: gotramp linux/amd64 clang linux/arm64"])


def report_for(functions: dict, target: str) -> dict:
    """A gotramp report whose functions carry the given abi for target."""
    return {
        "package": "p",
        "functions": [
            {"c_name": name,
             "targets": {target: ({"symbol": name, "abi": abi} if abi is not None
                                  else {"symbol": name}),
                         "linux/amd64": {"symbol": name, "abi": {"args": [], "result": VOID}}}}
            for name, abi in functions.items()
        ],
        "skipped": [],
    }


class CommandLineTest(unittest.TestCase):
    def run_cli(self, report, clang, *extra):
        with tempfile.TemporaryDirectory() as tmp:
            rp, cp = os.path.join(tmp, "report.json"), os.path.join(tmp, "clang.json")
            with open(rp, "w") as f:
                json.dump(report, f)
            with open(cp, "w") as f:
                json.dump(clang, f)
            return subprocess.run(
                [sys.executable, abicompare.__file__, rp, cp, "--target", "linux/arm64", *extra],
                capture_output=True, text=True)

    def test_equal(self):
        bound = {n: CLANG["functions"][n] for n in ("f1", "f17")}
        p = self.run_cli(report_for(bound, "linux/arm64"), CLANG)
        self.assertEqual((p.returncode, p.stdout), (0, ""), p.stderr)
        self.assertIn("2 functions compared for linux/arm64: 0 mismatches", p.stderr)

    def test_mismatch(self):
        bound = copy.deepcopy({n: CLANG["functions"][n] for n in ("f1", "f17")})
        bound["f17"]["args"][3] = direct("int", "int")
        p = self.run_cli(report_for(bound, "linux/arm64"), CLANG)
        self.assertEqual(p.returncode, 1)
        self.assertEqual(p.stdout,
                         "f17 linux/arm64 arg 3: gotramp direct[int,int] clang indirect\n")

    def test_report_without_abi(self):
        p = self.run_cli(report_for({"f1": None}, "linux/arm64"), CLANG)
        self.assertEqual(p.returncode, 1)
        self.assertEqual(p.stdout, "f1 linux/arm64: gotramp's report has no abi\n")

    def test_only(self):
        bound = copy.deepcopy({n: CLANG["functions"][n] for n in ("f1", "f17")})
        bound["f17"]["result"] = VOID
        p = self.run_cli(report_for(bound, "linux/arm64"), CLANG, "--only", "f1")
        self.assertEqual((p.returncode, p.stdout), (0, ""), p.stderr)

    def test_wrong_target_file(self):
        other = dict(CLANG, target="linux/amd64")
        p = self.run_cli(report_for({}, "linux/arm64"), other)
        self.assertEqual(p.returncode, 2)


if __name__ == "__main__":
    unittest.main(verbosity=1)
