//go:build !noglue

package main

import (
	"fmt"

	"lm/glue"
)

func init() { checkGlue = checkGlueFuncs }

func checkGlueFuncs() {
	check("glue.GlCounterAdd(1)", glue.GlCounterAdd(1), int64(101))
	check("glue.GlCounterAdd(10)", glue.GlCounterAdd(10), int64(111))
	check("glue.GlBufferSum() of .bss", glue.GlBufferSum(), int64(0))
	glue.GlBufferPut(3, 200)
	glue.GlBufferPut(4096+5, 55)
	glue.GlBufferPut(4095, 1)
	check("glue.GlBufferSum()", glue.GlBufferSum(), int64(256))
	for op, want := range []int64{8, 14, 49, -7} {
		check(fmt.Sprintf("glue.GlApply(%d, 7)", op), glue.GlApply(int32(op), 7), want)
	}
	for i, want := range []uint64{5, 4, 11} {
		check(fmt.Sprintf("glue.GlNameLen(%d)", i), glue.GlNameLen(int32(i)), want)
	}
}
