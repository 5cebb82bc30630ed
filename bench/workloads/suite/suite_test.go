package suite

import (
	"fmt"
	"hash/adler32"
	"hash/crc32"
	"os"
	"os/exec"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/gotramp/gotramp/bench/workloads/cgo/lz4c"
	"github.com/gotramp/gotramp/bench/workloads/cgo/zlibc"
	"github.com/gotramp/gotramp/bench/workloads/cgo/zstdc"
	"github.com/gotramp/gotramp/bench/workloads/data"
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

// TestCLoop checks the C loop's results against the Go side: the checksums
// against hash/crc32 and hash/adler32, the compressed sizes against the cgo
// packages' (same objects, same input), the point query against data.Row.
// run.sh builds the C loop and names it in WL_CLOOP (and its data directory
// in WL_DATA).
func TestCLoop(t *testing.T) {
	bin, dir := os.Getenv("WL_CLOOP"), os.Getenv("WL_DATA")
	if bin == "" || dir == "" {
		t.Skip("WL_CLOOP and WL_DATA are not set (run.sh sets them)")
	}
	outb, err := exec.Command(bin, dir, "0", "check").Output()
	if err != nil {
		t.Fatalf("%s %s 0 check: %v", bin, dir, err)
	}
	got := map[string]string{}
	for _, l := range strings.Split(strings.TrimSpace(string(outb)), "\n") {
		f := strings.Fields(l)
		if len(f) < 3 || f[0] != "check" {
			t.Fatalf("unexpected line from the C loop: %q", l)
		}
		got[f[1]] = strings.Join(f[2:], " ")
	}
	want := map[string]string{}
	for _, n := range []int{1024, 65536} {
		src := data.Text(n)
		dst := make([]byte, n+n/128+64)
		want["lz4.compress/"+sizeName(n)] = strconv.Itoa(lz4c.CompressDefault(src, dst))
		cc := zstdc.NewCCtx()
		for _, level := range []int{1, 3} {
			want[fmt.Sprintf("zstd.compress.l%d/%s", level, sizeName(n))] = strconv.Itoa(int(zstdc.CompressCCtx(cc, dst, src, level)))
		}
		want["zlib.deflate/"+sizeName(n)] = strconv.Itoa(zlibc.Compress2(dst, src, Level))
	}
	for _, n := range []int{64, 4096} {
		src := data.Text(n)
		want["zlib.crc32/"+sizeName(n)] = strconv.FormatUint(uint64(crc32.ChecksumIEEE(src)), 10)
		want["zlib.adler32/"+sizeName(n)] = strconv.FormatUint(uint64(adler32.Checksum(src)), 10)
	}
	var sum int64
	for id := int64(0); id < data.Rows; id++ {
		v, _ := data.Row(id)
		sum += v
		if id == 0 || id == 1 || id == 499 || id == data.Rows-1 {
			want[fmt.Sprintf("sqlite.point/%d", id)] = strconv.FormatInt(v, 10)
		}
	}
	want["sqlite.insert1000"] = fmt.Sprintf("%d %d", data.Rows, sum)
	for k, w := range want {
		if got[k] != w {
			t.Errorf("C loop %s = %q, want %q", k, got[k], w)
		}
	}
	if len(got) != len(want) {
		t.Errorf("C loop checked %d values, want %d", len(got), len(want))
	}
	// The C loop times exactly the suite's cases (one short run each).
	timed, err := exec.Command(bin, dir, "1").Output()
	if err != nil {
		t.Fatalf("%s %s 1: %v", bin, dir, err)
	}
	var names, keys []string
	for _, l := range strings.Split(strings.TrimSpace(string(timed)), "\n") {
		name, _, _ := strings.Cut(l, " ")
		names = append(names, strings.TrimSuffix(strings.TrimPrefix(name, "BenchmarkW/"), "/cloop"))
	}
	for _, c := range cases {
		keys = append(keys, c.Key)
	}
	slices.Sort(names)
	slices.Sort(keys)
	if !slices.Equal(names, keys) {
		t.Errorf("the C loop times %v, the suite has %v", names, keys)
	}
}
