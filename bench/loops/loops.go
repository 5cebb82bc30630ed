// Package loops holds one measured loop per benchmark: n calls of one case
// through one call path. The benchmarks (package suite) and the instruction
// counter (cmd/callcount) run the same loops, so both measure the same code.
//
// The *_gen.go files are written by cmd/gen from the tables in package
// harness; do not edit them.
package loops

// Calls maps harness.CallName(case, path) to its loop. A loop makes n calls
// and returns the sum of their results, which the caller must use.
var Calls = map[string]func(n int) int64{}

// Hashes maps harness.HashName(path, size) to its loop: n hashes of b.
var Hashes = map[string]func(b []byte, n int) uint64{}

// SharedLibs maps harness.SharedLibName(path) to its loop: n calls of crc32
// of b in libz.so.1, summed.
var SharedLibs = map[string]func(b []byte, n int) uint64{}

// Skipped maps the name of each benchmark that has no loop to the reason.
var Skipped = map[string]string{}

// Baseline is the loop of the call-overhead benchmarks with no call in it:
// the instruction counts subtract it.
//
//go:noinline
func Baseline(n int) int64 {
	var s int64
	for i := 0; i < n; i++ {
		s += int64(i)
	}
	return s
}
