#!/usr/bin/env python3
"""Differential ABI fuzzer for gotramp (issue 3).

From a seed, writes N random C signatures (1-20 scalar arguments of random
types, a scalar or void result), C callees, a header and a Go test; runs
gotramp on them for linux/amd64 and linux/arm64 and runs the Go test
natively and under qemu-aarch64-static. See README.md in this directory.

Each signature NAME gets two callees:

  R    NAME(args)                 the fold (FNV-1a over the 8 bytes of each
                                  argument's "word", in argument order),
                                  converted to the result type R
  u64  NAME_echo(args, uint32 k)  the word of argument k

An argument's word is its value widened to 64 bits as C converts it
((uint64_t)a: signed types sign-extend, unsigned ones and bool zero-extend),
floating-point values as their bit pattern, pointers as their address. The
extra trailing k of the echo variant takes the next location after the
arguments, so every argument keeps its register or stack slot. Arguments
carry "graffiti": byte b of argument i is (i<<3 | b) ^ mask, for four masks,
so a wrong register, slot, width or extension names the argument and byte.

Adding a type kind (structs by value, later) means one more Kind subclass:
its C and Go spellings, how Go builds a value from graffiti, the words it
contributes (C and Go side) and its classification for the placement model.
"""
from __future__ import annotations

import argparse
import concurrent.futures
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass


# ---------------------------------------------------------------- type kinds

@dataclass(frozen=True)
class Kind:
    c: str            # C spelling
    go: str           # Go spelling in the generated package
    size: int         # C size in bytes
    cls: str          # "int" or "float": register file in the placement model

    # Go expression: a value of this type from the graffiti word `w` (uint64).
    def go_value(self, w: str) -> str:
        raise NotImplementedError

    # Go expression: the argument's word (uint64) from a value `v`.
    def go_word(self, v: str) -> str:
        raise NotImplementedError

    # C expression: the argument's word (uint64_t) from a value `v`.
    def c_word(self, v: str) -> str:
        return f"(uint64_t){v}"

    # C statement body: return the fold `h` (uint64_t) as this type.
    def c_result(self, h: str) -> str:
        return f"return ({self.c}){h};"

    # Go expression: the expected result from the fold `h` (uint64).
    def go_result(self, h: str) -> str:
        return f"{self.go}({h})"

    # Go expression: the result `r` as a uint64 for comparison and printing.
    def go_result_bits(self, r: str) -> str:
        return f"uint64({r})"


class IntKind(Kind):
    def go_value(self, w):
        return f"{self.go}({w})"

    def go_word(self, v):
        if self.go.startswith("int") or self.go == "int":
            return f"uint64(int64({v}))"
        return f"uint64({v})"


class CharKind(Kind):
    """Plain char: a Go byte; signed on x86-64, unsigned on AArch64 Linux."""

    def go_value(self, w):
        return f"byte({w})"

    def go_word(self, v):
        return f"charWord({v})"

    def go_result(self, h):
        return f"byte({h})"


class BoolKind(Kind):
    def go_value(self, w):
        return f"{w}&1 == 1"

    def go_word(self, v):
        return f"boolWord({v})"

    def c_result(self, h):
        return f"return ({h} & 1) != 0;"

    def go_result(self, h):
        return f"{h}&1 == 1"

    def go_result_bits(self, r):
        return f"boolWord({r})"


class FloatKind(Kind):
    def go_value(self, w):
        return f"math.Float32frombits(uint32({w}))" if self.size == 4 else f"math.Float64frombits({w})"

    def go_word(self, v):
        return f"uint64(math.Float32bits({v}))" if self.size == 4 else f"math.Float64bits({v})"

    def c_word(self, v):
        return f"fz_f32({v})" if self.size == 4 else f"fz_f64({v})"

    def c_result(self, h):
        return f"return fz_{'f32' if self.size == 4 else 'f64'}_from({h});"

    def go_result(self, h):
        return f"math.Float32frombits(uint32({h}))" if self.size == 4 else f"math.Float64frombits({h})"

    def go_result_bits(self, r):
        return self.go_word(r)


class PtrKind(Kind):
    """A data or function pointer. Graffiti addresses lie above 2^48 (outside
    every Go heap arena), so the garbage collector ignores them."""

    def go_value(self, w):
        if self.go == "uintptr":
            return f"uintptr({w})"
        if self.go == "unsafe.Pointer":
            return f"mkptr({w})"
        return f"({self.go})(mkptr({w}))"

    def go_word(self, v):
        if self.go == "uintptr":
            return f"uint64({v})"
        if self.go == "unsafe.Pointer":
            return f"uint64(uintptr({v}))"
        return f"uint64(uintptr(unsafe.Pointer({v})))"

    def c_word(self, v):
        return f"(uint64_t)(uintptr_t){v}"

    def c_result(self, h):
        return f"return ({self.c})(uintptr_t)fz_addr({h});"

    def go_result(self, h):
        return self.go_value(f"addr({h})")

    def go_result_bits(self, r):
        return self.go_word(r)


def _ints():
    for bits in (8, 16, 32, 64):
        yield IntKind(f"int{bits}_t", f"int{bits}", bits // 8, "int")
        yield IntKind(f"uint{bits}_t", f"uint{bits}", bits // 8, "int")
    yield CharKind("char", "byte", 1, "int")
    yield IntKind("signed char", "int8", 1, "int")
    yield IntKind("unsigned char", "uint8", 1, "int")
    yield IntKind("short", "int16", 2, "int")
    yield IntKind("unsigned short", "uint16", 2, "int")
    yield IntKind("int", "int32", 4, "int")
    yield IntKind("unsigned int", "uint32", 4, "int")
    yield IntKind("long", "int64", 8, "int")
    yield IntKind("unsigned long", "uint64", 8, "int")
    yield IntKind("long long", "int64", 8, "int")
    yield IntKind("size_t", "uintptr", 8, "int")
    yield IntKind("ptrdiff_t", "int", 8, "int")


KINDS: list[Kind] = [
    *_ints(),
    BoolKind("bool", "bool", 1, "int"),
    FloatKind("float", "float32", 4, "float"),
    FloatKind("double", "float64", 8, "float"),
    PtrKind("void *", "unsafe.Pointer", 8, "int"),
    PtrKind("const char *", "*byte", 8, "int"),
    PtrKind("int32_t *", "*int32", 8, "int"),
    PtrKind("double *", "*float64", 8, "int"),
    PtrKind("struct fz_opaque *", "unsafe.Pointer", 8, "int"),
    PtrKind("fz_fn", "uintptr", 8, "int"),
]
VOID = None

# Per-architecture placement model, only to describe a failing argument:
# (integer argument registers, floating-point argument registers).
REGS = {
    "amd64": (["DI", "SI", "DX", "CX", "R8", "R9"], [f"X{i}" for i in range(8)]),
    "arm64": ([f"R{i}" for i in range(8)], [f"F{i}" for i in range(8)]),
}


def placement(kinds: list[Kind], arch: str) -> list[str]:
    iregs, fregs = REGS[arch]
    ni = nf = slot = 0
    out = []
    for k in kinds:
        if k.cls == "float" and nf < len(fregs):
            out.append(fregs[nf]); nf += 1
        elif k.cls == "int" and ni < len(iregs):
            out.append(iregs[ni]); ni += 1
        else:
            out.append(f"stack+{slot * 8}"); slot += 1
    return out


# ---------------------------------------------------------------- signatures

@dataclass
class Sig:
    index: int
    args: list[Kind]
    result: Kind | None

    @property
    def name(self):
        return f"fz_s{self.index}"

    def c_proto(self, echo=False):
        params = [f"{k.c} a{i}" for i, k in enumerate(self.args)]
        if echo:
            params.append("uint32_t k")
        res = "uint64_t" if echo else (self.result.c if self.result else "void")
        sep = " " if not res.endswith("*") else ""
        return f"{res}{sep}{self.name}{'_echo' if echo else ''}({', '.join(params)})"


def make_sigs(seed: int, count: int, max_args: int = 20) -> list[Sig]:
    rng = random.Random(seed)
    sigs = []
    for i in range(count):
        # Bias towards many arguments so stack slots are common, and towards
        # float-heavy or int-heavy mixes so each class overflows on its own.
        n = rng.choice([rng.randint(1, max_args), rng.randint(max_args // 2, max_args)])
        bias = rng.random()
        floats = [k for k in KINDS if k.cls == "float"]
        ints = [k for k in KINDS if k.cls == "int"]
        args = [rng.choice(floats) if rng.random() < bias * 0.8 else rng.choice(ints)
                for _ in range(n)]
        result = None if rng.random() < 0.1 else rng.choice(KINDS)
        sigs.append(Sig(i, args, result))
    return sigs


# ---------------------------------------------------------------- emitters

C_PRELUDE = r"""/* Generated by tests/fuzz/abifuzz.py (seed %(seed)d); do not edit. */
#include "%(pkg)s.h"

/* Out of line: keeps clang's compile time linear in the number of callees;
   the callees still convert every argument themselves. */
__attribute__((noinline)) static uint64_t fz_mix(uint64_t h, uint64_t w) {
  for (int i = 0; i < 8; i++) {
    h ^= (w >> (8 * i)) & 0xff;
    h *= 0x100000001b3ULL;
  }
  return h;
}
static inline uint64_t fz_f32(float f) { union { float f; uint32_t u; } x = {f}; return x.u; }
static inline uint64_t fz_f64(double f) { union { double f; uint64_t u; } x = {f}; return x.u; }
static inline float fz_f32_from(uint64_t h) { union { uint32_t u; float f; } x = {(uint32_t)h}; return x.f; }
static inline double fz_f64_from(uint64_t h) { union { uint64_t u; double f; } x = {h}; return x.f; }
/* A pointer result: the fold with its top byte replaced, above 2^48. */
static inline uint64_t fz_addr(uint64_t h) { return (h & 0x00ffffffffffffffULL) | 0x5a00000000000000ULL; }
"""

H_PRELUDE = r"""/* Generated by tests/fuzz/abifuzz.py (seed %(seed)d); do not edit. */
#ifndef FZ_%(upkg)s_H
#define FZ_%(upkg)s_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct fz_opaque;
typedef void (*fz_fn)(void);
"""


def emit_c(sigs: list[Sig], seed: int, pkg: str) -> tuple[str, str]:
    h = [H_PRELUDE % {"seed": seed, "upkg": pkg.upper()}]
    c = [C_PRELUDE % {"seed": seed, "pkg": pkg}]
    for s in sigs:
        h.append(f"{s.c_proto()};\n{s.c_proto(echo=True)};\n")
        words = [k.c_word(f"a{i}") for i, k in enumerate(s.args)]
        body = "  uint64_t h = 0xcbf29ce484222325ULL;\n"
        body += "".join(f"  h = fz_mix(h, {w});\n" for w in words)
        if s.result is None:
            body += "  (void)h;\n"
        else:
            body += f"  {s.result.c_result('h')}\n"
        c.append(f"{s.c_proto()} {{\n{body}}}\n")
        cases = "".join(f"  case {i}: return {w};\n" for i, w in enumerate(words))
        c.append(f"{s.c_proto(echo=True)} {{\n  switch (k) {{\n{cases}"
                 f"  default: return 0xdeadbeefdeadbeefULL ^ k;\n  }}\n}}\n")
    h.append("#endif\n")
    return "".join(h), "".join(c)


def go_name(cname: str) -> str:
    return "".join(p[0].upper() + p[1:] for p in cname.split("_") if p)


GO_PRELUDE = r"""// Generated by tests/fuzz/abifuzz.py; do not edit.

package %(pkg)s

import (
	"math"
	"runtime"
	"testing"
	"unsafe"
)

var _ = math.Float32bits
var _ unsafe.Pointer

const fuzzSeed = %(seed)d
const fuzzCount = %(count)d
const fuzzPkg = "%(pkg)s"

var masks = []uint64{0x00, 0xff, 0x80, 0x7f}

// g is graffiti: byte b of argument i is (i<<3 | b) ^ mask.
func g(i int, mask uint64) uint64 {
	var v uint64
	for b := 0; b < 8; b++ {
		v |= uint64(byte(i<<3|b)^byte(mask)) << (8 * b)
	}
	return v
}

// gp is graffiti for a pointer: never below 2^48, so no Go heap arena.
func gp(i int, mask uint64) uint64 {
	v := g(i, mask)
	if v>>48 == 0 {
		v |= 0x5a << 56
	}
	return v
}

func addr(h uint64) uint64 { return h&0x00ffffffffffffff | 0x5a00000000000000 }

// mkptr reinterprets an address as a pointer without vet's unsafeptr complaint.
func mkptr(u uint64) unsafe.Pointer { return *(*unsafe.Pointer)(unsafe.Pointer(&u)) }

func boolWord(b bool) uint64 {
	if b {
		return 1
	}
	return 0
}

func charWord(c byte) uint64 {
	if runtime.GOARCH == "amd64" {
		return uint64(int64(int8(c)))
	}
	return uint64(c)
}

func fold(ws []uint64) uint64 {
	h := uint64(0xcbf29ce484222325)
	for _, w := range ws {
		for b := 0; b < 8; b++ {
			h ^= (w >> (8 * b)) & 0xff
			h *= 0x100000001b3
		}
	}
	return h
}

type sigInfo struct {
	index     int
	proto     string   // C prototype
	argTypes  []string // C types
	argSizes  []int
	placement map[string][]string
}

func goLit(w uint64) string { return fmtHex(w) }

func fmtHex(w uint64) string {
	const digits = "0123456789abcdef"
	buf := []byte("0x0000000000000000")
	for i := 0; i < 16; i++ {
		buf[17-i] = digits[(w>>(4*i))&0xf]
	}
	return string(buf)
}

func byteDiffs(got, want uint64) string {
	s := ""
	for b := 0; b < 8; b++ {
		gb, wb := byte(got>>(8*b)), byte(want>>(8*b))
		if gb != wb {
			if s != "" {
				s += ", "
			}
			s += "byte " + string(rune('0'+b)) + ": got " + fmtHex(uint64(gb))[16:] + " want " + fmtHex(uint64(wb))[16:]
		}
	}
	return s
}

func reproducer(t *testing.T, si *sigInfo, mask uint64, words []uint64) {
	t.Helper()
	vals := ""
	for i, w := range words {
		if i > 0 {
			vals += ", "
		}
		vals += fmtHex(w)
	}
	t.Logf("reproducer: seed %%d, signature %%d (package %%s, %%d signatures)\n  C:      %%s;\n  mask:   %%s\n  words:  [%%s]\n  rerun:  python3 tests/fuzz/abifuzz.py run --gotramp GOTRAMP --clang CLANG --seed %%d --count %%d --only %%d --keep",
		fuzzSeed, si.index, fuzzPkg, fuzzCount, si.proto, fmtHex(mask)[16:], vals, fuzzSeed, fuzzCount, si.index)
}

// check compares the echoed words and the fold result; it reports every
// argument and byte that differs, with the argument's location.
func check(t *testing.T, si *sigInfo, mask uint64, want, echoed []uint64, hasResult bool, gotRes, wantRes uint64) {
	t.Helper()
	bad := false
	for i := range want {
		if echoed[i] == want[i] {
			continue
		}
		bad = true
		t.Errorf("%%s (seed %%d, mask %%s, %%s): argument %%d (%%s a%%d, %%d bytes, in %%s) arrived as %%s, want %%s: %%s",
			si.name(), fuzzSeed, fmtHex(mask)[16:], runtime.GOARCH, i, si.argTypes[i], i, si.argSizes[i],
			si.placement[runtime.GOARCH][i], fmtHex(echoed[i]), fmtHex(want[i]), byteDiffs(echoed[i], want[i]))
	}
	if hasResult && gotRes != wantRes {
		hint := ""
		if !bad {
			// The echo callee converted every argument right, the folding
			// one did not: it trusted bits the trampoline left wrong (an
			// extension or width), or the result travelled back wrong.
			hint = " (every argument echoes right: suspect the extension of a narrow argument the folding callee trusts, or the result move)"
		}
		bad = true
		t.Errorf("%%s (seed %%d, mask %%s, %%s): result %%s, want %%s: %%s%%s",
			si.name(), fuzzSeed, fmtHex(mask)[16:], runtime.GOARCH, fmtHex(gotRes), fmtHex(wantRes), byteDiffs(gotRes, wantRes), hint)
	}
	if bad {
		reproducer(t, si, mask, want)
	}
}

func (si *sigInfo) name() string { return "fz_s" + itoa(si.index) }

func itoa(i int) string {
	if i == 0 {
		return "0"
	}
	s := ""
	for ; i > 0; i /= 10 {
		s = string(rune('0'+i%%10)) + s
	}
	return s
}
"""


def go_str(s: str) -> str:
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def emit_go_test(sigs: list[Sig], seed: int, count: int, pkg: str) -> str:
    out = [GO_PRELUDE % {"pkg": pkg, "seed": seed, "count": count}]
    calls = []
    for s in sigs:
        gn = go_name(s.name)
        n = len(s.args)
        pl = {a: placement(s.args, a) for a in REGS}
        out.append(
            f"\nvar si{s.index} = sigInfo{{{s.index}, {go_str(s.c_proto())}, "
            f"[]string{{{', '.join(go_str(k.c) for k in s.args)}}}, "
            f"[]int{{{', '.join(str(k.size) for k in s.args)}}}, map[string][]string{{"
            + ", ".join(f"{go_str(a)}: {{{', '.join(go_str(x) for x in pl[a])}}}" for a in REGS)
            + "}}\n")
        lines = [f"func check{s.index}(t *testing.T, m uint64) {{"]
        for i, k in enumerate(s.args):
            gw = f"gp({i}, m)" if isinstance(k, PtrKind) else f"g({i}, m)"
            lines.append(f"\ta{i} := {k.go_value(gw)}")
        argl = ", ".join(f"a{i}" for i in range(n))
        lines.append("\twant := []uint64{" + ", ".join(k.go_word(f"a{i}") for i, k in enumerate(s.args)) + "}")
        lines.append(f"\techoed := make([]uint64, {n})")
        lines.append(f"\tfor k := range echoed {{\n\t\techoed[k] = {gn}Echo({argl}, uint32(k))\n\t}}")
        if s.result is None:
            lines.append(f"\t{gn}({argl})")
            lines.append(f"\tcheck(t, &si{s.index}, m, want, echoed, false, 0, 0)")
        else:
            r = s.result
            lines.append(f"\tgot := {gn}({argl})")
            lines.append(f"\twantRes := {r.go_result('fold(want)')}")
            lines.append(f"\tcheck(t, &si{s.index}, m, want, echoed, true, {r.go_result_bits('got')}, "
                         f"{r.go_result_bits('wantRes')})")
        lines.append("}\n")
        out.append("\n".join(lines))
        calls.append(f"check{s.index}")
    out.append("\nvar checks = []func(*testing.T, uint64){\n" +
               "".join(f"\t{c},\n" for c in calls) + "}\n")
    out.append("""
func TestABIFuzz(t *testing.T) {
	for _, m := range masks {
		for _, c := range checks {
			c(t, m)
		}
	}
	t.Logf("%s: %d signatures x %d masks checked on %s (seed %d)", fuzzPkg, len(checks), len(masks), runtime.GOARCH, fuzzSeed)
}
""")
    return "".join(out)


# ---------------------------------------------------------------- driver

NATIVE_CFLAGS = ["-O2", "-fPIC", "-ffreestanding", "-fno-stack-protector",
                 "-fno-asynchronous-unwind-tables", "-fno-builtin", "-ffunction-sections"]
ARCH_CFLAGS = {"amd64": ["--target=x86_64-linux-gnu"],
               "arm64": ["--target=aarch64-linux-gnu", "-ffixed-x28"]}


class Failure(Exception):
    pass


def run(cmd, cwd=None, env=None, quiet=False):
    p = subprocess.run(cmd, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    if p.returncode != 0:
        sys.stdout.write(p.stdout)
        raise Failure(f"command failed ({p.returncode}): {' '.join(cmd)}")
    if not quiet:
        sys.stdout.write(p.stdout)
    return p.stdout


def write_package(mod: str, pkg: str, seed: int, count: int, only: list[int] | None):
    sigs = make_sigs(seed, count)
    if only:
        sigs = [s for s in sigs if s.index in only]
    d = os.path.join(mod, pkg)
    nat = os.path.join(mod, "native", pkg)
    os.makedirs(d, exist_ok=True)
    os.makedirs(nat, exist_ok=True)
    hdr, csrc = emit_c(sigs, seed, pkg)
    with open(os.path.join(nat, f"{pkg}.h"), "w") as f:
        f.write(hdr)
    with open(os.path.join(nat, f"{pkg}.c"), "w") as f:
        f.write(csrc)
    with open(os.path.join(d, f"{pkg}_fuzz_test.go"), "w") as f:
        f.write(emit_go_test(sigs, seed, count, pkg))
    return sigs


def build_package(args, mod: str, pkg: str):
    nat = os.path.join(mod, "native", pkg)
    objs = {a: os.path.join(nat, f"{pkg}_{a}.o") for a in ("amd64", "arm64")}
    # Both targets at once: clang is the slowest step.
    with concurrent.futures.ThreadPoolExecutor(2) as ex:
        for f in [ex.submit(run, [args.clang, *NATIVE_CFLAGS, *ARCH_CFLAGS[a], "-c",
                                  os.path.join(nat, f"{pkg}.c"), "-o", objs[a]]) for a in objs]:
            f.result()
    out = run([args.gotramp, "generate", "--header", os.path.join(nat, f"{pkg}.h"),
               "--package", pkg, "--out", os.path.join(mod, pkg),
               "--target", "linux/amd64", "--target", "linux/arm64",
               "--object", f"linux/amd64={objs['amd64']}", "--object", f"linux/arm64={objs['arm64']}",
               "--strict"], quiet=True)
    return out


def cmd_run(args):
    t0 = time.time()
    seeds = list(args.seed or [])
    if args.random_seed:
        seeds.append(random.SystemRandom().randrange(1, 2**31))
    if not seeds:
        raise Failure("no seed given (--seed S, repeatable, and/or --random-seed)")
    print(f"abifuzz: seeds {seeds}, {args.count} signatures each"
          + (f", only {args.only}" if args.only else ""), flush=True)
    work = args.work or tempfile.mkdtemp(prefix="gotramp-fuzz.")
    mod = os.path.join(work, "mod")
    if os.path.exists(mod):
        shutil.rmtree(mod)
    os.makedirs(mod)
    with open(os.path.join(mod, "go.mod"), "w") as f:
        f.write("module gotramp.test/fuzz\n\ngo 1.23\n")
    env = dict(os.environ, GOTOOLCHAIN="local", GOPROXY="off", GOWORK="off", GOFLAGS="-mod=mod",
               CGO_ENABLED="0")
    total = 0
    pkgs = []
    for seed in seeds:
        # Large counts are split into packages of --batch signatures; the
        # signatures are the same as one package would have (same RNG stream).
        sigs_all = make_sigs(seed, args.count)
        wanted = [s.index for s in sigs_all if not args.only or s.index in args.only]
        for start in range(0, len(wanted), args.batch):
            chunk = wanted[start:start + args.batch]
            pkg = f"fz{seed}b{start // args.batch}"
            write_package(mod, pkg, seed, args.count, chunk)
            build_package(args, mod, pkg)
            pkgs.append(pkg)
            total += len(chunk)
    t1 = time.time()
    print(f"abifuzz: generated and bound {total} signatures in {len(pkgs)} package(s) "
          f"({t1 - t0:.1f}s); work dir {work}", flush=True)
    try:
        for arch in ("amd64", "arm64"):
            run(["go", "vet", "./..."], cwd=mod, env=dict(env, GOARCH=arch))
        t2 = time.time()
        print(f"abifuzz: go vet ok for amd64 and arm64 ({t2 - t1:.1f}s)", flush=True)
        for arch in args.arch:
            ta = time.time()
            cmd = ["go", "test", "-count=1", "-v" if args.verbose else "-count=1", "./..."]
            if arch == "arm64":
                cmd[2:2] = ["-exec", "qemu-aarch64-static"]
            out = run(cmd, cwd=mod, env=dict(env, GOARCH=arch), quiet=not args.verbose)
            print(f"abifuzz: linux/{arch}: {total} signatures x 4 masks, 0 mismatches "
                  f"({time.time() - ta:.1f}s)", flush=True)
    finally:
        if not args.keep and not args.work:
            shutil.rmtree(work, ignore_errors=True)
    print(f"abifuzz: PASS, {total} signatures per architecture x {len(args.arch)} architecture(s), "
          f"seeds {seeds}, {time.time() - t0:.1f}s", flush=True)


def cmd_emit(args):
    sigs = make_sigs(args.seed[0], args.count)
    for s in sigs:
        if not args.only or s.index in args.only:
            print(s.c_proto() + ";")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    r = sub.add_parser("run", help="generate, bind, vet and test")
    r.add_argument("--gotramp", required=True)
    r.add_argument("--clang", required=True)
    r.add_argument("--seed", type=int, action="append", help="repeatable")
    r.add_argument("--random-seed", action="store_true", help="add one random seed (printed)")
    r.add_argument("--count", type=int, default=500, help="signatures per seed")
    r.add_argument("--batch", type=int, default=1000, help="signatures per generated package")
    r.add_argument("--only", type=int, action="append", help="only signature INDEX (repeatable)")
    r.add_argument("--arch", action="append", choices=["amd64", "arm64"])
    r.add_argument("--work", help="work directory (kept)")
    r.add_argument("--keep", action="store_true", help="keep the temporary work directory")
    r.add_argument("-v", "--verbose", action="store_true")
    e = sub.add_parser("emit", help="print the C prototypes of a seed")
    e.add_argument("--seed", type=int, action="append", required=True)
    e.add_argument("--count", type=int, default=500)
    e.add_argument("--only", type=int, action="append")
    args = ap.parse_args()
    if args.cmd == "run":
        args.arch = args.arch or ["amd64", "arm64"]
        try:
            cmd_run(args)
        except Failure as e:
            print(f"abifuzz: FAIL: {e}", flush=True)
            sys.exit(1)
    else:
        cmd_emit(args)


if __name__ == "__main__":
    main()
