package main

import (
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gotramp/gotramp/bench/harness"
)

func writeFile(t *testing.T, path, text string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

// The shared-library rows come from both test binaries' rounds and from the
// C loop's files, medians over the rounds.
func TestSharedLibParse(t *testing.T) {
	raw := t.TempDir()
	writeFile(t, filepath.Join(raw, "machine.txt"), "rounds: 2\nzlib1g: 1:1.2.13.dfsg-1\n")
	writeFile(t, filepath.Join(raw, "bench-1.txt"), "goos: linux\n"+
		"BenchmarkSharedLib/crc32/gotramp-2         \t 9482912\t        21.30 ns/op\t       0 B/op\t       0 allocs/op\n"+
		"BenchmarkSharedLib/crc32/purego-2          \t  186774\t       584.9 ns/op\t     312 B/op\t       5 allocs/op\n"+
		"PASS\n")
	writeFile(t, filepath.Join(raw, "bench-2.txt"),
		"BenchmarkSharedLib/crc32/gotramp-2         \t 9482912\t        23.30 ns/op\t       0 B/op\t       0 allocs/op\n")
	writeFile(t, filepath.Join(raw, "bench-static-1.txt"),
		"BenchmarkSharedLib/crc32/gotramp0-2        \t    2000\t        13.57 ns/op\t       0 B/op\t       0 allocs/op\n")
	writeFile(t, filepath.Join(raw, "cloop-1.txt"), "BenchmarkSharedLib/crc32/cloop\t8349251\t13.27 ns/op\n")
	writeFile(t, filepath.Join(raw, "cloop-2.txt"), "BenchmarkSharedLib/crc32/cloop\t8349251\t14.27 ns/op\n")
	r, err := load(raw, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string]float64{
		"SharedLib/crc32/gotramp":  22.30,
		"SharedLib/crc32/gotramp0": 13.57,
		"SharedLib/crc32/purego":   584.9,
		"SharedLib/crc32/cloop":    13.77,
	} {
		if got := r.ns(name); math.Abs(got-want) > 1e-9 {
			t.Errorf("%s: median %v, want %v", name, got, want)
		}
	}
	if s := r.bench["SharedLib/crc32/cloop"]; s == nil || len(s.ns) != 2 || len(s.bytes) != 0 {
		t.Errorf("the C loop's sample is %+v, want two ns figures and no B/op", s)
	}
	if s := r.bench["SharedLib/crc32/purego"]; s == nil || median(s.bytes) != 312 || median(s.allocs) != 5 {
		t.Errorf("purego's sample is %+v, want 312 B/op and 5 allocs/op", s)
	}
	if r.machine["zlib1g"] != "1:1.2.13.dfsg-1" {
		t.Errorf("machine.txt's zlib1g is %q", r.machine["zlib1g"])
	}
}

// sharedLibFixture replaces harness.SharedLibPaths with rows of every role,
// one of them skipped by its gotramp report, and returns a results with the
// medians given (in ns; a path left out has no figure).
func sharedLibFixture(t *testing.T, ns map[string]float64) *results {
	t.Helper()
	dir := t.TempDir()
	report := func(name, callPath string) string {
		rel := "paths/" + name + "/gotramp-report.json"
		text := `{"functions": [{"c_name": "crc32", "targets": {"linux/amd64": {"call_path": "` + callPath + `"}}}]}`
		if callPath == "" {
			text = `{"skipped": [{"c_name": "crc32", "reason": "no library"}]}`
		}
		writeFile(t, filepath.Join(dir, rel), text)
		return rel
	}
	saved := harness.SharedLibPaths
	t.Cleanup(func() { harness.SharedLibPaths = saved })
	harness.SharedLibPaths = []harness.SharedLibPath{
		{Key: "own", Label: "the own-stack row", Import: "x", Role: harness.Gotramp,
			Report: report("own", "own_stack"), CName: "crc32"},
		{Key: "direct", Label: "the direct row", Import: "x", Role: harness.Gotramp,
			Report: report("direct", "direct"), CName: "crc32"},
		{Key: "skipping", Label: "the skipping row", Import: "x", Role: harness.Gotramp,
			Report: report("skipping", ""), CName: "crc32"},
		{Key: "cgo", Label: "the cgo row", Import: "x", Role: harness.Cgo},
		{Key: "purego", Label: "the purego row", Import: "x"},
		{Key: "cloop", Label: "the C loop", Role: harness.Floor},
	}
	r := &results{benchDir: dir, machine: map[string]string{}, bench: map[string]*sample{}}
	for key, v := range ns {
		s := &sample{ns: []float64{v}}
		if key == "own" {
			s.ns = []float64{v, 2 * v, v / 2} // median v, min–max v/2 to 2v
		}
		if key != "cloop" {
			s.bytes, s.allocs = []float64{0}, []float64{0}
			if key == "purego" {
				s.bytes, s.allocs = []float64{312}, []float64{5}
			}
		}
		r.bench[harness.SharedLibName(harness.SharedLibPath{Key: key})] = s
	}
	return r
}

func sharedLibSection(r *results) string {
	var b strings.Builder
	r.sharedLibTables(&b)
	return b.String()
}

func checkContains(t *testing.T, out string, want, not []string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(out, w) {
			t.Errorf("section lacks %q:\n%s", w, out)
		}
	}
	for _, n := range not {
		if strings.Contains(out, n) {
			t.Errorf("section says %q, which is not true of this run:\n%s", n, out)
		}
	}
}

// Every row with its median, spread, distance to the C loop and allocations;
// the ratios of the cgo and purego rows to each gotramp row; and the 5×
// target with the C loop below it.
func TestSharedLibTable(t *testing.T) {
	r := sharedLibFixture(t, map[string]float64{"own": 20, "direct": 16, "cgo": 100, "purego": 500, "cloop": 15})
	r.machine["zlib1g"] = "1:1.2.13.dfsg-1"
	checkContains(t, sharedLibSection(r), []string{
		"## Calls into a shared library: crc32 of 8 bytes in libz.so.1, ns per call",
		"(zlib1g 1:1.2.13.dfsg-1)",
		"| the own-stack row | `own_stack` | 20.0 | 10.0–40.0 | 5.00 | 0 | 0 |",
		"| the direct row | `direct` | 16.0 | 16.0–16.0 | 1.00 | 0 | 0 |",
		"| the skipping row | — | n/a<sup>1</sup> | | | | |",
		"1. skipped by gotramp: no library",
		"| the cgo row | — | 100 | 100–100 | 85.0 | 0 | 0 |",
		"| the purego row | — | 500 | 500–500 | 485 | 312 | 5 |",
		"| the C loop | — | 15.0 | 15.0–15.0 | — | — | — |",
		"| path | ÷ the own-stack row | ÷ the direct row |",
		"| the cgo row | ×5.00 | ×6.25 |",
		"| the purego row | ×25 | ×31 |",
		"**5× cheaper than cgo** would take 20.0 ns a call (the cgo row: 100 ns, ÷ 5). The C loop takes 15.0 ns " +
			"of it, which leaves 5.00 ns for getting from Go into the library and back. In this run: the own-stack " +
			"row 20.0 ns, within it; the direct row 16.0 ns, within it.",
	}, []string{"÷ the skipping row", "below the C loop", "over it", "not measured"})
}

// With cgo at 50 ns the target, 10 ns, is below the C loop's 15 ns.
func TestSharedLibTargetBelowTheFloor(t *testing.T) {
	r := sharedLibFixture(t, map[string]float64{"own": 20, "direct": 16, "cgo": 50, "purego": 500, "cloop": 15})
	checkContains(t, sharedLibSection(r), []string{
		"**5× cheaper than cgo** would take 10.0 ns a call (the cgo row: 50.0 ns, ÷ 5). That is 5.00 ns below " +
			"the C loop's 15.0 ns, the same call made from C with no Go at all. In this run: the own-stack row " +
			"20.0 ns, 10.0 ns over it; the direct row 16.0 ns, 6.00 ns over it.",
	}, []string{"within it", "which leaves"})
}

// A run without the C loop and cgo figures says so, and prints no figure
// derived from them.
func TestSharedLibMissingRows(t *testing.T) {
	r := sharedLibFixture(t, map[string]float64{"own": 20, "direct": 16, "purego": 500})
	checkContains(t, sharedLibSection(r), []string{
		"| the own-stack row | `own_stack` | 20.0 | 10.0–40.0 | — | 0 | 0 |",
		"| the cgo row | — | not measured | | | | |",
		"| the C loop | — | not measured | | | | |",
		"| the purego row | ×25 | ×31 |",
		"**5× cheaper than cgo:** this run has no cgo figure, so the target cannot be computed.",
	}, []string{"| the cgo row | ×", "would take", "C loop takes", "below the C loop"})

	r = sharedLibFixture(t, map[string]float64{"own": 20, "cgo": 100})
	checkContains(t, sharedLibSection(r), []string{
		"| the direct row | `direct` | not measured | | | | |",
		"| path | ÷ the own-stack row |\n",
		"| the cgo row | ×5.00 |\n",
		"would take 20.0 ns a call (the cgo row: 100 ns, ÷ 5). This run has no C loop figure to set it against. " +
			"In this run: the own-stack row 20.0 ns, within it.",
	}, []string{"÷ the direct row", "| the purego row | ×", "the direct row 16"})

	r = sharedLibFixture(t, map[string]float64{"cgo": 100, "cloop": 15})
	checkContains(t, sharedLibSection(r), []string{
		"This run has no gotramp figure, so there are no ratios to gotramp.",
		"The C loop takes 15.0 ns of it, which leaves 5.00 ns for getting from Go into the library and back.\n",
	}, []string{"In this run:", "÷ the"})

	r = sharedLibFixture(t, map[string]float64{"own": 20, "cloop": 15})
	checkContains(t, sharedLibSection(r), []string{
		"This run has no figure for cgo or purego, so there are no ratios to gotramp.",
		"this run has no cgo figure",
	}, []string{"÷ the"})

	// Raw data from before the rows existed: no table, no claims.
	r = sharedLibFixture(t, map[string]float64{})
	checkContains(t, sharedLibSection(r), []string{
		"## Calls into a shared library",
		"This run's raw data has no figure for any row of `harness.SharedLibPaths`.\n",
	}, []string{"| path |", "checks", "median", "5×"})
}

// The harness's own rows: every gotramp row names its report and C function,
// exactly one row is the floor and one is cgo, and only the C loop has no
// package.
func TestSharedLibPathsDeclared(t *testing.T) {
	roles := map[harness.Role]int{}
	for _, p := range harness.SharedLibPaths {
		roles[p.Role]++
		if p.Role == harness.Gotramp && (p.Report == "" || p.CName == "") {
			t.Errorf("%s: a gotramp row needs Report and CName", p.Key)
		}
		if (p.Import == "") != (p.Role == harness.Floor) {
			t.Errorf("%s: Import %q with role %d: only the C loop runs outside the test binaries", p.Key, p.Import, p.Role)
		}
	}
	if roles[harness.Floor] != 1 || roles[harness.Cgo] != 1 || roles[harness.Gotramp] == 0 {
		t.Errorf("roles %v: want one floor, one cgo row and gotramp rows", roles)
	}
}
