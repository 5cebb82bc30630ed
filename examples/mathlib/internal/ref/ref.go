// Package ref holds pure-Go reference implementations of the functions in
// examples/mathlib/native/mathlib.c. The tests of the generated package and
// the demo compare every native result with these.
//
// Each function is written independently of the C code where Go makes that
// natural (iterative Fibonacci, strconv for hex digits, slices.Min/Max), so a
// bug has to be made twice to go unnoticed. Pointer-taking C functions become
// slice-taking functions here.
//
// Floating-point code wraps every product in an explicit conversion: the Go
// spec lets the compiler fuse x*y + z into one FMA unless the product is
// converted, and the C side keeps products in their own statements for the
// same reason, so both round every operation separately and agree bit for bit.
package ref

import (
	"bytes"
	"math/bits"
	"runtime"
	"slices"
	"strconv"
)

// CharIsSigned reports whether C's plain char is signed on the platform the
// program runs on: it is on x86 and on Apple and Windows arm64, and it is not
// on Linux arm64, arm, ppc64, s390x and riscv64.
var CharIsSigned = charIsSigned(runtime.GOOS, runtime.GOARCH)

func charIsSigned(goos, goarch string) bool {
	switch goarch {
	case "arm64":
		return goos == "darwin" || goos == "ios" || goos == "windows"
	case "arm", "ppc64", "ppc64le", "s390x", "riscv64":
		return false
	}
	return true
}

// CharValue is the value C gives a plain char holding the byte c when it is
// widened to a larger integer type.
func CharValue(c byte) int64 {
	if CharIsSigned {
		return int64(int8(c))
	}
	return int64(c)
}

// AddI64 mirrors add_i64.
func AddI64(a, b int64) int64 { return a + b }

// WidenSum mirrors widen_sum.
func WidenSum(a int8, b uint8, c int16, d uint16, e int32, f uint32) int64 {
	return int64(a) + int64(b) + int64(c) + int64(d) + int64(e) + int64(f)
}

// WidenSumC mirrors widen_sum_c (C long is 64 bits on every supported target).
func WidenSumC(c byte, sc int8, uc uint8, s int16, i int32, u uint32) int64 {
	return CharValue(c) + int64(sc) + int64(uc) + int64(s) + int64(i) + int64(u)
}

// ClampI8 mirrors clamp_i8.
func ClampI8(x int64) int8 {
	return int8(min(max(x, -128), 127))
}

// SatAddU8 mirrors sat_add_u8.
func SatAddU8(a, b uint8) uint8 {
	return uint8(min(int(a)+int(b), 255))
}

// MulQ15 mirrors mul_q15.
func MulQ15(a, b int16) int16 {
	p := (int32(a)*int32(b) + 1<<14) >> 15
	return int16(min(max(p, -32768), 32767))
}

// Rgb565 mirrors rgb565.
func Rgb565(r, g, b uint8) uint16 {
	return uint16(r>>3)<<11 | uint16(g>>2)<<5 | uint16(b>>3)
}

// RotlU32 mirrors rotl_u32.
func RotlU32(x, n uint32) uint32 {
	return bits.RotateLeft32(x, int(n%32))
}

// HexDigit mirrors hex_digit, reading the digit from strconv's formatting.
func HexDigit(x uint64, nibble uint32) byte {
	s := strconv.FormatUint(x, 16)
	i := len(s) - 1 - int(nibble%16)
	if i < 0 {
		return '0'
	}
	return s[i]
}

// Fib mirrors fib, iteratively (wrapping past MaxFib like the C code).
func Fib(n uint32) uint64 {
	var a, b uint64 = 0, 1
	for ; n > 0; n-- {
		a, b = b, a+b
	}
	return a
}

// MaxFib is the largest n for which Fib(n) fits in a uint64 (MATHLIB_MAX_FIB).
const MaxFib = 93

// CollatzSteps mirrors collatz_steps.
func CollatzSteps(n uint64) int32 {
	if n == 0 {
		return -1
	}
	var steps int32
	for n != 1 {
		if steps == 100000 {
			return -1
		}
		if n%2 == 0 {
			n /= 2
		} else {
			hi, lo := bits.Mul64(n, 3)
			lo, carry := bits.Add64(lo, 1, 0)
			if hi != 0 || carry != 0 {
				return -1
			}
			n = lo
		}
		steps++
	}
	return steps
}

// InRange mirrors in_range.
func InRange(x, lo, hi int64, inclusive bool) bool {
	if inclusive {
		return lo <= x && x <= hi
	}
	return lo < x && x < hi
}

// SumI64 mirrors sum_i64.
func SumI64(xs []int64) int64 {
	var s int64
	for _, x := range xs {
		s += x
	}
	return s
}

// MinmaxI32 mirrors minmax_i32; ok is false for an empty slice, where the C
// function stores nothing.
func MinmaxI32(xs []int32) (lo, hi int32, ok bool) {
	if len(xs) == 0 {
		return 0, 0, false
	}
	return slices.Min(xs), slices.Max(xs), true
}

// StrLen mirrors str_len for a NUL-terminated byte slice; it returns -1 when
// s holds no NUL (the C function would read past the end).
func StrLen(s []byte) int {
	return bytes.IndexByte(s, 0)
}

// XorBytes mirrors xor_bytes, in place.
func XorBytes(buf []byte, key byte) {
	for i := range buf {
		buf[i] ^= key
	}
}

// AlignUp mirrors align_up.
func AlignUp(x, align uintptr) uintptr {
	if align == 0 {
		return x
	}
	return (x + align - 1) &^ (align - 1)
}

// Lerp mirrors lerp.
func Lerp(a, b float64, t float32) float64 {
	d := b - a
	m := float64(d * float64(t))
	return a + m
}

// HornerF32 mirrors horner_f32.
func HornerF32(x float32, coeffs []float32) float32 {
	var acc float32
	for _, c := range coeffs {
		acc = float32(acc*x) + c
	}
	return acc
}

// Dot4 mirrors dot4.
func Dot4(x0, x1, x2, x3, y0, y1, y2, y3 float64) float64 {
	s := float64(x0 * y0)
	s += float64(x1 * y1)
	s += float64(x2 * y2)
	s += float64(x3 * y3)
	return s
}
