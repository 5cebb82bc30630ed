// Package suite runs the benchmarks: every case of package harness through
// every call path, side by side in one process. Each benchmark runs one loop
// of package loops.
//
//	go test -run '^$' -bench . ./suite     (from bench/, with CC=clang-19)
//
// The tests check that every path computes the same results first, since
// comparing the speed of calls that disagree would be moot.
package suite

import (
	"hash/crc32"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/gotramp/gotramp/bench/harness"
	"github.com/gotramp/gotramp/bench/loops"
	"github.com/gotramp/gotramp/bench/paths/puregocalls"
	"github.com/gotramp/gotramp/bench/paths/puregocb"
	"github.com/gotramp/gotramp/bench/paths/puregoxxh"
	"github.com/gotramp/gotramp/bench/paths/puregozlib"
	"github.com/gotramp/gotramp/bench/paths/puregozlibsyscall"
)

var (
	sinkI int64
	sinkU uint64
)

// input returns n bytes of a fixed pattern.
func input(n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(i*7 + 3)
	}
	return b
}

func BenchmarkCall(b *testing.B) {
	for _, c := range harness.Cases {
		for _, p := range harness.Paths {
			name := harness.CallName(c, p)
			fn := loops.Calls[name]
			b.Run(c.Key+"/"+p.Key, func(b *testing.B) {
				if p.Binary != binary {
					b.Skip("runs in the other test binary")
				}
				if fn == nil {
					b.Skip(loops.Skipped[name])
				}
				sinkI = fn(b.N)
			})
		}
	}
}

func BenchmarkHash(b *testing.B) {
	for _, a := range harness.HashAlgos {
		for _, size := range harness.HashSizes {
			buf := input(size)
			for _, h := range harness.HashPaths {
				if h.Algo != a.Key {
					continue
				}
				name := harness.HashName(h, size)
				fn := loops.Hashes[name]
				b.Run(a.Key+"/"+strconv.Itoa(size)+"B/"+h.Key, func(b *testing.B) {
					if fn == nil {
						b.Skip(loops.Skipped[name])
					}
					b.SetBytes(int64(size))
					sinkU = fn(buf, b.N)
				})
			}
		}
	}
}

// BenchmarkSharedLib: crc32 of harness.SharedLibBytes bytes in libz.so.1,
// one call per iteration. The C loop row is not here: run.sh runs
// native/out/crc32floor after the test binaries.
func BenchmarkSharedLib(b *testing.B) {
	buf := input(harness.SharedLibBytes)
	for _, p := range harness.SharedLibPaths {
		if p.Import == "" {
			continue
		}
		name := harness.SharedLibName(p)
		fn := loops.SharedLibs[name]
		b.Run("crc32/"+p.Key, func(b *testing.B) {
			if p.Binary != binary {
				b.Skip("runs in the other test binary")
			}
			if fn == nil {
				b.Skip(loops.Skipped[name])
			}
			sinkU = fn(buf, b.N)
		})
	}
}

// BenchmarkCallback: a round trip's ns/op is one call of tb_cb_call_n with
// n = b.N, so the outer call is spread over b.N round trips.
func BenchmarkCallback(b *testing.B) {
	for _, c := range harness.CallbackCases {
		for _, p := range harness.CallbackPaths {
			name := harness.CallbackName(c, p)
			fn := loops.Calls[name]
			b.Run(c.Key+"/"+p.Key, func(b *testing.B) {
				if binary != "" {
					b.Skip("runs in the main test binary")
				}
				if fn == nil {
					b.Skip(loops.Skipped[name])
				}
				sinkI = fn(b.N)
			})
		}
	}
}

func TestLibrariesLoad(t *testing.T) {
	if puregocalls.Err != nil {
		t.Errorf("purego could not load libtbcalls.so (run native/build.sh): %v", puregocalls.Err)
	}
	if puregocb.Err != nil {
		t.Errorf("purego could not load libtbcb.so (run native/build.sh): %v", puregocb.Err)
	}
	if puregoxxh.Err != nil {
		t.Errorf("purego could not load Debian's libxxhash.so.0 (apt-get install libxxhash-dev): %v", puregoxxh.Err)
	}
	if puregozlib.Err != nil {
		t.Errorf("purego could not load Debian's libz.so.1 (apt-get install zlib1g): %v", puregozlib.Err)
	}
	if puregozlibsyscall.Err != nil {
		t.Errorf("purego could not load crc32 of Debian's libz.so.1 (apt-get install zlib1g): %v", puregozlibsyscall.Err)
	}
}

// Every Go path into libz.so.1 must return hash/crc32's checksum on every
// call.
func TestSharedLibAgree(t *testing.T) {
	buf := input(harness.SharedLibBytes)
	want := uint64(crc32.ChecksumIEEE(buf))
	ran := 0
	for _, p := range harness.SharedLibPaths {
		if p.Import == "" || p.Binary != binary {
			continue
		}
		name := harness.SharedLibName(p)
		fn := loops.SharedLibs[name]
		if fn == nil {
			if loops.Skipped[name] == "" {
				t.Errorf("%s: no loop and no reason", name)
			}
			continue
		}
		for _, n := range []int{1, 1000} {
			if got := fn(buf, n); got != want*uint64(n) {
				t.Errorf("%s: %d calls sum to %#x, hash/crc32 gives %d × %#x", name, n, got, n, want)
			}
		}
		ran++
	}
	if ran == 0 {
		t.Errorf("no shared-library path runs in this binary (%q)", binary)
	}
}

// The C loop (native/crc32floor.c) must hash the same input to what
// hash/crc32 gives.
func TestSharedLibFloor(t *testing.T) {
	bin := filepath.Join(puregocalls.NativeOut(), "crc32floor")
	out, err := exec.Command(bin, "-check").Output()
	if err != nil {
		t.Fatalf("%s -check (run native/build.sh): %v", bin, err)
	}
	got, err := strconv.ParseUint(strings.TrimSpace(string(out)), 16, 32)
	if err != nil {
		t.Fatalf("%s -check printed %q: %v", bin, out, err)
	}
	if want := crc32.ChecksumIEEE(input(harness.SharedLibBytes)); uint32(got) != want {
		t.Errorf("%s -check = %#x, hash/crc32 gives %#x", bin, got, want)
	}
}

// Every path of a case must return what pure Go returns.
func TestCallsAgree(t *testing.T) {
	const n = 1000
	for _, c := range harness.Cases {
		ref := loops.Calls[harness.CallName(c, harness.Path{Key: "go"})]
		if ref == nil {
			t.Fatalf("no pure-Go loop for %s", c.Key)
		}
		want := ref(n)
		for _, p := range harness.Paths {
			if p.Binary != binary {
				continue
			}
			name := harness.CallName(c, p)
			fn := loops.Calls[name]
			if fn == nil {
				if loops.Skipped[name] == "" {
					t.Errorf("%s: no loop and no reason", name)
				}
				continue
			}
			if got := fn(n); got != want {
				t.Errorf("%s: %d calls sum to %d, pure Go gives %d", name, n, got, want)
			}
		}
	}
}

// Every callback path must call the Go function as often as asked, with the
// right arguments, and return its results to C.
func TestCallbacksAgree(t *testing.T) {
	if binary != "" {
		t.Skip("the callback rows run in the main test binary")
	}
	for _, c := range harness.CallbackCases {
		for _, p := range harness.CallbackPaths {
			name := harness.CallbackName(c, p)
			fn := loops.Calls[name]
			if fn == nil {
				if loops.Skipped[name] == "" {
					t.Errorf("%s: no loop and no reason", name)
				}
				continue
			}
			for _, n := range []int{0, 1, 1000} {
				if got, want := fn(n), c.Want(int64(n)); got != want {
					t.Errorf("%s(%d) = %d, want %d", name, n, got, want)
				}
			}
		}
	}
}

// Every path of a hash function must give the same hash at every size, and
// XXH64 must agree with the pure-Go module.
func TestHashesAgree(t *testing.T) {
	for _, a := range harness.HashAlgos {
		for _, size := range harness.HashSizes {
			buf := input(size)
			var want uint64
			var from string
			for _, h := range harness.HashPaths {
				if h.Algo != a.Key {
					continue
				}
				name := harness.HashName(h, size)
				fn := loops.Hashes[name]
				if fn == nil {
					continue
				}
				got := fn(buf, 1)
				if from == "" {
					want, from = got, name
				} else if got != want {
					t.Errorf("%s = %#x, %s = %#x", name, got, from, want)
				}
			}
			if from == "" {
				t.Errorf("%s at %d bytes: no path ran", a.Key, size)
			}
		}
	}
}
