#!/usr/bin/env bash
# e2e.dump_ir: --dump-ir needs only --header, prints the parsed module as
# valid JSON (functions, records, enums, constants with their locations) and
# writes no files.
source "$(dirname "$0")/lib.sh"

HEADER=$TESTDATA/dump.h
mkdir "$WORK/cwd"
cd "$WORK/cwd"

step "--dump-ir with only --header"
run_gotramp "$WORK/dump" generate --dump-ir --header "$HEADER"
expect_ok "$WORK/dump" "--dump-ir"
python3 -m json.tool "$WORK/dump.out" >/dev/null || {
  show "$WORK/dump"
  fail "--dump-ir did not print valid JSON"
}
[ -z "$(ls -A "$WORK/cwd")" ] || fail "--dump-ir wrote files into the working directory: $(ls -A)"

step "the module's contents"
loc_of() { location "$HEADER" "$1"; }
python3 - "$WORK/dump.out" "$HEADER" "$(loc_of dump_scale)" "$(loc_of dump_printf)" \
  "$(loc_of dump_renamed)" "$(loc_of dump_void)" <<'EOF'
import json, sys

path, header = sys.argv[1], sys.argv[2]
locs = dict(zip(["dump_scale", "dump_printf", "dump_renamed", "dump_void"], sys.argv[3:]))
m = json.load(open(path))
errors = []

def check(cond, what):
    if not cond:
        errors.append(what)

check(m.get("triple") == "x86_64-linux-gnu", "triple is %r" % m.get("triple"))

fns = {f["name"]: f for f in m.get("functions", [])}
check([f["name"] for f in m.get("functions", [])] == list(locs),
      "functions (in declaration order): %r" % [f["name"] for f in m.get("functions", [])])
for name, loc in locs.items():
    f = fns.get(name)
    if not f:
        continue
    line, col = map(int, loc.split(":"))
    got = f.get("location", {})
    check(got == {"file": header, "line": line, "column": col},
          "%s location %r, want %s:%s" % (name, got, header, loc))
    check(f.get("variadic") == (name == "dump_printf"), "%s variadic %r" % (name, f.get("variadic")))
    check("unsupported_reason" not in f, "%s is marked unsupported" % name)

s = fns.get("dump_scale", {})
check(s.get("symbol") == "dump_scale", "dump_scale symbol %r" % s.get("symbol"))
check(s.get("doc") == "Scales a record.", "dump_scale doc %r" % s.get("doc"))
check(s.get("result", {}).get("kind") == "integer" and s["result"].get("size") == 8
      and s["result"].get("signed") is True, "dump_scale result %r" % s.get("result"))
params = [(p.get("name"), p.get("type", {}).get("kind")) for p in s.get("params", [])]
check(params == [("r", "pointer"), ("factor", "float")], "dump_scale params %r" % params)
check(fns.get("dump_renamed", {}).get("symbol") == "dump_renamed_v2",
      "dump_renamed symbol (asm label) %r" % fns.get("dump_renamed", {}).get("symbol"))
v = fns.get("dump_void", {})
check(v.get("params") == [] and v.get("result", {}).get("kind") == "void",
      "dump_void: params %r result %r" % (v.get("params"), v.get("result")))

recs = {r["name"]: r for r in m.get("records", [])}
r = recs.get("dump_rec")
if r is None:
    errors.append("records: no dump_rec in %r" % list(recs))
else:
    fields = [(f.get("name"), f.get("offset")) for f in r.get("fields", [])]
    check(fields == [("tag", 0), ("value", 8), ("small", 16)], "dump_rec fields %r" % fields)
    check((r.get("size"), r.get("align"), r.get("union")) == (24, 8, False),
          "dump_rec size/align/union %r" % ((r.get("size"), r.get("align"), r.get("union")),))

enums = {e["name"]: e for e in m.get("enums", [])}
e = enums.get("dump_color")
if e is None:
    errors.append("enums: no dump_color in %r" % list(enums))
else:
    consts = [(c.get("name"), c.get("value")) for c in e.get("constants", [])]
    check(consts == [("DUMP_RED", 1), ("DUMP_GREEN", 2), ("DUMP_BLUE", 40)], "dump_color constants %r" % consts)

consts = {c["name"]: c for c in m.get("constants", [])}
check(consts.get("DUMP_VERSION", {}).get("value") == 42,
      "constants: DUMP_VERSION %r" % consts.get("DUMP_VERSION"))

if errors:
    print("--dump-ir output is wrong:\n  " + "\n  ".join(errors), file=sys.stderr)
    sys.exit(1)
EOF

step "--dump-ir stops before generating: --out is not created"
run_gotramp "$WORK/dump2" generate --dump-ir --header "$HEADER" --package p --out "$WORK/out"
expect_ok "$WORK/dump2" "--dump-ir with --out"
[ ! -e "$WORK/out" ] || fail "--dump-ir created the --out directory"
cmp "$WORK/dump.out" "$WORK/dump2.out" || fail "two --dump-ir runs on the same header print different JSON"
echo "PASS"
