//go:build !nolibc

package main

import (
	"fmt"
	"math"
	"runtime"
	"sync"
	"syscall"

	"lm/lc"
)

func init() { checkLibc = checkLibcFuncs }

// cstr is s as a NUL-terminated C string.
func cstr(s string) *byte { return &append([]byte(s), 0)[0] }

func checkLibcFuncs() {
	buf := make([]byte, 64)
	for _, c := range [][2]int64{{40, 2}, {-7, 1 << 40}, {0, 0}} {
		want := fmt.Sprintf("%d+%d=%d", c[0], c[1], c[0]+c[1])
		n := lc.LcFormat(c[0], c[1], &buf[0], uint64(len(buf)))
		check(fmt.Sprintf("lc.LcFormat(%d, %d) length", c[0], c[1]), n, int64(len(want)))
		if n >= 0 {
			check(fmt.Sprintf("lc.LcFormat(%d, %d)", c[0], c[1]), string(buf[:n]), want)
		}
	}
	check("lc.LcFormat into 4 bytes", lc.LcFormat(123, 456, &buf[0], 4), int64(-1))

	for _, c := range []struct {
		s    string
		want int64
		err  syscall.Errno
	}{
		{"12345", 12345, 0},
		{"-42", -42, 0},
		{"99999999999999999999", math.MaxInt64, syscall.ERANGE},
		{"-99999999999999999999", math.MinInt64, syscall.ERANGE},
	} {
		var err int32 = -1
		check(fmt.Sprintf("lc.LcParse(%q)", c.s), lc.LcParse(cstr(c.s), &err), c.want)
		check(fmt.Sprintf("errno after lc.LcParse(%q)", c.s), syscall.Errno(err), c.err)
	}

	// The writable table: its four local function pointers, as cmd/link or
	// the dynamic loader relocated them, then after a swap at run time.
	num := cstr("1234")
	check("lc.LcApply(0) strlen", lc.LcApply(0, num), int64(4))
	check("lc.LcApply(1) strtol base 10", lc.LcApply(1, num), int64(1234))
	check("lc.LcApply(2) strtol base 16", lc.LcApply(2, num), int64(0x1234))
	check("lc.LcApply(3) counter", lc.LcApply(3, num), int64(501))
	check("lc.LcCounterAdd(10)", lc.LcCounterAdd(10), int64(511))
	lc.LcSwap(0, 2)
	check("lc.LcApply(0) after the swap", lc.LcApply(0, cstr("ff")), int64(255))
	check("lc.LcApply(2) after the swap", lc.LcApply(2, cstr("ff")), int64(2))
	lc.LcSwap(0, 2)
	check("lc.LcApplyGlibc: glibc's atol from writable data", lc.LcApplyGlibc(cstr("-98765")), int64(-98765))

	if checkLibcThreads() {
		checkLibcConcurrent()
	}
}

// checkLibcThreads holds 8 goroutines on 8 threads at once and reads each
// thread's errno address: they differ only when every thread is one glibc
// set up (runtime/cgo or purego's fake cgo). Without that setup glibc's TLS
// is Go's (amd64) or the main thread's on every thread (arm64, whose Go
// threads inherit TPIDR_EL0).
func checkLibcThreads() bool {
	const n = 8
	var ready, done sync.WaitGroup
	ready.Add(n)
	done.Add(n)
	release := make(chan struct{})
	tids := make([]int, n)
	addrs := make([]uint64, n)
	for i := range n {
		go func() {
			defer done.Done()
			runtime.LockOSThread()
			defer runtime.UnlockOSThread()
			tids[i], addrs[i] = syscall.Gettid(), lc.LcErrnoAddress()
			ready.Done()
			<-release // every goroutine keeps its thread until all have read
		}()
	}
	ready.Wait()
	close(release)
	done.Wait()
	seenTid, seenAddr := map[int]bool{}, map[uint64]bool{}
	for i := range n {
		seenTid[tids[i]], seenAddr[addrs[i]] = true, true
	}
	check("threads holding a locked goroutine each", len(seenTid), n)
	check("distinct errno addresses (glibc's TLS) on those threads", len(seenAddr), n)
	return len(seenAddr) == n
}

// checkLibcConcurrent: errno and malloc on several threads at once, each
// with its own errno.
func checkLibcConcurrent() {
	var wg sync.WaitGroup
	got := make([]int32, 8)
	for i := range got {
		wg.Add(1)
		go func() {
			defer wg.Done()
			runtime.LockOSThread()
			defer runtime.UnlockOSThread()
			got[i] = lc.LcErrnoRoundtrip(int32(1000+i), 2000)
		}()
	}
	wg.Wait()
	for i, v := range got {
		check(fmt.Sprintf("lc.LcErrnoRoundtrip(%d) on its own thread", 1000+i), v, int32(1000+i))
	}
}
