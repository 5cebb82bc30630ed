// Package puregosyscall calls native/out/libtbcalls.so (the shared library
// of package puregocalls) through purego's low-level purego.SyscallN: symbol
// addresses from purego.Dlsym, arguments as uintptr, no reflection. It is the
// least a purego call costs; purego.RegisterLibFunc (package puregocalls) is
// the documented, typed way.
//
// SyscallN passes every argument in an integer register or stack slot, so it
// has no float or struct-by-value functions here.
package puregosyscall

import (
	"path/filepath"
	"unsafe"

	"github.com/ebitengine/purego"

	"github.com/gotramp/gotramp/bench/paths/puregocalls"
)

var args0, args1, args4, args6, args8, ptrlen uintptr

// Err is the error that kept the library or a symbol from loading, or nil.
var Err error

func init() {
	lib, err := purego.Dlopen(filepath.Join(puregocalls.NativeOut(), "libtbcalls.so"), purego.RTLD_NOW|purego.RTLD_LOCAL)
	if err != nil {
		Err = err
		return
	}
	for _, s := range []struct {
		addr *uintptr
		name string
	}{{&args0, "tb_args0"}, {&args1, "tb_args1"}, {&args4, "tb_args4"}, {&args6, "tb_args6"},
		{&args8, "tb_args8"}, {&ptrlen, "tb_ptrlen"}} {
		if *s.addr, err = purego.Dlsym(lib, s.name); err != nil {
			Err = err
			return
		}
	}
}

func Args0() int64 {
	r, _, _ := purego.SyscallN(args0)
	return int64(r)
}

func Args1(a int64) int64 {
	r, _, _ := purego.SyscallN(args1, uintptr(a))
	return int64(r)
}

func Args4(a, b, c, d int64) int64 {
	r, _, _ := purego.SyscallN(args4, uintptr(a), uintptr(b), uintptr(c), uintptr(d))
	return int64(r)
}

func Args6(a, b, c, d, e, f int64) int64 {
	r, _, _ := purego.SyscallN(args6, uintptr(a), uintptr(b), uintptr(c), uintptr(d), uintptr(e), uintptr(f))
	return int64(r)
}

func Args8(a, b, c, d, e, f, g, h int64) int64 {
	r, _, _ := purego.SyscallN(args8, uintptr(a), uintptr(b), uintptr(c), uintptr(d), uintptr(e), uintptr(f),
		uintptr(g), uintptr(h))
	return int64(r)
}

// PtrLen passes p as a uintptr: the caller keeps what p points to alive.
func PtrLen(p *uint8, n uintptr) int64 {
	r, _, _ := purego.SyscallN(ptrlen, uintptr(unsafe.Pointer(p)), n)
	return int64(r)
}
