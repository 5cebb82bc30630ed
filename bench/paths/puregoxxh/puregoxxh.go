// Package puregoxxh hashes through purego with Debian's libxxhash.so.0,
// loaded with purego.Dlopen. When it cannot be loaded, Err says why and the
// functions panic.
package puregoxxh

import (
	"unsafe"

	"github.com/ebitengine/purego"
)

var (
	xxh64 func(p unsafe.Pointer, n uintptr, seed uint64) uint64
	xxh3  func(p unsafe.Pointer, n uintptr) uint64
)

// Err is the error that kept the library from loading, or nil.
var Err error

func init() {
	lib, err := purego.Dlopen("libxxhash.so.0", purego.RTLD_NOW|purego.RTLD_LOCAL)
	if err != nil {
		Err = err
		return
	}
	purego.RegisterLibFunc(&xxh64, lib, "XXH64")
	purego.RegisterLibFunc(&xxh3, lib, "XXH3_64bits")
}

// XXH64 returns XXH64(b, seed); b must not be empty.
func XXH64(b []byte, seed uint64) uint64 {
	return xxh64(unsafe.Pointer(&b[0]), uintptr(len(b)), seed)
}

// XXH3 returns XXH3_64bits(b); b must not be empty.
func XXH3(b []byte) uint64 { return xxh3(unsafe.Pointer(&b[0]), uintptr(len(b))) }
