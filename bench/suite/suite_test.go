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
	"strconv"
	"testing"

	"github.com/gotramp/gotramp/bench/harness"
	"github.com/gotramp/gotramp/bench/loops"
	"github.com/gotramp/gotramp/bench/paths/puregocalls"
	"github.com/gotramp/gotramp/bench/paths/puregocb"
	"github.com/gotramp/gotramp/bench/paths/puregoxxh"
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
