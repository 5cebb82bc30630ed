//go:build cgotwin

package main

import (
	"lm/cgotwin"
	"lm/twina"
)

func init() {
	checkCgoTwin = func() {
		check("cgotwin.Value() (C tw_value through cgo)", cgotwin.Value(), int64(-1))
		check("twina.TwValue() next to cgo's tw_value", twina.TwValue(), int64(1007))
	}
}
