// Package puregocalls calls the functions of native/calls.c through purego
// (github.com/ebitengine/purego): the same C source compiled as a shared
// library, native/out/libtbcalls.so, loaded with dlopen at run time and bound
// with purego.RegisterLibFunc.
//
// The library is looked up in $GOTRAMP_BENCH_NATIVE_OUT, else in native/out
// next to this source file. When it cannot be loaded, Err says why and every
// function panics.
package puregocalls

import (
	"os"
	"path/filepath"
	"runtime"

	"github.com/ebitengine/purego"
)

// Pair is struct tb_pair.
type Pair struct{ X, Y int64 }

// The functions, bound by init.
var (
	Args0    func() int64
	Args1    func(a int64) int64
	Args4    func(a, b, c, d int64) int64
	Args6    func(a, b, c, d, e, f int64) int64
	Args8    func(a, b, c, d, e, f, g, h int64) int64
	F64x4    func(a, b, c, d float64) float64
	F64x8    func(a, b, c, d, e, f, g, h float64) float64
	PtrLen   func(p *uint8, n uintptr) int64
	Struct16 func(p Pair) int64
)

// Err is the error that kept the library from loading, or nil.
var Err error

// NativeOut is the directory holding the shared libraries built by
// native/build.sh.
func NativeOut() string {
	if d := os.Getenv("GOTRAMP_BENCH_NATIVE_OUT"); d != "" {
		return d
	}
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..", "native", "out")
}

func init() {
	lib, err := purego.Dlopen(filepath.Join(NativeOut(), "libtbcalls.so"), purego.RTLD_NOW|purego.RTLD_LOCAL)
	if err != nil {
		Err = err
		return
	}
	purego.RegisterLibFunc(&Args0, lib, "tb_args0")
	purego.RegisterLibFunc(&Args1, lib, "tb_args1")
	purego.RegisterLibFunc(&Args4, lib, "tb_args4")
	purego.RegisterLibFunc(&Args6, lib, "tb_args6")
	purego.RegisterLibFunc(&Args8, lib, "tb_args8")
	purego.RegisterLibFunc(&F64x4, lib, "tb_f64x4")
	purego.RegisterLibFunc(&F64x8, lib, "tb_f64x8")
	purego.RegisterLibFunc(&PtrLen, lib, "tb_ptrlen")
	purego.RegisterLibFunc(&Struct16, lib, "tb_struct16")
}
