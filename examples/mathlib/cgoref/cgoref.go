// Package cgoref calls a few of the mathlib functions through cgo, compiled
// from the same C source as the gotramp package, so that benchmarks and the
// demo can compare the two call paths on identical native code.
//
// The demo links this package and the gotramp package into one binary, so
// both define add_i64 and friends. That works because the gotramp .syso
// exports only prefixed roots (gotramp_mathlib_add_i64) and keeps every other
// symbol local.
package cgoref

/*
#cgo CFLAGS: -O2
#include "../native/mathlib.c"
*/
import "C"

import "unsafe"

// AddI64 calls add_i64 through cgo.
func AddI64(a, b int64) int64 {
	return int64(C.add_i64(C.int64_t(a), C.int64_t(b)))
}

// WidenSum calls widen_sum through cgo.
func WidenSum(a int8, b uint8, c int16, d uint16, e int32, f uint32) int64 {
	return int64(C.widen_sum(C.int8_t(a), C.uint8_t(b), C.int16_t(c), C.uint16_t(d), C.int32_t(e), C.uint32_t(f)))
}

// SumI64 calls sum_i64 through cgo; xs points to n int64 values.
func SumI64(xs *int64, n uintptr) int64 {
	return int64(C.sum_i64((*C.int64_t)(unsafe.Pointer(xs)), C.size_t(n)))
}

// Fib calls fib through cgo.
func Fib(n uint32) uint64 {
	return uint64(C.fib(C.uint32_t(n)))
}

// Lerp calls lerp through cgo.
func Lerp(a, b float64, t float32) float64 {
	return float64(C.lerp(C.double(a), C.double(b), C.float(t)))
}

// Dot4 calls dot4 through cgo.
func Dot4(x0, x1, x2, x3, y0, y1, y2, y3 float64) float64 {
	return float64(C.dot4(C.double(x0), C.double(x1), C.double(x2), C.double(x3),
		C.double(y0), C.double(y1), C.double(y2), C.double(y3)))
}
