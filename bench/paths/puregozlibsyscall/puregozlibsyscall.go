// Package puregozlibsyscall calls crc32 in Debian's libz.so.1 through
// purego's low-level purego.SyscallN on the address purego.Dlsym gives: no
// reflection, arguments as uintptr. When the library or the symbol cannot be
// loaded, Err says why, and Crc32 must not be called.
package puregozlibsyscall

import (
	"unsafe"

	"github.com/ebitengine/purego"
)

var crc32 uintptr

// Err is the error that kept the library or the symbol from loading, or nil.
var Err error

func init() {
	lib, err := purego.Dlopen("libz.so.1", purego.RTLD_NOW|purego.RTLD_LOCAL)
	if err != nil {
		Err = err
		return
	}
	if crc32, err = purego.Dlsym(lib, "crc32"); err != nil {
		Err = err
	}
}

// Crc32 returns zlib's crc32(0, b, len(b)); b must not be empty. b is passed
// as a uintptr: the caller keeps it alive.
func Crc32(b []byte) uint64 {
	r, _, _ := purego.SyscallN(crc32, 0, uintptr(unsafe.Pointer(&b[0])), uintptr(len(b)))
	return uint64(r)
}
