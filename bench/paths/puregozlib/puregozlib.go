// Package puregozlib calls crc32 in Debian's libz.so.1 through purego:
// purego.Dlopen and purego.RegisterLibFunc. When the library cannot be
// loaded, Err says why and Crc32 panics.
package puregozlib

import (
	"unsafe"

	"github.com/ebitengine/purego"
)

var crc32 func(crc uint64, buf unsafe.Pointer, n uint32) uint64

// Err is the error that kept the library from loading, or nil.
var Err error

func init() {
	lib, err := purego.Dlopen("libz.so.1", purego.RTLD_NOW|purego.RTLD_LOCAL)
	if err != nil {
		Err = err
		return
	}
	purego.RegisterLibFunc(&crc32, lib, "crc32")
}

// Crc32 returns zlib's crc32(0, b, len(b)); b must not be empty.
func Crc32(b []byte) uint64 { return crc32(0, unsafe.Pointer(&b[0]), uint32(len(b))) }
