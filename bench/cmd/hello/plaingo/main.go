// Command plaingo is the baseline of the binary-size comparison: the same
// hello world as the others with the pure-Go Args1 of package gocalls, so no
// native code at all.
package main

import (
	"fmt"

	"github.com/gotramp/gotramp/bench/paths/gocalls"
)

func main() { fmt.Println("hello, Args1(41) =", gocalls.Args1(41)) }
