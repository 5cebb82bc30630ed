// Package cgotwin defines, through cgo, the C symbol tw_value that the
// gotramp packages twina and twinb also bind: with gotramp's package-prefixed
// root symbols the three coexist in one externally linked binary.
package cgotwin

/*
long tw_value(void) { return -1; }
*/
import "C"

// Value calls cgo's tw_value.
func Value() int64 { return int64(C.tw_value()) }
