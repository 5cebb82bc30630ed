#!/usr/bin/env bash
# e2e.hostile_names: a symbol and a section name that are not UTF-8 (bytes
# 0xff 0xfe patched into a valid object) give valid JSON with U+FFFD from
# `inspect --json` and in generate's report, not an abort (issue 15); the
# package still vets and runs on linux/amd64 and linux/arm64. Malformed
# inputs the object fuzzer found end in clean errors.
source "$(dirname "$0")/lib.sh"

# U+FFFD twice, as UTF-8 bytes: bash's \u escapes need a UTF-8 locale.
REPLACEMENT=$'helper_\xef\xbf\xbd\xef\xbf\xbd'

for arch in amd64 arm64; do
  flags=(--target=x86_64-linux-gnu)
  [ "$arch" = arm64 ] && flags=(--target=aarch64-linux-gnu -ffixed-x28)
  compile_native "$TESTDATA/hostile.c" "$WORK/clean_$arch.o" "${flags[@]}" \
    -ffunction-sections -fdata-sections
  # The name sits in the string table once, as a suffix of the section name
  # ".text.hostile_helper_QQ" that the symbol's name shares.
  python3 - "$WORK/clean_$arch.o" "$WORK/hostile_$arch.o" <<'EOF'
import sys
data = open(sys.argv[1], "rb").read()
assert data.count(b"hostile_helper_QQ") >= 1, "no helper name in the object"
open(sys.argv[2], "wb").write(data.replace(b"helper_QQ", b"helper_\xff\xfe"))
EOF
  readelf -sW "$WORK/hostile_$arch.o" | LC_ALL=C grep -q $'helper_\xff\xfe' ||
    fail "precondition: the patched symbol name is not in hostile_$arch.o"
  readelf -SW "$WORK/hostile_$arch.o" | LC_ALL=C grep -q $'text.hostile_helper_\xff\xfe' ||
    fail "precondition: the patched section name is not in hostile_$arch.o"
done

# valid_json LOG what: LOG.out is valid JSON.
valid_json() {
  python3 -m json.tool "$1" >/dev/null 2>&1 || { cat "$1" >&2; fail "$2 is not valid JSON"; }
}

for arch in amd64 arm64; do
  step "inspect --json on linux/$arch: valid JSON, the names with U+FFFD"
  run_gotramp "$WORK/inspect_$arch" inspect --object "$WORK/hostile_$arch.o" \
    --target "linux/$arch" --json
  expect_ok "$WORK/inspect_$arch" "inspect --json"
  valid_json "$WORK/inspect_$arch.out" "inspect --json output"
  names=$(json "$WORK/inspect_$arch.out" '" ".join(f["name"] + "@" + f["section"] for f in r["functions"])')
  case " $names " in
  *" hostile_$REPLACEMENT@.text.hostile_$REPLACEMENT "*) ;;
  *) fail "inspect --json names the functions '$names', expected hostile_$REPLACEMENT in .text.hostile_$REPLACEMENT" ;;
  esac

  step "inspect (table) on linux/$arch"
  run_gotramp "$WORK/table_$arch" inspect --object "$WORK/hostile_$arch.o" --target "linux/$arch"
  expect_ok "$WORK/table_$arch" "inspect"
done

step "generate for both targets: a report with U+FFFD, a package that vets and runs"
new_module "$WORK/mod" e2e.test/hostile
OUT=$WORK/mod/hostile
run_gotramp "$WORK/gen" generate --header "$TESTDATA/hostile.h" \
  --target linux/amd64 --target linux/arm64 \
  --object "linux/amd64=$WORK/hostile_amd64.o" --object "linux/arm64=$WORK/hostile_arm64.o" \
  --package hostile --out "$OUT"
expect_ok "$WORK/gen" "generate"
valid_json "$OUT/gotramp-report.json" "gotramp-report.json"
expect_in "$OUT/gotramp-report.json" "the report" "hostile_entry -> hostile_$REPLACEMENT"
cat >"$OUT/hostile_test.go" <<'EOF'
package hostile

import "testing"

func TestEntry(t *testing.T) {
	if got := HostileEntry(14); got != 43 {
		t.Errorf("HostileEntry(14) = %d, want 43", got)
	}
}
EOF
[ -z "$(gofmt -l "$OUT")" ] || fail "gofmt -l lists: $(gofmt -l "$OUT")"
(cd "$WORK/mod" && GOFLAGS=-mod=mod CGO_ENABLED=0 go vet ./... &&
  GOFLAGS=-mod=mod CGO_ENABLED=0 go test -count=1 ./... &&
  GOFLAGS=-mod=mod GOARCH=arm64 go vet ./... &&
  GOFLAGS=-mod=mod GOARCH=arm64 CGO_ENABLED=0 go test -count=1 -exec qemu-aarch64-static ./...) ||
  fail "the generated package does not vet or run"

# Inputs the object fuzzer found (tests/fuzz/objects/corpus/regress_*):
# LLVM aborted on the first (report_fatal_error in section_rel_end, a
# relocation section linked to no section) and read past the archive's
# buffer on the second (a member whose header claims more bytes than are
# left); DWARFDie::children() never ended on the third; LLVM's line-table
# parser crashed on the fourth; DWARFContext allocated 44 GB for the fifth.
CORPUS=$SRC/tests/fuzz/objects/corpus
step "a relocation section linked to no section: a clean error, not LLVM's abort"
run_gotramp "$WORK/reloc" generate --object "$CORPUS/regress_dwarf_reloc_link.o" \
  --target linux/arm64 --package hostile --out "$WORK/reloc-out"
expect_error "$WORK/reloc" "generate on a bad relocation section"
expect_in "$WORK/reloc.err" "the error" "regress_dwarf_reloc_link.o: malformed ELF object: section 5 (relocations) links to section"
step "an archive member longer than the archive: a clean error"
for arch in amd64 arm64; do
  for header in yes no; do
    args=()
    [ "$header" = yes ] && args=(--header "$TESTDATA/hostile.h")
    run_gotramp "$WORK/ar" generate "${args[@]}" --object "$CORPUS/regress_archive_member_size.a" \
      --target "linux/$arch" --package hostile --out "$WORK/ar-out"
    expect_error "$WORK/ar" "generate on a truncated archive"
    expect_in "$WORK/ar.err" "the error" "regress_archive_member_size.a(calls_amd64.o): malformed archive: the member's header says 2136 bytes"
  done
done

step "DWARF whose DIEs stop inside a list of children: generate ends (it looped until out of memory)"
run_gotramp "$WORK/children" generate --object "$CORPUS/regress_dwarf_children.o" \
  --target linux/arm64 --package hostile --out "$WORK/children-out"
expect_ok "$WORK/children" "generate on truncated DWARF"
valid_json "$WORK/children-out/gotramp-report.json" "the report of truncated DWARF"

step "a DWARF 5 line table with a file entry form LLVM does not know: a clean error (LLVM crashed)"
run_gotramp "$WORK/line" generate --object "$CORPUS/regress_dwarf_line_form.o" \
  --target linux/arm64 --package hostile --out "$WORK/line-out"
expect_error "$WORK/line" "generate on a bad line table"
expect_in "$WORK/line.err" "the error" "regress_dwarf_line_form.o: malformed DWARF: the line table at .debug_line+0 describes its files with form 0x5b"

step "a compressed section claiming 44 GB: a clean error (LLVM tried to allocate it)"
run_gotramp "$WORK/chdr" generate --object "$CORPUS/regress_compressed_size.o" \
  --package hostile --out "$WORK/chdr-out"
expect_error "$WORK/chdr" "generate on a huge compressed section"
expect_in "$WORK/chdr.err" "the error" "regress_compressed_size.o: malformed ELF object: section 12 (compressed) says it decompresses to 47244640260 bytes"

step "DWARF whose type links form a cycle: generate gets past the DWARF frontend (it recursed until the stack overflowed)"
run_gotramp "$WORK/cycle" generate --object "$CORPUS/regress_dwarf_type_cycle.o" \
  --target linux/arm64 --package hostile --out "$WORK/cycle-out"
expect_error "$WORK/cycle" "generate on cyclic DWARF types"
expect_in "$WORK/cycle.err" "the error" "packing the native code for linux/arm64" "section [index 2] has a sh_offset"

step "a relocation offset near 2^64: inspect reads the object (the bounds check wrapped around and wrote outside the section)"
run_gotramp "$WORK/wrap" inspect --object "$CORPUS/regress_reloc_offset_wrap.o"
expect_ok "$WORK/wrap" "inspect on a relocation offset near 2^64"

echo "PASS: names that are not UTF-8 and malformed inputs, on linux/amd64 and linux/arm64"
