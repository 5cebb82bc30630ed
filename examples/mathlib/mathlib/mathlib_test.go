// Hand-written tests of the generated mathlib package (not generated: gotramp
// writes only mathlib.go, mathlib_linux_amd64.s, mathlib_linux_amd64.syso and
// gotramp-report.json in this directory).
//
// Every function is called through its trampoline on several inputs, edge
// values included, and compared with the pure-Go reference in internal/ref.

package mathlib

import (
	"encoding/json"
	"math"
	"os"
	"runtime"
	"strings"
	"sync"
	"testing"
	"unsafe"

	"github.com/gotramp/gotramp/examples/mathlib/internal/ref"
)

// ff is a float64 whose eight bytes are all 0xff (a NaN).
var ff = math.Float64frombits(^uint64(0))

// The calls in this file go straight from Go to the trampolines' ABI0
// symbols, with the arguments in the caller's outgoing-argument area. The
// *Dirty helpers first call Dot4, whose 72-byte frame fills that area with
// 0xff bytes, then call the function under test: a narrow argument (bool, 8
// or 16 bits) then sits next to 0xff padding bytes, so a trampoline that
// loads it without sign or zero extension hands the C code a wrong value
// (clang-built callees rely on the caller extending to 32 bits).

//go:noinline
func widenSumDirty(a int8, b uint8, c int16, d uint16, e int32, f uint32) int64 {
	_ = Dot4(ff, ff, ff, ff, ff, ff, ff, ff)
	return WidenSum(a, b, c, d, e, f)
}

//go:noinline
func widenSumCDirty(c byte, sc int8, uc uint8, s int16, i int32, u uint32) int64 {
	_ = Dot4(ff, ff, ff, ff, ff, ff, ff, ff)
	return WidenSumC(c, sc, uc, s, i, u)
}

//go:noinline
func satAddU8Dirty(a, b uint8) uint8 {
	_ = Dot4(ff, ff, ff, ff, ff, ff, ff, ff)
	return SatAddU8(a, b)
}

//go:noinline
func mulQ15Dirty(a, b int16) int16 {
	_ = Dot4(ff, ff, ff, ff, ff, ff, ff, ff)
	return MulQ15(a, b)
}

//go:noinline
func rgb565Dirty(r, g, b uint8) uint16 {
	_ = Dot4(ff, ff, ff, ff, ff, ff, ff, ff)
	return Rgb565(r, g, b)
}

//go:noinline
func rotlU32Dirty(x, n uint32) uint32 {
	_ = Dot4(ff, ff, ff, ff, ff, ff, ff, ff)
	return RotlU32(x, n)
}

//go:noinline
func hexDigitDirty(x uint64, nibble uint32) byte {
	_ = Dot4(ff, ff, ff, ff, ff, ff, ff, ff)
	return HexDigit(x, nibble)
}

//go:noinline
func inRangeDirty(x, lo, hi int64, inclusive bool) bool {
	_ = Dot4(ff, ff, ff, ff, ff, ff, ff, ff)
	return InRange(x, lo, hi, inclusive)
}

//go:noinline
func xorBytesDirty(buf unsafe.Pointer, key uint8, n uintptr) unsafe.Pointer {
	_ = Dot4(ff, ff, ff, ff, ff, ff, ff, ff)
	return XorBytes(buf, key, n)
}

//go:noinline
func lerpDirty(a, b float64, t float32) float64 {
	_ = Dot4(ff, ff, ff, ff, ff, ff, ff, ff)
	return Lerp(a, b, t)
}

func TestConstants(t *testing.T) {
	if MATHLIB_VERSION != 3 {
		t.Errorf("MATHLIB_VERSION = %d, want 3", MATHLIB_VERSION)
	}
	if MATHLIB_MAX_FIB != ref.MaxFib {
		t.Errorf("MATHLIB_MAX_FIB = %d, want %d", MATHLIB_MAX_FIB, ref.MaxFib)
	}
}

func TestAddI64(t *testing.T) {
	cases := [][2]int64{
		{0, 0}, {1, 2}, {-1, 1}, {-5, -7}, {40, 2},
		{math.MaxInt64, 0}, {math.MinInt64, 0},
		{math.MaxInt64, 1}, {math.MinInt64, -1}, // wrap around
		{math.MaxInt64, math.MaxInt64}, {math.MinInt64, math.MinInt64},
		{0x0123456789abcdef, -0x0123456789abcdef},
	}
	for _, c := range cases {
		if got, want := AddI64(c[0], c[1]), ref.AddI64(c[0], c[1]); got != want {
			t.Errorf("AddI64(%d, %d) = %d, want %d", c[0], c[1], got, want)
		}
	}
}

func TestWidenSum(t *testing.T) {
	type args struct {
		a int8
		b uint8
		c int16
		d uint16
		e int32
		f uint32
	}
	// One argument at a time first, so a failure names the argument whose
	// extension is wrong; then everything at once.
	cases := []args{
		{a: -1}, {a: math.MinInt8}, {a: math.MaxInt8},
		{b: 0xff}, {b: 0x80},
		{c: -1}, {c: math.MinInt16}, {c: math.MaxInt16},
		{d: 0xffff}, {d: 0x8000},
		{e: -1}, {e: math.MinInt32}, {e: math.MaxInt32},
		{f: 0xffffffff}, {f: 0x80000000},
		{},
		{-1, 0xff, -1, 0xffff, -1, 0xffffffff},
		{math.MinInt8, 0x80, math.MinInt16, 0x8000, math.MinInt32, 0x80000000},
		{math.MaxInt8, 0x7f, math.MaxInt16, 0x7fff, math.MaxInt32, 0x7fffffff},
		{1, 2, 3, 4, 5, 6},
	}
	for _, c := range cases {
		want := ref.WidenSum(c.a, c.b, c.c, c.d, c.e, c.f)
		if got := WidenSum(c.a, c.b, c.c, c.d, c.e, c.f); got != want {
			t.Errorf("WidenSum%+v = %d, want %d", c, got, want)
		}
		if got := widenSumDirty(c.a, c.b, c.c, c.d, c.e, c.f); got != want {
			t.Errorf("WidenSum%+v after dirtying the argument area = %d, want %d", c, got, want)
		}
	}
}

func TestWidenSumC(t *testing.T) {
	type args struct {
		c  byte
		sc int8
		uc uint8
		s  int16
		i  int32
		u  uint32
	}
	cases := []args{
		{c: 0xff}, {c: 0x80}, {c: 0x7f}, {c: 'A'},
		{sc: -1}, {sc: math.MinInt8},
		{uc: 0xff},
		{s: -1}, {s: math.MinInt16},
		{i: -1}, {i: math.MinInt32},
		{u: 0xffffffff},
		{},
		{0xff, -1, 0xff, -1, -1, 0xffffffff},
		{0x80, math.MinInt8, 0x80, math.MinInt16, math.MinInt32, 0x80000000},
	}
	for _, c := range cases {
		want := ref.WidenSumC(c.c, c.sc, c.uc, c.s, c.i, c.u)
		if got := WidenSumC(c.c, c.sc, c.uc, c.s, c.i, c.u); got != want {
			t.Errorf("WidenSumC%+v = %d, want %d (C char signed: %v)", c, got, want, ref.CharIsSigned)
		}
		if got := widenSumCDirty(c.c, c.sc, c.uc, c.s, c.i, c.u); got != want {
			t.Errorf("WidenSumC%+v after dirtying the argument area = %d, want %d", c, got, want)
		}
	}
	// Plain char follows the target: 0xff is -1 where char is signed.
	want := int64(255)
	if ref.CharIsSigned {
		want = -1
	}
	if got := WidenSumC(0xff, 0, 0, 0, 0, 0); got != want {
		t.Errorf("WidenSumC(0xff, 0...) = %d, want %d on %s/%s", got, want, runtime.GOOS, runtime.GOARCH)
	}
}

func TestClampI8(t *testing.T) {
	for _, x := range []int64{0, 1, -1, 127, 128, -128, -129, 1000, -1000, 255, 256,
		math.MaxInt64, math.MinInt64, math.MaxInt32, math.MinInt32} {
		if got, want := ClampI8(x), ref.ClampI8(x); got != want {
			t.Errorf("ClampI8(%d) = %d, want %d", x, got, want)
		}
	}
}

func TestSatAddU8(t *testing.T) {
	vals := []uint8{0, 1, 2, 100, 127, 128, 154, 200, 254, 255}
	for _, a := range vals {
		for _, b := range vals {
			want := ref.SatAddU8(a, b)
			if got := SatAddU8(a, b); got != want {
				t.Errorf("SatAddU8(%d, %d) = %d, want %d", a, b, got, want)
			}
			if got := satAddU8Dirty(a, b); got != want {
				t.Errorf("SatAddU8(%d, %d) after dirtying the argument area = %d, want %d", a, b, got, want)
			}
		}
	}
}

func TestMulQ15(t *testing.T) {
	vals := []int16{0, 1, -1, 2, -2, 16384, -16384, 12345, -12345, math.MaxInt16, math.MinInt16}
	for _, a := range vals {
		for _, b := range vals {
			want := ref.MulQ15(a, b)
			if got := MulQ15(a, b); got != want {
				t.Errorf("MulQ15(%d, %d) = %d, want %d", a, b, got, want)
			}
			if got := mulQ15Dirty(a, b); got != want {
				t.Errorf("MulQ15(%d, %d) after dirtying the argument area = %d, want %d", a, b, got, want)
			}
		}
	}
	if got := MulQ15(math.MinInt16, math.MinInt16); got != math.MaxInt16 {
		t.Errorf("MulQ15(-32768, -32768) = %d, want saturation to 32767", got)
	}
}

func TestRgb565(t *testing.T) {
	vals := []uint8{0, 7, 8, 0x80, 0xf8, 0xfc, 0xff}
	for _, r := range vals {
		for _, g := range vals {
			for _, b := range vals {
				want := ref.Rgb565(r, g, b)
				if got := Rgb565(r, g, b); got != want {
					t.Errorf("Rgb565(%d, %d, %d) = %#04x, want %#04x", r, g, b, got, want)
				}
				if got := rgb565Dirty(r, g, b); got != want {
					t.Errorf("Rgb565(%d, %d, %d) after dirtying the argument area = %#04x, want %#04x", r, g, b, got, want)
				}
			}
		}
	}
}

func TestRotlU32(t *testing.T) {
	for _, x := range []uint32{0, 1, 0x80000000, 0xdeadbeef, math.MaxUint32, 0x12345678} {
		for _, n := range []uint32{0, 1, 4, 31, 32, 33, 63, 100, math.MaxUint32} {
			want := ref.RotlU32(x, n)
			if got := RotlU32(x, n); got != want {
				t.Errorf("RotlU32(%#x, %d) = %#x, want %#x", x, n, got, want)
			}
			if got := rotlU32Dirty(x, n); got != want {
				t.Errorf("RotlU32(%#x, %d) after dirtying the argument area = %#x, want %#x", x, n, got, want)
			}
		}
	}
}

func TestHexDigit(t *testing.T) {
	for _, x := range []uint64{0, 1, 0xf, 0x0123456789abcdef, 0xfedcba9876543210, math.MaxUint64} {
		for _, nibble := range []uint32{0, 1, 7, 8, 15, 16, 17, math.MaxUint32} {
			want := ref.HexDigit(x, nibble)
			if got := HexDigit(x, nibble); got != want {
				t.Errorf("HexDigit(%#x, %d) = %q, want %q", x, nibble, got, want)
			}
			if got := hexDigitDirty(x, nibble); got != want {
				t.Errorf("HexDigit(%#x, %d) after dirtying the argument area = %q, want %q", x, nibble, got, want)
			}
		}
	}
}

func TestFib(t *testing.T) {
	// Naive recursion: the cost grows like fib(n) itself, so stay below 33.
	for _, n := range []uint32{0, 1, 2, 3, 4, 10, 20, 25, 32} {
		if got, want := Fib(n), ref.Fib(n); got != want {
			t.Errorf("Fib(%d) = %d, want %d", n, got, want)
		}
	}
}

func TestCollatzSteps(t *testing.T) {
	for _, n := range []uint64{0, 1, 2, 3, 6, 7, 27, 97, 871, 837799, 1 << 63,
		math.MaxUint64, math.MaxUint64 / 3, math.MaxUint64/3 + 1, 0x5555555555555555} {
		if got, want := CollatzSteps(n), ref.CollatzSteps(n); got != want {
			t.Errorf("CollatzSteps(%d) = %d, want %d", n, got, want)
		}
	}
}

func TestInRange(t *testing.T) {
	type args struct{ x, lo, hi int64 }
	cases := []args{
		{0, 0, 0}, {0, -1, 1}, {-1, -1, 1}, {1, -1, 1}, {2, -1, 1}, {-2, -1, 1},
		{5, 10, 0}, // empty range
		{math.MinInt64, math.MinInt64, math.MaxInt64},
		{math.MaxInt64, math.MinInt64, math.MaxInt64},
		{0, math.MinInt64, math.MaxInt64},
	}
	for _, c := range cases {
		for _, inclusive := range []bool{false, true} {
			want := ref.InRange(c.x, c.lo, c.hi, inclusive)
			if got := InRange(c.x, c.lo, c.hi, inclusive); got != want {
				t.Errorf("InRange(%d, %d, %d, %v) = %v, want %v", c.x, c.lo, c.hi, inclusive, got, want)
			}
			if got := inRangeDirty(c.x, c.lo, c.hi, inclusive); got != want {
				t.Errorf("InRange(%d, %d, %d, %v) after dirtying the argument area = %v, want %v", c.x, c.lo, c.hi, inclusive, got, want)
			}
		}
	}
}

func TestSumI64(t *testing.T) {
	// Every length up to 40 covers the vectorised loop and its scalar tail.
	var xs [40]int64
	for i := range xs {
		xs[i] = int64(i*i*7919) - 1000*int64(i)
		if i%5 == 3 {
			xs[i] = -xs[i]
		}
	}
	for n := 1; n <= len(xs); n++ {
		if got, want := SumI64(&xs[0], uintptr(n)), ref.SumI64(xs[:n]); got != want {
			t.Errorf("SumI64(xs[:%d]) = %d, want %d", n, got, want)
		}
	}
	if got := SumI64(nil, 0); got != 0 {
		t.Errorf("SumI64(nil, 0) = %d, want 0", got)
	}
	edge := [4]int64{math.MaxInt64, 1, math.MinInt64, -1} // wraps twice
	if got, want := SumI64(&edge[0], 4), ref.SumI64(edge[:]); got != want {
		t.Errorf("SumI64(%v) = %d, want %d", edge, got, want)
	}
}

func TestMinmaxI32(t *testing.T) {
	var xs [40]int32
	for i := range xs {
		xs[i] = int32((int64(i)*2654435761)%20011) - 10000
	}
	xs[17] = math.MinInt32
	xs[29] = math.MaxInt32
	for n := 1; n <= len(xs); n++ {
		var lo, hi int32
		MinmaxI32(&xs[0], uintptr(n), &lo, &hi)
		wantLo, wantHi, _ := ref.MinmaxI32(xs[:n])
		if lo != wantLo || hi != wantHi {
			t.Errorf("MinmaxI32(xs[:%d]) = (%d, %d), want (%d, %d)", n, lo, hi, wantLo, wantHi)
		}
	}
	// n == 0 stores nothing.
	lo, hi := int32(11), int32(22)
	MinmaxI32(&xs[0], 0, &lo, &hi)
	if lo != 11 || hi != 22 {
		t.Errorf("MinmaxI32(n=0) changed the outputs to (%d, %d)", lo, hi)
	}
	// Outputs aliasing the input are fine for the C code (it reads xs first).
	one := [1]int32{-7}
	MinmaxI32(&one[0], 1, &one[0], &hi)
	if one[0] != -7 || hi != -7 {
		t.Errorf("MinmaxI32([-7]) = (%d, %d), want (-7, -7)", one[0], hi)
	}
}

func TestStrLen(t *testing.T) {
	for _, s := range []string{"", "a", "hello", "hello, gotramp", strings.Repeat("x", 1000), "nul\x00inside"} {
		buf := append([]byte(s), 0)
		if got, want := StrLen(&buf[0]), ref.StrLen(buf); got != uintptr(want) {
			t.Errorf("StrLen(%q) = %d, want %d", s, got, want)
		}
	}
	local := [6]byte{'g', 'o', 0xff, 0x80, 'x', 0} // bytes >= 0x80 are not terminators
	if got := StrLen(&local[0]); got != 5 {
		t.Errorf("StrLen(%q) = %d, want 5", local[:], got)
	}
}

func TestXorBytes(t *testing.T) {
	// Lengths up to 70 cover the 32-byte, 8-byte and 1-byte loops; guard
	// bytes on both sides catch a write out of bounds.
	const guard = 8
	for n := 0; n <= 70; n++ {
		for _, key := range []uint8{0, 0x5a, 0xff} {
			var buf, want [guard + 70 + guard]byte
			for i := range buf {
				buf[i] = byte(i*31 + 7)
			}
			want = buf
			ref.XorBytes(want[guard:guard+n], key)
			p := unsafe.Pointer(&buf[guard])
			got := XorBytes(p, key, uintptr(n))
			if got != p {
				t.Errorf("XorBytes(n=%d, key=%#x) returned %p, want its first argument %p", n, key, got, p)
			}
			if buf != want {
				t.Errorf("XorBytes(n=%d, key=%#x) left % x, want % x", n, key, buf, want)
			}
		}
	}
	// key is a uint8 followed by 0xff padding bytes.
	var b [4]byte
	xorBytesDirty(unsafe.Pointer(&b[0]), 0x01, 4)
	if b != [4]byte{1, 1, 1, 1} {
		t.Errorf("XorBytes after dirtying the argument area left % x, want 01 01 01 01", b)
	}
}

func TestAlignUp(t *testing.T) {
	maxp := ^uintptr(0)
	for _, x := range []uintptr{0, 1, 7, 8, 9, 4095, 4096, 4097, maxp / 2, maxp - 8, maxp} {
		for _, align := range []uintptr{0, 1, 2, 8, 16, 4096, 1 << 20} {
			if got, want := AlignUp(x, align), ref.AlignUp(x, align); got != want {
				t.Errorf("AlignUp(%#x, %d) = %#x, want %#x", x, align, got, want)
			}
		}
	}
}

func TestLerp(t *testing.T) {
	type args struct {
		a, b float64
		t    float32
	}
	cases := []args{
		{0, 10, 0.5}, {0, 10, 0}, {0, 10, 1}, {-3, 5, 0.25}, {1e300, -1e300, 0.75},
		{1, 2, 0.1}, // 0.1 is not exact in float32: the float -> double conversion shows
		{math.Pi, math.E, -2.5}, {5, 5, 123.25},
		{math.Inf(1), 0, 0.5}, {0, math.SmallestNonzeroFloat64, 0.5},
		{0, 1, math.MaxFloat32}, {0, 1, math.SmallestNonzeroFloat32},
	}
	for _, c := range cases {
		want := ref.Lerp(c.a, c.b, c.t)
		if got := Lerp(c.a, c.b, c.t); math.Float64bits(got) != math.Float64bits(want) {
			t.Errorf("Lerp(%g, %g, %g) = %g, want %g", c.a, c.b, c.t, got, want)
		}
		if got := lerpDirty(c.a, c.b, c.t); math.Float64bits(got) != math.Float64bits(want) {
			t.Errorf("Lerp(%g, %g, %g) after dirtying the argument area = %g, want %g", c.a, c.b, c.t, got, want)
		}
	}
	if got := Lerp(0, 1, float32(math.NaN())); !math.IsNaN(got) {
		t.Errorf("Lerp(0, 1, NaN) = %g, want NaN", got)
	}
}

func TestHornerF32(t *testing.T) {
	coeffs := [9]float32{1.5, -2, 0.25, 3, -1e-3, 7, 0.1, -0.7, 2}
	for _, x := range []float32{0, 1, -1, 0.5, -1.75, 3.3, 1e-20, 1e10} {
		for n := 0; n <= len(coeffs); n++ {
			want := ref.HornerF32(x, coeffs[:n])
			if got := HornerF32(x, &coeffs[0], uintptr(n)); math.Float32bits(got) != math.Float32bits(want) {
				t.Errorf("HornerF32(%g, coeffs[:%d]) = %g, want %g", x, n, got, want)
			}
		}
	}
	if got := HornerF32(2, nil, 0); got != 0 {
		t.Errorf("HornerF32(2, nil, 0) = %g, want 0", got)
	}
}

func TestDot4(t *testing.T) {
	cases := [][8]float64{
		{1, 2, 3, 4, 5, 6, 7, 8},
		// Distinct powers of two: a swapped or dropped register shows in the bits.
		{1, 2, 4, 8, 16, 32, 64, 128},
		{0.5, 0.25, 0.125, 0.0625, 1 << 10, 1 << 20, 1 << 30, 1 << 40},
		{-1, 1, -1, 1, 1, 1, 1, 1},
		{0, 0, 0, 0, 0, 0, 0, 0},
		{math.MaxFloat64, 0, 0, 0, 2, 0, 0, 0},
		{1e-300, 1e-300, 1e300, 1e300, 1e-300, 1e300, 1e-300, 1e300},
		{0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8},
	}
	for _, c := range cases {
		want := ref.Dot4(c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7])
		got := Dot4(c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7])
		if math.Float64bits(got) != math.Float64bits(want) {
			t.Errorf("Dot4(%v) = %g, want %g", c, got, want)
		}
	}
	// Each x register alone: a register mixed up with another one fails here.
	for i := 0; i < 4; i++ {
		var x [4]float64
		x[i] = 1
		got := Dot4(x[0], x[1], x[2], x[3], 10, 200, 3000, 40000)
		if want := [4]float64{10, 200, 3000, 40000}[i]; got != want {
			t.Errorf("Dot4 with only x%d = 1 gives %g, want %g", i, got, want)
		}
	}
}

// The generator skips mathlib_ld_half (long double has no Go type) with a
// warning; the report must say so.
func TestReportNamesSkippedFunction(t *testing.T) {
	data, err := os.ReadFile("gotramp-report.json")
	if err != nil {
		t.Fatal(err)
	}
	if !json.Valid(data) {
		t.Fatal("gotramp-report.json is not valid JSON")
	}
	if !strings.Contains(string(data), "mathlib_ld_half") {
		t.Error("gotramp-report.json does not mention the skipped function mathlib_ld_half")
	}
}

// Pointer parameters are //go:noescape: passing the address of a local must
// not move it to the heap.
func TestPointerArgsDoNotAllocate(t *testing.T) {
	allocs := testing.AllocsPerRun(100, func() {
		xs := [4]int64{1, 2, 3, 4}
		if SumI64(&xs[0], 4) != 10 {
			panic("SumI64")
		}
		var lo, hi int32
		ys := [3]int32{3, -1, 2}
		MinmaxI32(&ys[0], 3, &lo, &hi)
		if lo != -1 || hi != 3 {
			panic("MinmaxI32")
		}
		s := [3]byte{'h', 'i', 0}
		if StrLen(&s[0]) != 2 {
			panic("StrLen")
		}
		c := [2]float32{1, 2}
		if HornerF32(3, &c[0], 2) != 5 {
			panic("HornerF32")
		}
	})
	if allocs != 0 {
		t.Errorf("calls with pointers to locals allocate %v times per run, want 0", allocs)
	}
}

// eatA and eatB use goroutine stack with frames of two sizes 8 bytes apart,
// so that sweeping (n, m) puts the deepest frame at every 8-byte offset from
// the end of the stack. At some offsets it is the trampoline's prologue
// that has to grow (copy) the stack, after the pointer arguments are in
// place: Go adjusts them only because the Go declarations say they are
// pointers. A write through an unadjusted pointer lands on the old stack
// and the caller never sees it.
//
//go:noinline
func eatA(n, m int, leaf func()) {
	var pad [6]uintptr
	pad[n%len(pad)] = uintptr(n)
	if n > 0 {
		eatA(n-1, m, leaf)
	} else {
		eatB(m, leaf)
	}
	sinkPad += pad[0]
}

//go:noinline
func eatB(m int, leaf func()) {
	var pad [7]uintptr
	pad[m%len(pad)] = uintptr(m)
	if m > 0 {
		eatB(m-1, leaf)
	} else {
		leaf()
	}
	sinkPad += pad[0]
}

var sinkPad uintptr

func TestPointerArgsAcrossStackGrowth(t *testing.T) {
	for n := 0; n < 160; n++ {
		for m := 0; m < 16; m++ {
			var sum int64
			var lo, hi int32
			done := make(chan struct{})
			go func() {
				defer close(done)
				eatA(n, m, func() {
					xs := [8]int64{1, 2, 3, 4, 5, 6, 7, 8}
					ys := [4]int32{5, -9, 12, 0}
					var l, h int32
					MinmaxI32(&ys[0], 4, &l, &h)
					sum, lo, hi = SumI64(&xs[0], 8), l, h
				})
			}()
			<-done
			if sum != 36 || lo != -9 || hi != 12 {
				t.Fatalf("stack depth (%d, %d): got (%d, %d, %d), want (36, -9, 12)", n, m, sum, lo, hi)
			}
		}
	}
}

func TestConcurrentCalls(t *testing.T) {
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			xs := [16]int64{}
			for i := range xs {
				xs[i] = int64(g*1000 + i)
			}
			for i := 0; i < 2000; i++ {
				a, b := int64(g)<<40, int64(i)
				if got := AddI64(a, b); got != a+b {
					t.Errorf("goroutine %d: AddI64(%d, %d) = %d", g, a, b, got)
					return
				}
				if got, want := SumI64(&xs[0], 16), ref.SumI64(xs[:]); got != want {
					t.Errorf("goroutine %d: SumI64 = %d, want %d", g, got, want)
					return
				}
				if got, want := Fib(uint32(i%20)), ref.Fib(uint32(i%20)); got != want {
					t.Errorf("goroutine %d: Fib(%d) = %d, want %d", g, i%20, got, want)
					return
				}
				if i%500 == 0 {
					runtime.GC()
				}
			}
		}(g)
	}
	wg.Wait()
}

var (
	sinkI64 int64
	sinkF64 float64
)

func BenchmarkAddI64Gotramp(b *testing.B) {
	var s int64
	for i := 0; i < b.N; i++ {
		s = AddI64(s, int64(i))
	}
	sinkI64 = s
}

func BenchmarkWidenSumGotramp(b *testing.B) {
	var s int64
	for i := 0; i < b.N; i++ {
		s += WidenSum(int8(i), uint8(i), int16(i), uint16(i), int32(i), uint32(i))
	}
	sinkI64 = s
}

func BenchmarkSumI64Gotramp(b *testing.B) {
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

func BenchmarkDot4Gotramp(b *testing.B) {
	var s float64
	for i := 0; i < b.N; i++ {
		s += Dot4(1, 2, 3, 4, 5, 6, 7, float64(i))
	}
	sinkF64 = s
}
