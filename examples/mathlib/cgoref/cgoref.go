// Package cgoref calls a few of the mathlib functions through cgo, compiled
// from the same C source as the gotramp package, so that benchmarks and the
// demo can compare the two call paths on identical native code.
//
// The gotramp package's .syso defines the C symbols under their own names
// (add_i64, ...). A program that links both packages, like the demo, would
// then define every symbol twice, so the preamble renames the global symbols
// of this copy with a cgoref_ prefix before including the source. A function
// added to mathlib.c needs a line here too, or the demo fails to link with a
// duplicate-symbol error.
package cgoref

/*
#cgo CFLAGS: -O2
#define add_i64 cgoref_add_i64
#define widen_sum cgoref_widen_sum
#define widen_sum_c cgoref_widen_sum_c
#define clamp_i8 cgoref_clamp_i8
#define sat_add_u8 cgoref_sat_add_u8
#define mul_q15 cgoref_mul_q15
#define rgb565 cgoref_rgb565
#define rotl_u32 cgoref_rotl_u32
#define hex_digit cgoref_hex_digit
#define fib cgoref_fib
#define collatz_steps cgoref_collatz_steps
#define in_range cgoref_in_range
#define sum_i64 cgoref_sum_i64
#define minmax_i32 cgoref_minmax_i32
#define str_len cgoref_str_len
#define xor_bytes cgoref_xor_bytes
#define align_up cgoref_align_up
#define lerp cgoref_lerp
#define horner_f32 cgoref_horner_f32
#define dot4 cgoref_dot4
#define mathlib_ld_half cgoref_mathlib_ld_half
#include "../native/mathlib.c"
*/
import "C"

import "unsafe"

// AddI64 calls add_i64 through cgo.
func AddI64(a, b int64) int64 {
	return int64(C.cgoref_add_i64(C.int64_t(a), C.int64_t(b)))
}

// WidenSum calls widen_sum through cgo.
func WidenSum(a int8, b uint8, c int16, d uint16, e int32, f uint32) int64 {
	return int64(C.cgoref_widen_sum(C.int8_t(a), C.uint8_t(b), C.int16_t(c), C.uint16_t(d), C.int32_t(e), C.uint32_t(f)))
}

// SumI64 calls sum_i64 through cgo; xs points to n int64 values.
func SumI64(xs *int64, n uintptr) int64 {
	return int64(C.cgoref_sum_i64((*C.int64_t)(unsafe.Pointer(xs)), C.size_t(n)))
}

// Fib calls fib through cgo.
func Fib(n uint32) uint64 {
	return uint64(C.cgoref_fib(C.uint32_t(n)))
}

// Lerp calls lerp through cgo.
func Lerp(a, b float64, t float32) float64 {
	return float64(C.cgoref_lerp(C.double(a), C.double(b), C.float(t)))
}

// Dot4 calls dot4 through cgo.
func Dot4(x0, x1, x2, x3, y0, y1, y2, y3 float64) float64 {
	return float64(C.cgoref_dot4(C.double(x0), C.double(x1), C.double(x2), C.double(x3),
		C.double(y0), C.double(y1), C.double(y2), C.double(y3)))
}
