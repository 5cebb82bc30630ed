package cgoref

import (
	"math"
	"testing"

	"github.com/gotramp/gotramp/examples/mathlib/internal/ref"
)

// The cgo build of the same C source must agree with the Go reference too;
// otherwise comparing its speed with the gotramp package would be moot.
func TestMatchesReference(t *testing.T) {
	for _, c := range [][2]int64{{40, 2}, {-1, 1}, {math.MaxInt64, 1}, {math.MinInt64, -1}} {
		if got, want := AddI64(c[0], c[1]), ref.AddI64(c[0], c[1]); got != want {
			t.Errorf("AddI64(%d, %d) = %d, want %d", c[0], c[1], got, want)
		}
	}
	if got, want := WidenSum(-1, 0xff, -1, 0xffff, -1, 0xffffffff), ref.WidenSum(-1, 0xff, -1, 0xffff, -1, 0xffffffff); got != want {
		t.Errorf("WidenSum(all ones) = %d, want %d", got, want)
	}
	xs := [5]int64{1, -2, 3, math.MaxInt64, 5}
	if got, want := SumI64(&xs[0], 5), ref.SumI64(xs[:]); got != want {
		t.Errorf("SumI64(%v) = %d, want %d", xs, got, want)
	}
	for _, n := range []uint32{0, 1, 2, 20} {
		if got, want := Fib(n), ref.Fib(n); got != want {
			t.Errorf("Fib(%d) = %d, want %d", n, got, want)
		}
	}
	if got, want := Lerp(1, 2, 0.1), ref.Lerp(1, 2, 0.1); got != want {
		t.Errorf("Lerp(1, 2, 0.1) = %g, want %g", got, want)
	}
	if got, want := Dot4(1, 2, 3, 4, 5, 6, 7, 8), ref.Dot4(1, 2, 3, 4, 5, 6, 7, 8); got != want {
		t.Errorf("Dot4(1..8) = %g, want %g", got, want)
	}
}

var (
	sinkI64 int64
	sinkF64 float64
)

// The benchmarks mirror the *Gotramp ones in examples/mathlib/mathlib.

func BenchmarkAddI64Cgo(b *testing.B) {
	var s int64
	for i := 0; i < b.N; i++ {
		s = AddI64(s, int64(i))
	}
	sinkI64 = s
}

func BenchmarkWidenSumCgo(b *testing.B) {
	var s int64
	for i := 0; i < b.N; i++ {
		s += WidenSum(int8(i), uint8(i), int16(i), uint16(i), int32(i), uint32(i))
	}
	sinkI64 = s
}

func BenchmarkSumI64Cgo(b *testing.B) {
	var xs [16]int64
	for i := range xs {
		xs[i] = int64(i)
	}
	var s int64
	for i := 0; i < b.N; i++ {
		s += SumI64(&xs[0], 16)
	}
	sinkI64 = s
}

func BenchmarkDot4Cgo(b *testing.B) {
	var s float64
	for i := 0; i < b.N; i++ {
		s += Dot4(1, 2, 3, 4, 5, 6, 7, float64(i))
	}
	sinkF64 = s
}
