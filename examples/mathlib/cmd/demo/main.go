// Command demo calls every function of the generated mathlib package, checks
// each result against the pure-Go reference, and compares the cost of a call
// through a gotramp trampoline with the same call through cgo.
//
//	go run ./examples/mathlib/cmd/demo
//
// It exits with status 1 if any result differs from the reference.
package main

import (
	"fmt"
	"math"
	"os"
	"runtime"
	"testing"
	"unsafe"

	"github.com/gotramp/gotramp/examples/mathlib/cgoref"
	"github.com/gotramp/gotramp/examples/mathlib/internal/ref"
	"github.com/gotramp/gotramp/examples/mathlib/mathlib"
)

var rows, mismatches int

// check prints one "call = result" line and counts a mismatch when the
// native result got differs from the reference result want.
func check(call string, got, want any) {
	rows++
	status := "ok"
	if got != want {
		mismatches++
		status = fmt.Sprintf("MISMATCH, Go reference gives %v", want)
	}
	fmt.Printf("  %-44s = %-22v %s\n", call, got, status)
}

func main() {
	fmt.Printf("mathlib through gotramp trampolines (%s/%s, %s)\n", runtime.GOOS, runtime.GOARCH, runtime.Version())

	check("AddI64(40, 2)", mathlib.AddI64(40, 2), ref.AddI64(40, 2))
	check("WidenSum(-1, 255, -1, 65535, -1, 1<<32-1)",
		mathlib.WidenSum(-1, 255, -1, 65535, -1, math.MaxUint32),
		ref.WidenSum(-1, 255, -1, 65535, -1, math.MaxUint32))
	check("WidenSumC('\\xff', -128, 200, -300, -5, 7)",
		mathlib.WidenSumC(0xff, -128, 200, -300, -5, 7),
		ref.WidenSumC(0xff, -128, 200, -300, -5, 7))
	check("ClampI8(-1000)", mathlib.ClampI8(-1000), ref.ClampI8(-1000))
	check("SatAddU8(200, 100)", mathlib.SatAddU8(200, 100), ref.SatAddU8(200, 100))
	check("MulQ15(-16384, 24576)", mathlib.MulQ15(-16384, 24576), ref.MulQ15(-16384, 24576))
	check("Rgb565(255, 128, 64)", fmt.Sprintf("%#04x", mathlib.Rgb565(255, 128, 64)), fmt.Sprintf("%#04x", ref.Rgb565(255, 128, 64)))
	check("RotlU32(0x80000001, 4)", fmt.Sprintf("%#x", mathlib.RotlU32(0x80000001, 4)), fmt.Sprintf("%#x", ref.RotlU32(0x80000001, 4)))
	check("HexDigit(0xc0ffee, 5)", fmt.Sprintf("%q", mathlib.HexDigit(0xc0ffee, 5)), fmt.Sprintf("%q", ref.HexDigit(0xc0ffee, 5)))
	check("Fib(30)", mathlib.Fib(30), ref.Fib(30))
	check("CollatzSteps(27)", mathlib.CollatzSteps(27), ref.CollatzSteps(27))
	check("InRange(10, 0, 10, false)", mathlib.InRange(10, 0, 10, false), ref.InRange(10, 0, 10, false))

	xs := [5]int64{3, -1, 4, -1, 5}
	check("SumI64(&[3 -1 4 -1 5][0], 5)", mathlib.SumI64(&xs[0], 5), ref.SumI64(xs[:]))

	ys := [5]int32{3, -14, 15, 92, -6}
	var lo, hi int32
	mathlib.MinmaxI32(&ys[0], 5, &lo, &hi)
	wantLo, wantHi, _ := ref.MinmaxI32(ys[:])
	check("MinmaxI32(&[3 -14 15 92 -6][0], 5, &lo, &hi)", fmt.Sprintf("lo=%d hi=%d", lo, hi), fmt.Sprintf("lo=%d hi=%d", wantLo, wantHi))

	s := []byte("gotramp\x00")
	check(`StrLen(&"gotramp\x00"[0])`, mathlib.StrLen(&s[0]), uintptr(ref.StrLen(s)))

	buf := []byte("HAL")
	want := []byte("HAL")
	ref.XorBytes(want, 0x01)
	p := mathlib.XorBytes(unsafe.Pointer(&buf[0]), 0x01, 3)
	check(`XorBytes(&"HAL"[0], 0x01, 3)`, fmt.Sprintf("%q same=%v", buf, p == unsafe.Pointer(&buf[0])), fmt.Sprintf("%q same=true", want))

	check("AlignUp(1000, 64)", mathlib.AlignUp(1000, 64), ref.AlignUp(1000, 64))
	check("Lerp(1, 2, 0.1)", mathlib.Lerp(1, 2, 0.1), ref.Lerp(1, 2, 0.1))

	coeffs := [3]float32{2, -3, 1} // 2x^2 - 3x + 1
	check("HornerF32(2.5, &[2 -3 1][0], 3)", mathlib.HornerF32(2.5, &coeffs[0], 3), ref.HornerF32(2.5, coeffs[:]))
	check("Dot4(1, 2, 3, 4, 5, 6, 7, 8)", mathlib.Dot4(1, 2, 3, 4, 5, 6, 7, 8), ref.Dot4(1, 2, 3, 4, 5, 6, 7, 8))

	if mismatches > 0 {
		fmt.Printf("%d of %d results differ from the Go reference\n", mismatches, rows)
		os.Exit(1)
	}
	fmt.Printf("all %d results match the Go reference\n", rows)

	g := nsPerCall(testing.Benchmark(benchGotramp))
	c := nsPerCall(testing.Benchmark(benchCgo))
	fmt.Printf("AddI64: gotramp %.1f ns/call   cgo %.1f ns/call   cgo/gotramp = %.1fx\n", g, c, c/g)
}

var sink int64

func benchGotramp(b *testing.B) {
	var s int64
	for i := 0; i < b.N; i++ {
		s = mathlib.AddI64(s, int64(i))
	}
	sink = s
}

func benchCgo(b *testing.B) {
	var s int64
	for i := 0; i < b.N; i++ {
		s = cgoref.AddI64(s, int64(i))
	}
	sink = s
}

func nsPerCall(r testing.BenchmarkResult) float64 {
	if r.N == 0 {
		return math.NaN()
	}
	return float64(r.T.Nanoseconds()) / float64(r.N)
}
