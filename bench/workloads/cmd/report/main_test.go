package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The table's ratios and targets follow the raw files: medians over rounds,
// other : gotramp, and issue 18's thresholds by input size.
func TestReportFromRaw(t *testing.T) {
	dir := t.TempDir()
	write := func(name, s string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("machine.txt", "cpu: test\nload before: 0.10, 0.20, 0.30\n")
	// Three rounds; the medians are 100 (gotramp) and 110 (cgo) for the
	// 1 KiB case: 1.10×, under the 1.2× that inputs under 2 KiB need.
	for i, g := range []string{"100", "90", "300"} {
		write("bench-"+string(rune('1'+i))+".txt", strings.Join([]string{
			"BenchmarkW/lz4.compress/1KiB/gotramp-2 \t 10\t " + g + " ns/op\t 0 B/op\t 0 allocs/op",
			"BenchmarkW/lz4.compress/1KiB/cgo-2 \t 10\t 110 ns/op\t 0 B/op\t 0 allocs/op",
			"BenchmarkW/zlib.crc32/64B/gotramp-2 \t 10\t 10 ns/op",
			"BenchmarkW/zlib.crc32/64B/cgo-2 \t 10\t 13 ns/op",
			"BenchmarkW/sqlite.point/gotramp-2 \t 10\t 1000 ns/op",
			"BenchmarkW/sqlite.point/cgo-2 \t 10\t 1100 ns/op",
			"BenchmarkW/sqlite.point/mattn-2 \t 10\t 1200 ns/op",
		}, "\n")+"\n")
		write("cloop-"+string(rune('1'+i))+".txt", "BenchmarkW/lz4.compress/1KiB/cloop \t5\t95.00 ns/op\n")
	}
	// Per operation: (2K count - K count) / K; ± the larger repeat
	// difference over K of the row's paths (gotramp's 40 / 10 here).
	write("instructions.tsv", strings.Join([]string{
		"zlib.crc32/64B\tgotramp\t10\t1000\t5000\t1040",
		"zlib.crc32/64B\tcgo\t10\t1000\t8000\t990",
		"zlib.crc32/64B\tcloop\t20\t500\t7500\t500",
	}, "\n")+"\n")
	r, err := load(dir)
	if err != nil {
		t.Fatal(err)
	}
	md := r.markdown()
	for _, want := range []string{
		"| `lz4.compress/1KiB` | 100.0 ns | 110.0 ns | 95.0 ns | — | — | 1.10× | 0.95× | — | — | no: cgo 1.100 < 1.2; C loop +5 % |",
		"| `zlib.crc32/64B` | 10.0 ns | 13.0 ns | — | — | — | 1.30× | — | — | — | yes |",
		"| `sqlite.point` | 1.00 µs | 1.10 µs | — | — | 1.20 µs | 1.10× | — | — | 1.20× | no: mattn 1.200 < 1.3 |",
		"1 of 3 rows meet",
		"| case | gotramp | cgo | C loop | gotramp − C loop | cgo − C loop | ± |",
		"| `zlib.crc32/64B` | 400 | 700 | 350 | +50 | +350 | 4 |",
	} {
		if !strings.Contains(md, want) {
			t.Errorf("WORKLOADS.md lacks %q:\n%s", want, md)
		}
	}
	if strings.Contains(md, "| `lz4.compress/1KiB` | — |") {
		t.Errorf("a case without instruction counts got a row:\n%s", md)
	}
	if svg := r.chart(); !strings.Contains(svg, "<title>lz4.compress/1KiB cgo: 110.0 ns</title>") {
		t.Errorf("chart lacks the cgo bar of lz4.compress/1KiB:\n%s", svg)
	}
}

// A count that cannot give a per-operation figure is an error, not a row.
func TestInstructionsRejectsBadCounts(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "instructions.tsv")
	for _, bad := range []string{
		"zlib.crc32/64B\tgotramp\t10\t5000\t5000\t5000\n", // 2K no larger than K
		"zlib.crc32/64B\tgotramp\t0\t1000\t5000\t1000\n",  // K = 0
		"zlib.crc32/64B\tgotramp\t10\t1000\t5000\n",       // a field missing
	} {
		if err := os.WriteFile(path, []byte(bad), 0o644); err != nil {
			t.Fatal(err)
		}
		r := &results{}
		if err := r.loadInstructions(path); err == nil {
			t.Errorf("%q: no error", bad)
		}
	}
}
