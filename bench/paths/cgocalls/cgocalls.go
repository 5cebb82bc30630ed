// Package cgocalls calls the functions of native/calls.c through plain cgo.
//
// The C file is compiled into this package under renamed symbols (cgo_tb_*):
// the gotramp package's .syso already defines tb_* in the same binary.
package cgocalls

/*
#cgo CFLAGS: -O2
#define tb_args0 cgo_tb_args0
#define tb_args1 cgo_tb_args1
#define tb_args4 cgo_tb_args4
#define tb_args6 cgo_tb_args6
#define tb_args8 cgo_tb_args8
#define tb_f64x4 cgo_tb_f64x4
#define tb_f64x8 cgo_tb_f64x8
#define tb_ptrlen cgo_tb_ptrlen
#define tb_struct16 cgo_tb_struct16
#include "../../native/calls.c"
*/
import "C"

import "unsafe"

// Pair is struct tb_pair.
type Pair struct{ X, Y int64 }

func Args0() int64        { return int64(C.cgo_tb_args0()) }
func Args1(a int64) int64 { return int64(C.cgo_tb_args1(C.int64_t(a))) }
func Args4(a, b, c, d int64) int64 {
	return int64(C.cgo_tb_args4(C.int64_t(a), C.int64_t(b), C.int64_t(c), C.int64_t(d)))
}
func Args6(a, b, c, d, e, f int64) int64 {
	return int64(C.cgo_tb_args6(C.int64_t(a), C.int64_t(b), C.int64_t(c), C.int64_t(d),
		C.int64_t(e), C.int64_t(f)))
}
func Args8(a, b, c, d, e, f, g, h int64) int64 {
	return int64(C.cgo_tb_args8(C.int64_t(a), C.int64_t(b), C.int64_t(c), C.int64_t(d),
		C.int64_t(e), C.int64_t(f), C.int64_t(g), C.int64_t(h)))
}
func F64x4(a, b, c, d float64) float64 {
	return float64(C.cgo_tb_f64x4(C.double(a), C.double(b), C.double(c), C.double(d)))
}
func F64x8(a, b, c, d, e, f, g, h float64) float64 {
	return float64(C.cgo_tb_f64x8(C.double(a), C.double(b), C.double(c), C.double(d),
		C.double(e), C.double(f), C.double(g), C.double(h)))
}
func PtrLen(p *uint8, n uintptr) int64 {
	return int64(C.cgo_tb_ptrlen((*C.uint8_t)(unsafe.Pointer(p)), C.size_t(n)))
}
func Struct16(p Pair) int64 {
	return int64(C.cgo_tb_struct16(C.struct_tb_pair{x: C.int64_t(p.X), y: C.int64_t(p.Y)}))
}
