// Package puregocb calls the functions of native/cb.c through purego
// (github.com/ebitengine/purego): cb.c as the shared library
// native/out/libtbcb.so, its functions called with purego.SyscallN (the
// cheapest outer call, see package puregosyscall), and the Go function made
// C-callable once with purego.NewCallback (which has 2,000 slots, never freed).
//
// The library is looked up as package puregocalls does. When it cannot be
// loaded, Err says why (suite.TestLibrariesLoad fails); the functions do not
// check it, so that their outer call costs what puregosyscall's does.
package puregocb

import (
	"path/filepath"

	"github.com/ebitengine/purego"

	"github.com/gotramp/gotramp/bench/paths/puregocalls"
)

var callN, call1, fn uintptr

// Err is the error that kept the library or a symbol from loading, or nil.
var Err error

func init() {
	lib, err := purego.Dlopen(filepath.Join(puregocalls.NativeOut(), "libtbcb.so"), purego.RTLD_NOW|purego.RTLD_LOCAL)
	if err != nil {
		Err = err
		return
	}
	if callN, err = purego.Dlsym(lib, "tb_cb_call_n"); err != nil {
		Err = err
		return
	}
	if call1, err = purego.Dlsym(lib, "tb_cb_call1"); err != nil {
		Err = err
		return
	}
	fn = purego.NewCallback(func(x int64) int64 { return x + 1 })
}

// CallN calls the Go function n times from C and returns the sum of its
// results: n round trips C -> Go -> C inside one purego call.
func CallN(n int64) int64 {
	r, _, _ := purego.SyscallN(callN, fn, uintptr(n))
	return int64(r)
}

// Call1 is one purego call with one round trip inside: the Go function's x + 1.
func Call1(x int64) int64 {
	r, _, _ := purego.SyscallN(call1, fn, uintptr(x))
	return int64(r)
}
