// The link matrix program: calls every function of the generated packages
// and checks each result against a Go reference; prints "linkmatrix: ok" and
// exits 0, or lists every failure and exits 1.
package main

import (
	"fmt"
	"hash/crc32"
	"io"
	"os"

	"lm/pure"
	"lm/twina"
	"lm/twinb"
)

var failures int

func check[T comparable](name string, got, want T) {
	if got != want {
		fmt.Printf("FAIL %s: got %v, want %v\n", name, got, want)
		failures++
	}
}

func fib(n int64) int64 {
	if n < 2 {
		return n
	}
	return fib(n-1) + fib(n-2)
}

func ackermann(m, n int64) int64 {
	switch {
	case m == 0:
		return n + 1
	case n == 0:
		return ackermann(m-1, 1)
	}
	return ackermann(m-1, ackermann(m, n-1))
}

func dispatch(op int32, x int64) int64 {
	tri := func(x int64) int64 { return x * (x + 1) / 2 }
	switch op {
	case 0:
		return x + 11
	case 1:
		return x*x - 7
	case 2:
		return x*13 + 1
	case 3:
		return tri(x)
	case 4:
		return x ^ 0x5a5a
	case 5:
		return (x + 1) * (x + 1)
	case 6:
		return x << 3
	case 7:
		return tri(x+2) - x
	case 8:
		return -x * 9
	}
	return -1
}

func blockSum(src []int64, zeroFrom, shift int) int64 {
	b := append([]int64(nil), src[:64]...)
	if zeroFrom >= 0 && zeroFrom < 64 {
		for i := zeroFrom; i < 64; i++ {
			b[i] = 0
		}
	}
	if shift > 0 && shift < 64 {
		copy(b[shift:], b[:64-shift])
	}
	var s int64
	for i, v := range b {
		s += v * int64(i+1)
	}
	return s
}

func checkPure() {
	for n := int64(0); n <= 20; n++ {
		check(fmt.Sprintf("pure.LmFib(%d)", n), pure.LmFib(n), fib(n))
	}
	for m := int64(0); m <= 2; m++ {
		for n := int64(0); n <= 3; n++ {
			check(fmt.Sprintf("pure.LmAckermann(%d, %d)", m, n), pure.LmAckermann(m, n), ackermann(m, n))
		}
	}
	check("pure.LmSumSquares(100)", pure.LmSumSquares(100), int64(338350))
	for op := int32(-1); op <= 9; op++ {
		for _, x := range []int64{0, 5, -17, 1 << 20} {
			check(fmt.Sprintf("pure.LmDispatch(%d, %d)", op, x), pure.LmDispatch(op, x), dispatch(op, x))
		}
	}
	for _, x := range []int64{0, 7, -40} {
		want := (x + 3) + 2*(x*5) + 3*(-x) + 4*(x/2)
		check(fmt.Sprintf("pure.LmApplyAll(%d)", x), pure.LmApplyAll(x), want)
	}
	data := []byte("The quick brown fox jumps over the lazy dog")
	check("pure.LmCrc32", pure.LmCrc32(&data[0], uint64(len(data))), crc32.ChecksumIEEE(data))
	for i, want := range []uint64{17, 25, 0} {
		check(fmt.Sprintf("pure.LmMessageLen(%d)", i), pure.LmMessageLen(int32(i)), want)
	}
	src := make([]int64, 64)
	for i := range src {
		src[i] = int64(i*i - 50)
	}
	for _, c := range [][2]int{{-1, 0}, {10, 0}, {64, 3}, {32, 5}, {0, 0}} {
		check(fmt.Sprintf("pure.LmBlockSum(%d, %d)", c[0], c[1]),
			pure.LmBlockSum(&src[0], int32(c[0]), int32(c[1])), blockSum(src, c[0], c[1]))
	}
	a := []byte("gotramp link matrix 0123456789")
	b := []byte("gotramp link matrix 0123456789")
	check("pure.LmCompare(equal)", pure.LmCompare(&a[0], &b[0], uint64(len(a)), 0), int32(0))
	check("pure.LmCompare(equal, bcmp)", pure.LmCompare(&a[0], &b[0], uint64(len(a)), 1), int32(0))
	b[25] = '9'
	check("pure.LmCompare(less)", pure.LmCompare(&a[0], &b[0], uint64(len(a)), 0), int32(-1))
	check("pure.LmCompare(greater)", pure.LmCompare(&b[0], &a[0], uint64(len(a)), 0), int32(1))
	check("pure.LmCompare(differ, bcmp)", pure.LmCompare(&a[0], &b[0], uint64(len(a)), 1), int32(1))
}

// Set by glue_on.go (unless built with the noglue tag): the DynamicGlue
// package makes the binary dynamically linked, which the static cell avoids.
var checkGlue = func() {}

// checkData is set by data_on.go.
var checkData = func() {}

// Set by libc_on.go (unless built with the nolibc tag): the libc-mode
// package imports glibc, which the static cell avoids.
var checkLibc = func() {}

// Two packages from the same C source with different constants: each must
// call its own copy of tw_value and of the local helper.
func checkTwins() {
	check("twina.TwValue()", twina.TwValue(), int64(1007))
	check("twinb.TwValue()", twinb.TwValue(), int64(2007))
	check("twina.TwMix(10)", twina.TwMix(10), int64(1017))
	check("twinb.TwMix(10)", twinb.TwMix(10), int64(2027))
}

// Set by cgotwin_on.go (build tag cgotwin): a cgo package that defines the
// C symbol tw_value as well.
var checkCgoTwin func()

func main() {
	checkPure()
	checkGlue()
	checkData()
	checkLibc()
	checkTwins()
	if checkCgoTwin != nil {
		checkCgoTwin()
	}
	if failures > 0 {
		fmt.Printf("linkmatrix: %d failure(s)\n", failures)
		os.Exit(1)
	}
	fmt.Println("linkmatrix: ok")
	// LINKMATRIX_WAIT=1: stay alive, with every package initialised and
	// called, until stdin closes, for `gotramp verify --pid`.
	if os.Getenv("LINKMATRIX_WAIT") == "1" {
		fmt.Println("linkmatrix: waiting")
		io.Copy(io.Discard, os.Stdin)
	}
}
