#!/usr/bin/env python3
"""Compare gotramp's argument/result lowering with Clang's, for one target.

Both sides use one schema (clangabi/README.md): per function
``{"args": [ARG, ...], "result": ARG}``, where ARG is ``{"kind": "void"}``,
``{"kind": "ignore"}``, ``{"kind": "direct", "pieces": ["int", "f4", "f8",
...]}``, ``{"kind": "memory"}``, ``{"kind": "indirect"}`` or
``{"kind": "other:..."}``.

Clang's side is what ``gotramp-clangabi`` prints::

    {"target": "linux/amd64", "functions": {"NAME": {"args": [...], "result": ...}}}

gotramp's side comes from its report: each entry of ``functions`` has, per
target, an ``abi`` object in the same schema (``report_abi`` turns a report
into the document above).

As a module::

    from abicompare import compare
    mismatches = compare(gotramp_doc, clang_doc, only={"f1", "f2"})

As a command (exit status 1 when anything differs)::

    abicompare.py GOTRAMP_REPORT.json CLANG.json --target linux/amd64
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Iterable, Mapping

__all__ = ["compare", "describe", "report_abi", "main"]


def describe(arg: Mapping | None) -> str:
    """Short form of one ARG: ``direct[f8,int]``, ``memory``, ``void``..."""
    if arg is None:
        return "missing"
    if not isinstance(arg, Mapping) or "kind" not in arg:
        return "malformed:" + json.dumps(arg, sort_keys=True)
    kind = arg["kind"]
    if kind == "direct":
        return "direct[" + ",".join(str(p) for p in arg.get("pieces", [])) + "]"
    return str(kind)


def _functions(doc: Mapping) -> tuple[Mapping, str | None]:
    """(functions map, target) of a whole document or of a bare functions map."""
    if "functions" in doc and isinstance(doc["functions"], Mapping):
        return doc["functions"], doc.get("target")
    return doc, None


def compare(gotramp_abi: Mapping, clang_abi: Mapping, *, only: Iterable[str] | None = None,
            target: str | None = None) -> list[str]:
    """Every difference between the two sides, as one message each.

    Each side is either a whole document (``{"target": ..., "functions":
    {...}}``) or just its ``functions`` map. ``only`` restricts the comparison
    to those names (the functions gotramp bound); a name missing on either
    side is a mismatch. ``target`` names the target in messages when the
    documents do not.
    """
    g_funcs, g_target = _functions(gotramp_abi)
    c_funcs, c_target = _functions(clang_abi)
    out: list[str] = []
    if g_target and c_target and g_target != c_target:
        out.append(f"target: gotramp {g_target} clang {c_target}")
    tgt = target or g_target or c_target or "?"

    names = set(only) if only is not None else set(g_funcs) | set(c_funcs)
    for name in sorted(names):
        g, c = g_funcs.get(name), c_funcs.get(name)
        if g is None or c is None:
            if g is None and c is None:
                out.append(f"{name} {tgt}: on neither side")
            else:
                out.append(f"{name} {tgt}: only on the {'clang' if g is None else 'gotramp'} side")
            continue
        g_args, c_args = list(g.get("args", [])), list(c.get("args", []))
        if len(g_args) != len(c_args):
            out.append(f"{name} {tgt}: gotramp has {len(g_args)} args, clang {len(c_args)}")
        for i in range(max(len(g_args), len(c_args))):
            ga = describe(g_args[i] if i < len(g_args) else None)
            ca = describe(c_args[i] if i < len(c_args) else None)
            if ga != ca:
                out.append(f"{name} {tgt} arg {i}: gotramp {ga} clang {ca}")
        gr, cr = describe(g.get("result")), describe(c.get("result"))
        if gr != cr:
            out.append(f"{name} {tgt} result: gotramp {gr} clang {cr}")
    return out


def report_abi(report: Mapping, target: str) -> tuple[dict, list[str]]:
    """gotramp's side for one target from its report, and the functions
    bound for that target without an ``abi`` object."""
    functions: dict = {}
    missing: list[str] = []
    for f in report.get("functions", []):
        per_target = f.get("targets", {}).get(target)
        if per_target is None:
            continue
        name = f.get("c_name")
        if "abi" in per_target:
            functions[name] = per_target["abi"]
        else:
            missing.append(name)
    return {"target": target, "functions": functions}, missing


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("report", help="gotramp's report (gotramp-report.json)")
    ap.add_argument("clang", help="gotramp-clangabi's output for the same header and target")
    ap.add_argument("--target", required=True, help="linux/amd64 or linux/arm64")
    ap.add_argument("--only", action="append", metavar="NAME",
                    help="compare just this function (repeatable); default: every function "
                         "the report binds for the target")
    args = ap.parse_args(argv)

    with open(args.report) as f:
        report = json.load(f)
    with open(args.clang) as f:
        clang = json.load(f)
    if clang.get("target") not in (None, args.target):
        print(f"{args.clang} is for {clang.get('target')}, not {args.target}", file=sys.stderr)
        return 2
    gotramp, no_abi = report_abi(report, args.target)
    only = set(args.only) if args.only else set(gotramp["functions"]) | set(no_abi)
    mismatches = [f"{n} {args.target}: gotramp's report has no abi" for n in sorted(no_abi)
                  if n in only]
    only -= set(no_abi)
    mismatches += compare(gotramp, clang, only=only, target=args.target)
    for m in mismatches:
        print(m)
    print(f"{len(only) + len(no_abi)} functions compared for {args.target}: "
          f"{len(mismatches)} mismatches", file=sys.stderr)
    return 1 if mismatches else 0


if __name__ == "__main__":
    sys.exit(main())
