// Command demo prints a few results of package userlib.
package main

import (
	"fmt"

	"example.com/userlib/userlib"
)

func main() {
	data := []byte("gotramp")
	fmt.Println("add", userlib.UserlibAdd(40, 2))
	fmt.Printf("fnv1a %#x\n", userlib.UserlibFnv1a(&data[0], uintptr(len(data))))
	fmt.Println("norm2", userlib.UserlibNorm2(3, 4))
	fmt.Println("collatz", userlib.UserlibCollatzSteps(1000))
}
