// Package zlibc calls zlib through cgo: the same objects as the gotramp
// package (out/libzlib.a), renamed cgo_NAME as in lz4c.
package zlibc

/*
#cgo CFLAGS: -I${SRCDIR}/../../out/include
#cgo LDFLAGS: ${SRCDIR}/../../out/libzlib_cgo.a
#include "zlib_cgo_names.h"
#include "zlib.h"

// The length comes back in the result (zlib's errors are negative), so that
// no Go pointer is passed for it: cgo would move the variable to the heap.
static long wl_compress2(Bytef *dst, uLong cap, const Bytef *src, uLong n, int level) {
	uLongf len = cap;
	int rc = compress2(dst, &len, src, n, level);
	return rc == Z_OK ? (long)len : rc;
}
static long wl_uncompress(Bytef *dst, uLong cap, const Bytef *src, uLong n) {
	uLongf len = cap;
	int rc = uncompress(dst, &len, src, n);
	return rc == Z_OK ? (long)len : rc;
}
*/
import "C"

import "unsafe"

// CRC32 is crc32(0, b, len(b)).
func CRC32(b []byte) uint32 {
	return uint32(C.cgo_crc32(0, (*C.Bytef)(unsafe.Pointer(&b[0])), C.uInt(len(b))))
}

// Adler32 is adler32(1, b, len(b)).
func Adler32(b []byte) uint32 {
	return uint32(C.cgo_adler32(1, (*C.Bytef)(unsafe.Pointer(&b[0])), C.uInt(len(b))))
}

// Compress2 is compress2(dst, &n, src, len(src), level): n, or zlib's
// (negative) error.
func Compress2(dst, src []byte, level int) int {
	return int(C.wl_compress2((*C.Bytef)(unsafe.Pointer(&dst[0])), C.uLong(len(dst)),
		(*C.Bytef)(unsafe.Pointer(&src[0])), C.uLong(len(src)), C.int(level)))
}

// Uncompress is uncompress(dst, &n, src, len(src)): n, or zlib's
// (negative) error.
func Uncompress(dst, src []byte) int {
	return int(C.wl_uncompress((*C.Bytef)(unsafe.Pointer(&dst[0])), C.uLong(len(dst)),
		(*C.Bytef)(unsafe.Pointer(&src[0])), C.uLong(len(src))))
}
