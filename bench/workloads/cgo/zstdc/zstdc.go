// Package zstdc calls zstd through cgo: the same objects as the gotramp
// package (out/libzstd.a), renamed cgo_NAME as in lz4c.
package zstdc

/*
#cgo CFLAGS: -I${SRCDIR}/../../out/include
#cgo LDFLAGS: ${SRCDIR}/../../out/libzstd_cgo.a
#include "zstd_cgo_names.h"
#include "zstd.h"
*/
import "C"

import "unsafe"

// CCtx and DCtx are zstd's reusable contexts.
type (
	CCtx = C.ZSTD_CCtx
	DCtx = C.ZSTD_DCtx
)

// NewCCtx is ZSTD_createCCtx.
func NewCCtx() *CCtx { return C.cgo_ZSTD_createCCtx() }

// NewDCtx is ZSTD_createDCtx.
func NewDCtx() *DCtx { return C.cgo_ZSTD_createDCtx() }

// IsError is ZSTD_isError.
func IsError(code uint) bool { return C.cgo_ZSTD_isError(C.size_t(code)) != 0 }

// CompressCCtx is ZSTD_compressCCtx(c, dst, len(dst), src, len(src), level).
func CompressCCtx(c *CCtx, dst, src []byte, level int) uint {
	return uint(C.cgo_ZSTD_compressCCtx(c, unsafe.Pointer(&dst[0]), C.size_t(len(dst)),
		unsafe.Pointer(&src[0]), C.size_t(len(src)), C.int(level)))
}

// DecompressDCtx is ZSTD_decompressDCtx(d, dst, len(dst), src, len(src)).
func DecompressDCtx(d *DCtx, dst, src []byte) uint {
	return uint(C.cgo_ZSTD_decompressDCtx(d, unsafe.Pointer(&dst[0]), C.size_t(len(dst)),
		unsafe.Pointer(&src[0]), C.size_t(len(src))))
}
