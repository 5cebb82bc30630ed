package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gotramp/gotramp/bench/harness"
)

// writeReports gives every gotramp package of harness.Paths and
// harness.CallbackPaths a report in dir whose one function got callPath.
func writeReports(t *testing.T, dir, callPath string) {
	t.Helper()
	var reports []string
	for _, p := range harness.Paths {
		reports = append(reports, p.Report)
	}
	for _, p := range harness.CallbackPaths {
		reports = append(reports, p.Report)
	}
	for _, report := range reports {
		if report == "" {
			continue
		}
		f := filepath.Join(dir, report)
		if err := os.MkdirAll(filepath.Dir(f), 0o755); err != nil {
			t.Fatal(err)
		}
		rep := `{"functions": [{"c_name": "f", "targets": {"linux/amd64": {"call_path": "` + callPath + `"}}}]}`
		if err := os.WriteFile(f, []byte(rep), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// The section lists exactly the call paths that no report of the run uses.
func TestNotMeasuredFollowsTheReports(t *testing.T) {
	for _, used := range []string{"direct", "own_stack", "callback"} {
		dir := t.TempDir()
		writeReports(t, dir, used)
		var b strings.Builder
		(&results{benchDir: dir}).notMeasured(&b)
		out := b.String()
		for _, cp := range callPaths {
			listed := strings.Contains(out, "`"+cp+"`")
			if listed == (cp == used) {
				t.Errorf("reports use %s: section lists `%s`: %v, want %v:\n%s", used, cp, listed, cp != used, out)
			}
		}
		for _, stale := range []string{"rejects", "ed25519"} {
			if strings.Contains(out, stale) {
				t.Errorf("section says %q, which is not true of gotramp:\n%s", stale, out)
			}
		}
	}
}

// The callback table has a row per callback path with every case's median,
// the round trip's ratio to cgo and its instruction count, and a path whose
// gotramp report skips a callback function shows n/a with the reason.
func TestCallbackTable(t *testing.T) {
	dir := t.TempDir()
	report := "paths/skipping/gotramp-report.json"
	if err := os.MkdirAll(filepath.Join(dir, filepath.Dir(report)), 0o755); err != nil {
		t.Fatal(err)
	}
	rep := `{"functions": [{"c_name": "tb_cb_call1"}], "skipped": [{"c_name": "tb_cb_call_n", "reason": "no way back"}]}`
	if err := os.WriteFile(filepath.Join(dir, report), []byte(rep), 0o644); err != nil {
		t.Fatal(err)
	}
	saved := harness.CallbackPaths
	defer func() { harness.CallbackPaths = saved }()
	harness.CallbackPaths = []harness.CallbackPath{
		{Key: "cgo", Label: "the cgo row", Role: harness.Cgo},
		{Key: "fast", Label: "the fast row"},
		{Key: "skipping", Label: "the skipping row", Report: report},
	}
	r := &results{benchDir: dir, bench: map[string]*sample{}, irPerCall: map[string]float64{}}
	perPath := map[string]float64{"cgo": 100, "fast": 20, "skipping": 1}
	for i, c := range harness.CallbackCases {
		for _, p := range harness.CallbackPaths {
			v := perPath[p.Key] * float64(i+1)
			r.bench[harness.CallbackName(c, p)] = &sample{ns: []float64{v, v * 2, v / 2}}
		}
	}
	r.irPerCall[harness.CallbackName(harness.CallbackCases[0], harness.CallbackPaths[1])] = 77
	var b strings.Builder
	r.callbackTables(&b)
	out := b.String()
	for _, want := range []string{
		"| the cgo row | 100 | 200 | 300 | ×1.00 | — |",
		"| the fast row | 20.0 | 40.0 | 60.0 | ×0.20 | 77 |",
		"| the skipping row | n/a<sup>1</sup> |",
		"1. skipped by gotramp: no way back",
		"**Round trip:** the cgo row 100 ns; the fast row 20.0 ns, ×0.20 cgo's (cgo costs 5.00× as much).",
		"| round trip C→Go→C | the fast row | 20.0 | 10.0–40.0 | ×0.20 | 77 | — |",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("callback table lacks %q:\n%s", want, out)
		}
	}
}
