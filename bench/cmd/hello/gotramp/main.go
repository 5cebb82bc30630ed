//go:build linux && amd64

// Command gotramp is the hello world of the binary-size comparison: it calls
// one native function (tb_args1) through gotrampcalls and prints the result.
package main

import (
	"fmt"

	"github.com/gotramp/gotramp/bench/paths/gotrampcalls"
)

func main() { fmt.Println("hello, Args1(41) =", gotrampcalls.Args1(41)) }
