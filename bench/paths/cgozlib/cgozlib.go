// Package cgozlib calls crc32 in Debian's libz.so.1 through cgo, linked the
// usual way, with -lz (zlib1g-dev).
//
// It is also what puts -lz on the host linker's command line in the main
// test binary (cgo on, so externally linked), where the gotramp packages'
// imports from libz.so.1 need it (README, "Shared libraries", link modes).
package cgozlib

/*
#cgo LDFLAGS: -lz
#include <zlib.h>
*/
import "C"

import "unsafe"

// Crc32 returns zlib's crc32(0, b, len(b)); b must not be empty.
func Crc32(b []byte) uint64 {
	return uint64(C.crc32(0, (*C.Bytef)(unsafe.Pointer(&b[0])), C.uInt(len(b))))
}
