package suite

import (
	"os"
	"strings"
	"testing"
)

var cases []Case

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "workloads-sqlite-")
	if err != nil {
		panic(err)
	}
	cases, err = Cases(dir)
	if err != nil {
		os.RemoveAll(dir)
		panic(err)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// TestResults checks one operation of every case through every path.
func TestResults(t *testing.T) {
	for _, c := range cases {
		for _, im := range c.Impls {
			if err := im.Check(); err != nil {
				t.Errorf("%s/%s: %v", c.Key, im.Path, err)
			}
		}
	}
}

// BenchmarkW times every case through every path. It runs the checks
// first and refuses to time a path that fails them.
func BenchmarkW(b *testing.B) {
	for _, c := range cases {
		for _, im := range c.Impls {
			b.Run(c.Key+"/"+im.Path, func(b *testing.B) {
				if err := im.Check(); err != nil {
					b.Fatal(err)
				}
				b.ResetTimer()
				im.Run(b.N)
			})
		}
	}
}

// TestSQLiteFilesAgree: sqlite_gotramp_os.go is sqlite_gotramp.go for the
// other generated package.
func TestSQLiteFilesAgree(t *testing.T) {
	a, err := os.ReadFile("sqlite_gotramp.go")
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile("sqlite_gotramp_os.go")
	if err != nil {
		t.Fatal(err)
	}
	want := strings.NewReplacer("gen/sqlite\"", "gen/sqliteos\"", "sqlite.", "sqliteos.",
		"gotrampDB", "gotrampOSDB", "openGotramp(", "openGotrampOS(").Replace(string(a))
	head := func(s string) string { i := strings.Index(s, "func openGotramp"); return s[i:] }
	if head(want) != head(string(b)) {
		t.Error("sqlite_gotramp_os.go is not sqlite_gotramp.go with the package sqliteos")
	}
}
