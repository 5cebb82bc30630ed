//go:build cgo

// Package cgoref is the cgo reference of the call-path benchmark: the same
// addition as add_* in native/callpaths.c, called through cgo.
package cgoref

/*
#include <stdint.h>
static int64_t cgoref_add(int64_t a, int64_t b) { return a + b; }
*/
import "C"

// Add returns a + b, computed in C.
func Add(a, b int64) int64 { return int64(C.cgoref_add(C.int64_t(a), C.int64_t(b))) }
