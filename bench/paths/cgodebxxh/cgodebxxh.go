// Package cgodebxxh hashes through cgo with Debian's own libxxhash
// (libxxhash-dev), linked the usual way, with -lxxhash: the shared library
// built by Debian with gcc.
package cgodebxxh

/*
#cgo LDFLAGS: -lxxhash
#include <xxhash.h>
*/
import "C"

import "unsafe"

// XXH64 returns XXH64(b, seed); b must not be empty.
func XXH64(b []byte, seed uint64) uint64 {
	return uint64(C.XXH64(unsafe.Pointer(&b[0]), C.size_t(len(b)), C.XXH64_hash_t(seed)))
}

// XXH3 returns XXH3_64bits(b); b must not be empty.
func XXH3(b []byte) uint64 {
	return uint64(C.XXH3_64bits(unsafe.Pointer(&b[0]), C.size_t(len(b))))
}
