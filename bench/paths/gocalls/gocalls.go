// Package gocalls does the work of native/calls.c in Go, in functions the
// compiler may not inline: the cost of an ordinary Go call.
package gocalls

import "unsafe"

// Pair is struct tb_pair.
type Pair struct{ X, Y int64 }

//go:noinline
func Args0() int64 { return 42 }

//go:noinline
func Args1(a int64) int64 { return a + 1 }

//go:noinline
func Args4(a, b, c, d int64) int64 { return a + b + c + d }

//go:noinline
func Args6(a, b, c, d, e, f int64) int64 { return a + b + c + d + e + f }

//go:noinline
func Args8(a, b, c, d, e, f, g, h int64) int64 { return a + b + c + d + e + f + g + h }

//go:noinline
func F64x4(a, b, c, d float64) float64 { return a + b + c + d }

//go:noinline
func F64x8(a, b, c, d, e, f, g, h float64) float64 { return a + b + c + d + e + f + g + h }

//go:noinline
func PtrLen(p *uint8, n uintptr) int64 {
	if n == 0 {
		return 0
	}
	s := unsafe.Slice(p, n)
	return int64(n) + int64(s[0]) + int64(s[n-1])
}

//go:noinline
func Struct16(p Pair) int64 { return p.X + p.Y }
