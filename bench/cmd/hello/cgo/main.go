//go:build cgo

// Command cgo is the hello world of the binary-size comparison: it calls
// one native function (tb_args1) through cgocalls and prints the result.
package main

import (
	"fmt"

	"github.com/gotramp/gotramp/bench/paths/cgocalls"
)

func main() { fmt.Println("hello, Args1(41) =", cgocalls.Args1(41)) }
