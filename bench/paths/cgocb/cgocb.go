// Package cgocb calls the functions of native/cb.c through plain cgo, with
// a Go function exported by //export as the C function pointer: each call of
// it from C is a cgo callback (cgocallback: the C thread's M takes the
// goroutine back from syscall state, runs the Go function on the goroutine
// stack and returns to C).
package cgocb

/*
#cgo CFLAGS: -O2
#include "../../native/cb.h"
int64_t cgo_tb_cb_call_n(tb_cb_fn fn, int64_t n);
int64_t cgo_tb_cb_call1(tb_cb_fn fn, int64_t x);
int64_t cgocbAdd1(int64_t x);
*/
import "C"

//export cgocbAdd1
func cgocbAdd1(x C.int64_t) C.int64_t { return x + 1 }

// fn is cgocbAdd1 as a C function pointer.
var fn = C.tb_cb_fn(C.cgocbAdd1)

// CallN calls the Go function n times from C and returns the sum of its
// results: n round trips C -> Go -> C inside one cgo call.
func CallN(n int64) int64 { return int64(C.cgo_tb_cb_call_n(fn, C.int64_t(n))) }

// Call1 is one cgo call with one round trip inside: the Go function's x + 1.
func Call1(x int64) int64 { return int64(C.cgo_tb_cb_call1(fn, C.int64_t(x))) }
