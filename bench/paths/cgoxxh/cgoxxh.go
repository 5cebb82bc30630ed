// Package cgoxxh hashes through cgo with the same code as the gotramp
// package: native/xxh.c (Debian's xxhash.h, XXH_INLINE_ALL) compiled into
// this package, its two wrappers renamed because the gotramp .syso defines
// tb_xxh64 and tb_xxh3 in the same binary. run.sh sets CC=clang-19 so both
// copies come from the same compiler. cgo refuses -ffreestanding and
// -fno-builtin in #cgo CFLAGS, but they change nothing here: with
// XXH_FORCE_MEMORY_ACCESS=1 clang 19 emits the same instructions for xxh.c
// with and without them.
package cgoxxh

/*
#cgo CFLAGS: -O2 -fno-stack-protector
#define tb_xxh64 cgo_tb_xxh64
#define tb_xxh3 cgo_tb_xxh3
#include "../../native/xxh.c"
*/
import "C"

import "unsafe"

// XXH64 returns XXH64(b, seed); b must not be empty.
func XXH64(b []byte, seed uint64) uint64 {
	return uint64(C.cgo_tb_xxh64((*C.uint8_t)(unsafe.Pointer(&b[0])), C.size_t(len(b)), C.uint64_t(seed)))
}

// XXH3 returns XXH3_64bits(b); b must not be empty.
func XXH3(b []byte) uint64 {
	return uint64(C.cgo_tb_xxh3((*C.uint8_t)(unsafe.Pointer(&b[0])), C.size_t(len(b))))
}
