// Command purego is the hello world of the binary-size comparison: it calls
// one native function (tb_args1) through puregocalls and prints the result.
package main

import (
	"fmt"

	"github.com/gotramp/gotramp/bench/paths/puregocalls"
)

func main() { fmt.Println("hello, Args1(41) =", puregocalls.Args1(41)) }
