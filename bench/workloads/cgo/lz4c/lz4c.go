// Package lz4c calls lz4 through cgo: the same objects as the gotramp
// package (out/liblz4.a), in out/liblz4_cgo.a with every defined global
// renamed cgo_NAME (out/include/lz4_cgo_names.h renames the declarations).
package lz4c

/*
#cgo CFLAGS: -I${SRCDIR}/../../out/include
#cgo LDFLAGS: ${SRCDIR}/../../out/liblz4_cgo.a
#include "lz4_cgo_names.h"
#include "lz4.h"
*/
import "C"

import "unsafe"

// CompressDefault is LZ4_compress_default(src, dst, len(src), len(dst)).
func CompressDefault(src, dst []byte) int {
	return int(C.cgo_LZ4_compress_default((*C.char)(unsafe.Pointer(&src[0])), (*C.char)(unsafe.Pointer(&dst[0])),
		C.int(len(src)), C.int(len(dst))))
}

// DecompressSafe is LZ4_decompress_safe(src, dst, len(src), len(dst)).
func DecompressSafe(src, dst []byte) int {
	return int(C.cgo_LZ4_decompress_safe((*C.char)(unsafe.Pointer(&src[0])), (*C.char)(unsafe.Pointer(&dst[0])),
		C.int(len(src)), C.int(len(dst))))
}
