// Package harness describes what bench/ measures: the call paths (the rows of
// the results table), the call-overhead cases, the hashing cases, the
// callbacks and the calls into a shared library. cmd/gen
// turns these tables into the loops of package loops; cmd/report reads them
// to lay out RESULTS.md and the chart.
//
// Adding a call path is one more entry in Paths (or HashPaths) and a package
// that exports the functions the cases call; then `go run ./cmd/gen`.
package harness

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// Role marks the paths every other figure is divided by.
type Role int

const (
	Plain   Role = iota
	Floor        // the hand-written assembly floor (the C loop for SharedLibPaths)
	Cgo          // plain cgo
	Gotramp      // a gotramp row of SharedLibPaths: the ratios divide by each
)

// Path is one way of making the calls: a package exporting Args0, Args1, ...
// with the signatures of package gocalls.
type Path struct {
	Key    string // name in benchmark and loop names: [a-z0-9]+
	Label  string // row label in RESULTS.md
	Import string // import path of the package, relative to the module
	Build  string // build constraint of the generated loops, "" for none
	Role   Role
	// Report is the gotramp-report.json of a generated package (relative to
	// bench/). A case whose C function the report lists as skipped is not
	// generated for this path, and the table shows the report's reason.
	Report string
	// Missing gives, per case key, why this path cannot make that call.
	Missing map[string]string
	// Loops overrides Case.Loop for this path, per case key: for a package
	// whose API differs (say, a generated struct type with another name).
	Loops map[string]string
	Note  string // a footnote for the table, "" for none
	Color string // bar colour in the chart
	// Binary is "" for the main test binary (CGO_ENABLED=1), "static" for
	// the one built with CGO_ENABLED=0; Build must select the same binary.
	Binary string
}

// Case is one call-overhead benchmark: the same call made through every path.
type Case struct {
	Key   string // name in benchmark and loop names: [a-z0-9]+
	Label string // column label
	CName string // the C function in native/calls.h
	// Loop is the body of the measured loop. P stands for the path's package,
	// i is the loop counter, and the call's result is added to s (int64) or
	// f (float64). Setup runs once before the loop.
	Setup string
	Loop  string
}

// Module is the bench module's path.
const Module = "github.com/gotramp/gotramp/bench"

// Paths are the rows of the call-overhead table, in table order.
var Paths = []Path{
	{
		Key: "gotramp", Label: "gotramp direct", Color: "#1b9e77",
		Import: "paths/gotrampcalls", Build: "linux && amd64",
		Report: "paths/gotrampcalls/gotramp-report.json",
	},
	{
		Key: "gotramp0", Label: "gotramp direct, static binary", Color: "#74c9a8",
		Import: "paths/gotrampcalls", Build: "linux && amd64 && !cgo", Binary: "static",
		Report: "paths/gotrampcalls/gotramp-report.json",
		Note: "The same calls in a second test binary built with CGO_ENABLED=0 (static, internally linked, " +
			"no cgo runtime), run right after the main one in each round. Every other row runs in the main " +
			"binary, which cgo makes externally linked.",
	},
	{
		Key: "gotrampown", Label: "gotramp own_stack", Color: "#66a61e",
		Import: "paths/gotrampown", Build: "linux && amd64",
		Report: "paths/gotrampown/gotramp-report.json",
		Note: "Every function forced onto `own_stack` by the config: a guard-paged native stack from the " +
			"shim's pool, outside syscall state (the default for unknown stack bounds).",
	},
	{
		Key: "gotrampblk", Label: "gotramp blocking", Color: "#a6761d",
		Import: "paths/gotrampblk", Build: "linux && amd64",
		Report: "paths/gotrampblk/gotramp-report.json",
		Note: "Every function marked `blocking`: the call runs between `runtime·entersyscall` and " +
			"`runtime·exitsyscall`, so the GC and the scheduler carry on.",
	},
	{
		Key: "gotrampblkown", Label: "gotramp blocking_own_stack", Color: "#e6ab02",
		Import: "paths/gotrampblkown", Build: "linux && amd64",
		Report: "paths/gotrampblkown/gotramp-report.json",
		Note: "`blocking` on an own stack: syscall state and a pooled native stack, for unbounded code " +
			"that may block.",
	},
	{
		Key: "cgo", Label: "cgo", Color: "#d95f02", Role: Cgo,
		Import: "paths/cgocalls", Build: "cgo",
	},
	{
		Key: "cgonx", Label: "cgo noescape+nocallback", Color: "#fdae6b",
		Import: "paths/cgonxcalls", Build: "cgo && go1.24",
		Note: "`#cgo noescape` and `#cgo nocallback` on every function (accepted since Go 1.24).",
	},
	{
		Key: "purego", Label: "purego", Color: "#7570b3",
		Import: "paths/puregocalls",
		Note: "purego v0.10.2 `RegisterLibFunc` on the same C code built as a shared library (`clang -shared`), " +
			"loaded with `purego.Dlopen`. Its reflection-based calls allocate (see allocs/op).",
	},
	{
		Key: "puregosys", Label: "purego SyscallN", Color: "#b8b4e0",
		Import: "paths/puregosyscall",
		Missing: map[string]string{
			"f64x4":    "purego.SyscallN passes integer registers only",
			"f64x8":    "purego.SyscallN passes integer registers only",
			"struct16": "purego.SyscallN passes integer registers only",
		},
		Note: "`purego.SyscallN` on addresses from `purego.Dlsym`: no reflection, `uintptr` arguments only.",
	},
	{
		Key: "asm", Label: "Go assembly (floor)", Color: "#333333", Role: Floor,
		Import: "paths/asmcalls", Build: "amd64",
		Note: "The same arithmetic in a hand-written Go assembly (ABI0) function: what any call from Go into " +
			"code that is not Go costs at least. A gotramp trampoline is such a function that also moves the " +
			"arguments into C's registers and calls.",
	},
	{
		Key: "go", Label: "pure Go (noinline)", Color: "#aaaaaa",
		Import: "paths/gocalls",
		Note:   "The same arithmetic in Go, `//go:noinline` (register ABI).",
	},
}

// Cases are the call-overhead benchmarks, in table order.
var Cases = []Case{
	{Key: "args0", Label: "0 int", CName: "tb_args0",
		Loop: "s += P.Args0()"},
	{Key: "args1", Label: "1 int", CName: "tb_args1",
		Loop: "s += P.Args1(int64(i))"},
	{Key: "args4", Label: "4 int", CName: "tb_args4",
		Loop: "s += P.Args4(int64(i), 2, 3, 4)"},
	{Key: "args6", Label: "6 int", CName: "tb_args6",
		Loop: "s += P.Args6(int64(i), 2, 3, 4, 5, 6)"},
	{Key: "args8", Label: "8 int", CName: "tb_args8",
		Loop: "s += P.Args8(int64(i), 2, 3, 4, 5, 6, 7, 8)"},
	{Key: "f64x4", Label: "4 double", CName: "tb_f64x4",
		Loop: "f += P.F64x4(float64(i), 0.5, 0.25, 0.125)"},
	{Key: "f64x8", Label: "8 double", CName: "tb_f64x8",
		Loop: "f += P.F64x8(float64(i), 0.5, 0.25, 0.125, 1, 2, 3, 4)"},
	{Key: "ptrlen", Label: "ptr+len", CName: "tb_ptrlen",
		Setup: "var buf [64]byte\n\tbuf[0], buf[63] = 1, 2",
		Loop:  "s += P.PtrLen(&buf[0], uintptr(len(buf)))"},
	{Key: "struct16", Label: "struct 16 B", CName: "tb_struct16",
		Loop: "s += P.Struct16(P.Pair{X: int64(i), Y: 2})"},
}

// HashPath is one way of hashing a byte slice b.
type HashPath struct {
	Key    string
	Label  string
	Import string
	Build  string
	Role   Role
	Report string // as in Path; CName is looked up in it
	CName  string // the C function hashed through, for Report
	Algo   string // key of the algorithm in HashAlgos
	// Call hashes b and yields a uint64; P stands for the package.
	Call string
	Note string
}

// HashAlgo is a hash function measured at every size in HashSizes.
type HashAlgo struct {
	Key   string
	Label string
}

// HashAlgos are the hash functions, in table order.
var HashAlgos = []HashAlgo{
	{Key: "xxh64", Label: "XXH64"},
	{Key: "xxh3", Label: "XXH3_64bits"},
}

// HashSizes are the input lengths in bytes.
var HashSizes = []int{8, 16, 32, 64, 128, 256}

// HashPaths are the rows of the hashing tables, in table order.
var HashPaths = []HashPath{
	{Key: "gotramp", Label: "gotramp direct", Import: "paths/gotrampxxh", Build: "linux && amd64", Algo: "xxh64",
		Report: "paths/gotrampxxh/gotramp-report.json", CName: "tb_xxh64",
		Call: "P.XXH64(&b[0], uintptr(len(b)), 0)",
		Note: "Debian's xxhash.h compiled freestanding by clang (native/xxh.c), packed by gotramp."},
	{Key: "cgo", Label: "cgo", Import: "paths/cgoxxh", Build: "cgo", Role: Cgo, Algo: "xxh64",
		Call: "P.XXH64(b, 0)",
		Note: "The same native/xxh.c compiled into the cgo package."},
	{Key: "cgodeb", Label: "cgo, Debian libxxhash", Import: "paths/cgodebxxh", Build: "cgo", Algo: "xxh64",
		Call: "P.XXH64(b, 0)",
		Note: "Debian's own libxxhash (gcc-built), linked with `-lxxhash`."},
	{Key: "purego", Label: "purego, Debian libxxhash", Import: "paths/puregoxxh", Algo: "xxh64",
		Call: "P.XXH64(b, 0)",
		Note: "Debian's libxxhash.so.0 loaded with purego.Dlopen."},
	{Key: "cespare", Label: "cespare/xxhash/v2 (Go)", Import: "github.com/cespare/xxhash/v2", Algo: "xxh64", Role: Floor,
		Call: "P.Sum64(b)",
		Note: "Pure Go module; on amd64 its Sum64 is hand-written Go assembly, so it is the floor here."},
	{Key: "gotramp", Label: "gotramp direct", Import: "paths/gotrampxxh", Build: "linux && amd64", Algo: "xxh3",
		Report: "paths/gotrampxxh/gotramp-report.json", CName: "tb_xxh3",
		Call: "P.XXH3(&b[0], uintptr(len(b)))"},
	{Key: "cgo", Label: "cgo", Import: "paths/cgoxxh", Build: "cgo", Role: Cgo, Algo: "xxh3",
		Call: "P.XXH3(b)"},
	{Key: "cgodeb", Label: "cgo, Debian libxxhash", Import: "paths/cgodebxxh", Build: "cgo", Algo: "xxh3",
		Call: "P.XXH3(b)"},
	{Key: "purego", Label: "purego, Debian libxxhash", Import: "paths/puregoxxh", Algo: "xxh3",
		Call: "P.XXH3(b)"},
}

// CallbackPath is one way of letting C call a Go function: a package whose C
// function tb_cb_call_n (native/cb.h) calls a Go function returning x + 1,
// through a function pointer that the path makes from it.
type CallbackPath struct {
	Key    string // name in benchmark and loop names: [a-z0-9]+
	Label  string
	Import string
	Build  string
	Role   Role   // Cgo marks the row the others are divided by
	Report string // as in Path; CNames are looked up in it
	// Decl is Go source at the top level of the loop file, once per path: it
	// makes the C-callable value where the package does not do it itself. P
	// stands for the package.
	Decl string
	// CallN is an expression of type int64 that calls tb_cb_call_n with n
	// (an int64): n round trips C -> Go -> C in one outer call. Call1 calls
	// tb_cb_call1 with x (an int64): one outer call, one round trip.
	CallN, Call1 string
	Note         string
}

// CallbackCase is one callback benchmark, made through every CallbackPath.
type CallbackCase struct {
	Key   string
	Label string
	// Body is the body of func(n int) int64, the measured loop: CALLN(x) and
	// CALL1(x) stand for the path's CallN and Call1 with that argument. It
	// makes n of the measured things and returns the sum of the results.
	Body string
	// Want is what Body returns for n, computed in Go (the correctness test).
	Want func(n int64) int64
}

// CallbackCNames are the C functions of native/cb.h that the callback
// benchmarks call.
var CallbackCNames = []string{"tb_cb_call_n", "tb_cb_call1"}

// CallbackCases are the callback benchmarks, in table order.
var CallbackCases = []CallbackCase{
	{Key: "roundtrip", Label: "round trip C→Go→C",
		// One outer call for all n round trips, so its cost is spread over n
		// (b.N): ns/op is the round trip alone.
		Body: "return CALLN(int64(n))",
		Want: func(n int64) int64 { return n * (n + 1) / 2 }},
	{Key: "outer", Label: "outer call, no callback",
		Body: "var s int64\n\tfor i := 0; i < n; i++ {\n\t\ts += CALLN(0)\n\t}\n\treturn s",
		Want: func(n int64) int64 { return 0 }},
	{Key: "call1", Label: "outer call + 1 round trip",
		Body: "var s int64\n\tfor i := 0; i < n; i++ {\n\t\ts += CALL1(int64(i))\n\t}\n\treturn s",
		Want: func(n int64) int64 { return n * (n + 1) / 2 }},
}

// CallbackPaths are the rows of the callback table, in table order.
var CallbackPaths = []CallbackPath{
	{
		Key: "gotramp", Label: "gotramp callback",
		Import: "paths/gotrampcb", Build: "linux && amd64",
		Report: "paths/gotrampcb/gotramp-report.json",
		// The generated constructor of tb_cb_fn; its C function pointer is
		// taken once, as the other paths do.
		Decl:  "var cbGotrampFn = P.NewTbCbFn(func(x int64) int64 { return x + 1 }).Pointer()",
		CallN: "P.CallN(cbGotrampFn, n)", Call1: "P.Call1(cbGotrampFn, x)",
		Note: "The package generated from `native/cb.h` with `tb_cb_call_n` and `tb_cb_call1` on the " +
			"`callback` call path (native code on a callback stack from the shim, goroutine locked to its " +
			"thread, outside syscall state); the Go function made C-callable by the generated constructor " +
			"`NewTbCbFn` (`shim.NewCallback`), and run on the goroutine's own stack.",
	},
	{
		Key: "gotrampblk", Label: "gotramp blocking_callback",
		Import: "paths/gotrampcbb", Build: "linux && amd64",
		Report: "paths/gotrampcbb/gotramp-report.json",
		Decl:   "var cbGotrampBlkFn = P.NewTbCbFn(func(x int64) int64 { return x + 1 }).Pointer()",
		CallN:  "P.CallN(cbGotrampBlkFn, n)", Call1: "P.Call1(cbGotrampBlkFn, x)",
		Note: "The same package generated with `tb_cb_call_n` and `tb_cb_call1` on the " +
			"`blocking_callback` call path: the native code runs in syscall state, and each callback " +
			"leaves it (`runtime·exitsyscall`) and re-enters it (`runtime·entersyscall`) around the Go " +
			"function.",
	},
	{
		Key: "cgo", Label: "cgo //export", Role: Cgo,
		Import: "paths/cgocb", Build: "cgo",
		CallN: "P.CallN(n)", Call1: "P.Call1(x)",
		Note: "A Go function exported with `//export`, passed as a C function pointer; each call from C " +
			"goes through `crosscall2` and `runtime·cgocallback`.",
	},
	{
		Key: "purego", Label: "purego NewCallback",
		Import: "paths/puregocb",
		CallN:  "P.CallN(n)", Call1: "P.Call1(x)",
		Note: "purego v0.10.2 `NewCallback` (one of its 2,000 slots, never freed); `tb_cb_call_n` is in " +
			"`native/out/libtbcb.so`, called with `purego.SyscallN`.",
	},
}

// SharedLibPath is one way of calling crc32 in Debian's libz.so.1 (zlib1g)
// on the SharedLibBytes bytes of the suite's input: the rows of "Calls into a
// shared library". The gotramp packages are generated from native/crc.h with
// "shared_libraries": ["libz.so.1"], so the call goes into the library
// through cmd/link's PLT, as cgo's and purego's do through theirs.
type SharedLibPath struct {
	Key   string // name in benchmark and loop names: [a-z0-9]+
	Label string
	// Import is "" for the C loop (native/crc32floor.c), which no test
	// binary runs: run.sh runs native/out/crc32floor after them in each
	// round and saves its benchmark line in results/raw/cloop-ROUND.txt.
	Import string
	Build  string
	Role   Role
	Report string // as in Path; CName is looked up in it
	CName  string // the C function called, for Report
	// Call is crc32 of b as a uint64; P stands for the package.
	Call   string
	Binary string // as in Path
	Note   string
}

// SharedLibBytes is the length of the input the shared-library rows hash.
const SharedLibBytes = 8

// SharedLibPaths are the rows of "Calls into a shared library", in table
// order.
var SharedLibPaths = []SharedLibPath{
	{Key: "gotramp", Label: "gotramp own_stack", Import: "paths/gotrampzlib", Build: "linux && amd64",
		Role: Gotramp, Report: "paths/gotrampzlib/gotramp-report.json", CName: "crc32",
		Call: "P.Crc32(0, &b[0], uint32(len(b)))",
		Note: "`paths/gotrampzlib`, generated with `\"shared_libraries\": [\"libz.so.1\"]` and no call path " +
			"in the config: gotramp chooses it, and the library's stack use is unknown to it."},
	{Key: "gotrampdirect", Label: "gotramp direct", Import: "paths/gotrampzlibdirect", Build: "linux && amd64",
		Role: Gotramp, Report: "paths/gotrampzlibdirect/gotramp-report.json", CName: "crc32",
		Call: "P.Crc32(0, &b[0], uint32(len(b)))",
		Note: "`paths/gotrampzlibdirect`: the config vouches for a frame " +
			"(`\"crc32\": {\"call_path\": \"direct\", \"frame_bytes\": 512}`), so the call runs on the " +
			"goroutine stack."},
	{Key: "gotramp0", Label: "gotramp own_stack, static binary", Import: "paths/gotrampzlib",
		Build: "linux && amd64 && !cgo", Binary: "static",
		Role: Gotramp, Report: "paths/gotrampzlib/gotramp-report.json", CName: "crc32",
		Call: "P.Crc32(0, &b[0], uint32(len(b)))",
		Note: "`paths/gotrampzlib` in the test binary built with `CGO_ENABLED=0` (internally linked; " +
			"`libz.so.1` is `NEEDED`), run right after the main one in each round; every other Go row runs in " +
			"the main binary."},
	{Key: "cgo", Label: "cgo -lz", Import: "paths/cgozlib", Build: "cgo", Role: Cgo,
		Call: "P.Crc32(b)",
		Note: "`paths/cgozlib`: `#cgo LDFLAGS: -lz` and `zlib.h`."},
	{Key: "purego", Label: "purego RegisterLibFunc", Import: "paths/puregozlib",
		Call: "P.Crc32(b)",
		Note: "purego v0.10.2: `purego.Dlopen(\"libz.so.1\")` and `RegisterLibFunc`."},
	{Key: "puregosys", Label: "purego SyscallN", Import: "paths/puregozlibsyscall",
		Call: "P.Crc32(b)",
		Note: "`purego.SyscallN` on the address from `purego.Dlsym`."},
	{Key: "cloop", Label: "C loop (floor)", Role: Floor,
		Note: "`native/crc32floor.c`: the same call from C in a loop, no Go at all, timed with " +
			"`clock_gettime` for the same `-benchtime` (clang -O2, linked with `-lz`)."},
}

// SharedLibName is the name of the benchmark (and loop) of shared-library
// path p.
func SharedLibName(p SharedLibPath) string { return "SharedLib/crc32/" + p.Key }

// MissingReason returns why shared-library path p cannot run, or "" when it
// can.
func (p SharedLibPath) MissingReason(benchDir string) (string, error) {
	if p.Report == "" {
		return "", nil
	}
	u, err := Unbound(benchDir, p.Report, []string{p.CName})
	if err != nil {
		return "", err
	}
	return u[p.CName], nil
}

// CallbackName is the name of the benchmark (and loop) of case c through
// path p.
func CallbackName(c CallbackCase, p CallbackPath) string {
	return "Callback/" + c.Key + "/" + p.Key
}

// MissingReason returns why callback path p cannot run, or "" when it can.
func (p CallbackPath) MissingReason(benchDir string) (string, error) {
	if p.Report == "" {
		return "", nil
	}
	u, err := Unbound(benchDir, p.Report, CallbackCNames)
	if err != nil {
		return "", err
	}
	for _, c := range CallbackCNames {
		if u[c] != "" {
			return u[c], nil
		}
	}
	return "", nil
}

// FullImport returns the import path of a package named relative to the
// module, or imp itself when it is another module's (its first element has a
// dot).
func FullImport(imp string) string {
	first, _, _ := strings.Cut(imp, "/")
	if strings.Contains(first, ".") {
		return imp
	}
	return Module + "/" + imp
}

// gotrampReport is the part of gotramp-report.json the harness reads.
type gotrampReport struct {
	Functions []struct {
		CName string `json:"c_name"`
	} `json:"functions"`
	Skipped []struct {
		CName  string `json:"c_name"`
		Reason string `json:"reason"`
	} `json:"skipped"`
	Excluded []struct {
		CName   string `json:"c_name"`
		Pattern string `json:"pattern"`
	} `json:"excluded"`
}

// Unbound reads the gotramp report at benchDir/report and returns, for each
// C function in cnames that the generated package does not bind, the reason.
func Unbound(benchDir, report string, cnames []string) (map[string]string, error) {
	data, err := os.ReadFile(filepath.Join(benchDir, report))
	if err != nil {
		return nil, err
	}
	var r gotrampReport
	if err := json.Unmarshal(data, &r); err != nil {
		return nil, fmt.Errorf("%s: %v", report, err)
	}
	bound := map[string]bool{}
	for _, f := range r.Functions {
		bound[f.CName] = true
	}
	why := map[string]string{}
	for _, s := range r.Skipped {
		why[s.CName] = "skipped by gotramp: " + s.Reason
	}
	for _, e := range r.Excluded {
		why[e.CName] = "excluded by the config (" + e.Pattern + ")"
	}
	out := map[string]string{}
	for _, c := range cnames {
		if bound[c] {
			continue
		}
		if w, ok := why[c]; ok {
			out[c] = w
		} else {
			out[c] = "not in " + report
		}
	}
	return out, nil
}

// MissingReason returns why path p cannot run case c, or "" when it can.
func (p Path) MissingReason(benchDir string, c Case) (string, error) {
	if w, ok := p.Missing[c.Key]; ok {
		return w, nil
	}
	if p.Report == "" {
		return "", nil
	}
	u, err := Unbound(benchDir, p.Report, []string{c.CName})
	if err != nil {
		return "", err
	}
	return u[c.CName], nil
}

// MissingReason returns why hash path h cannot run, or "" when it can.
func (h HashPath) MissingReason(benchDir string) (string, error) {
	if h.Report == "" {
		return "", nil
	}
	u, err := Unbound(benchDir, h.Report, []string{h.CName})
	if err != nil {
		return "", err
	}
	return u[h.CName], nil
}

// CallName is the name of the benchmark (and loop) of case c through path p.
func CallName(c Case, p Path) string { return "Call/" + c.Key + "/" + p.Key }

// HashName is the name of the hashing benchmark of path h at size n.
func HashName(h HashPath, n int) string { return fmt.Sprintf("Hash/%s/%dB/%s", h.Algo, n, h.Key) }
