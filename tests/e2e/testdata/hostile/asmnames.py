#!/usr/bin/env python3
"""Writes a C header, its C source and a Go test whose functions take
parameters named after every register, pseudo-register, special operand,
system register and predefined macro the Go assembler of amd64 and arm64
knows, read from the sources of the Go toolchain in use (GOROOT), so that a
name a new Go release adds is tested too.

    asmnames.py GOROOT OUTDIR GOPACKAGE
"""
import os
import re
import sys

goroot, out, package = sys.argv[1:4]


def read(rel):
    path = os.path.join(goroot, rel)
    try:
        return open(path).read()
    except OSError as e:
        sys.exit(f"asmnames.py: cannot read {path} ({e}); the test needs the Go source tree")


names = ["SB", "FP", "PC", "SP", "g", "ret"]
# amd64: cmd/asm/internal/arch.archX86 maps each of x86.Register.
x86 = re.search(r"var Register = \[\]string\{(.*?)\n\}", read("src/cmd/internal/obj/x86/list6.go"), re.S)
names += re.findall(r'"(\w+)"', x86.group(1))
# arm64: archArm64 maps obj.Rconv of R0-R31, F0-F31, V0-V31, RSP, the system
# registers, LR, and renames R18 and R28.
names += [f"R{i}" for i in range(31)] + ["ZR", "RSP", "LR", "R18_PLATFORM"]
names += [f"{p}{i}" for p in "FV" for i in range(32)]
names += re.findall(r'\{"(\w+)",', read("src/cmd/internal/obj/arm64/sysRegEnc.go"))
# arm64 special operands (arch.ARM64SpecialOperand): SpecialOperand.String().
ops = read("src/cmd/internal/obj/arm64/specialoperand_string.go")
text = re.search(r'_SpecialOperand_name = "(\w*)"', ops).group(1)
index = [int(x) for x in re.search(r"_SpecialOperand_index = \[\.\.\.\]uint\d+\{([\d, ]*)\}", ops).group(1).split(",")]
names += [text[a:b] for a, b in zip(index, index[1:])] + ["CS", "CC"]
# Macros of the headers the trampolines include, and the -D ones of go build.
for h in ("textflag.h", "funcdata.h"):
    names += re.findall(r"^#define\s+(\w+)", read(f"pkg/include/{h}"), re.M)
names += ["GOOS_linux", "GOARCH_amd64", "GOARCH_arm64", "GOAMD64_v1", "GOARM64_LSE"]

seen = set()
names = [n for n in names if not (n in seen or seen.add(n))]
if len(names) < 600:
    sys.exit(f"asmnames.py: only {len(names)} names found; the Go sources changed shape")

per = 8
groups = [names[i:i + per] for i in range(0, len(names), per)]
with open(os.path.join(out, "asmnames.h"), "w") as h, open(os.path.join(out, "asmnames.c"), "w") as c:
    h.write("typedef long long i64;\n")
    c.write('#include "asmnames.h"\n')
    for k, group in enumerate(groups):
        proto = f"i64 asmnames_{k}(" + ", ".join(f"i64 {n}" for n in group) + ")"
        h.write(proto + ";\n")
        c.write(proto + " {\n  return " + " + ".join(f"{i + 1} * {n}" for i, n in enumerate(group)) + ";\n}\n")
with open(os.path.join(out, "asmnames_test.go"), "w") as t:
    t.write(f"package {package}\n\nimport \"testing\"\n\n")
    t.write("// weigh is what each asmnames_K computes: the sum of (i+1) * x[i].\n")
    t.write("func weigh(xs ...int64) (s int64) {\n\tfor i, x := range xs {\n\t\ts += int64(i+1) * x\n\t}\n\treturn s\n}\n\n")
    t.write("func TestEveryAssemblerName(t *testing.T) {\n")
    for k, group in enumerate(groups):
        args = ", ".join(str(1000 * (k + 1) + 17 * i) for i in range(len(group)))
        t.write(f"\tif got, want := Asmnames{k}({args}), weigh({args}); got != want {{\n")
        t.write(f"\t\tt.Errorf(\"Asmnames{k} = %d, want %d\", got, want)\n\t}}\n")
    t.write("}\n")
print(f"{len(names)} names in {len(groups)} functions")
