//go:build amd64

// Package asmcalls does the work of native/calls.c in hand-written Go
// assembly (asmcalls_amd64.s): the floor for any call from Go into code that
// is not Go, since a gotramp trampoline is such a function plus the switch to
// the C calling convention and the call itself.
package asmcalls

// Pair is struct tb_pair.
type Pair struct{ X, Y int64 }

func Args0() int64
func Args1(a int64) int64
func Args4(a, b, c, d int64) int64
func Args6(a, b, c, d, e, f int64) int64
func Args8(a, b, c, d, e, f, g_, h int64) int64
func F64x4(a, b, c, d float64) float64
func F64x8(a, b, c, d, e, f, g_, h float64) float64

//go:noescape
func PtrLen(p *uint8, n uintptr) int64

func Struct16(p Pair) int64
