package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gotramp/gotramp/bench/harness"
)

// writeReports gives every gotramp package of harness.Paths a report in dir
// whose one function got callPath.
func writeReports(t *testing.T, dir, callPath string) {
	t.Helper()
	for _, p := range harness.Paths {
		if p.Report == "" {
			continue
		}
		f := filepath.Join(dir, p.Report)
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
	for _, used := range []string{"direct", "own_stack"} {
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
