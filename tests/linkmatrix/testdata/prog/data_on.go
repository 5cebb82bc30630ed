package main

import (
	"fmt"
	"os"
	"strconv"
	"strings"

	"lm/data"
)

func init() { checkData = checkDataFuncs }

func checkDataFuncs() {
	check("data.DtCounterAdd(1)", data.DtCounterAdd(1), int64(101))
	check("data.DtCounterAdd(10)", data.DtCounterAdd(10), int64(111))
	check("data.DtBufferSum() of .bss", data.DtBufferSum(), int64(0))
	data.DtBufferPut(3, 200)
	data.DtBufferPut(4096+5, 55)
	data.DtBufferPut(4095, 1)
	check("data.DtBufferSum()", data.DtBufferSum(), int64(256))
	for want := int64(1); want <= 3; want++ {
		check("data.DtCalls()", data.DtCalls(), want)
	}
	for op, want := range []int64{8, 14, 49, -7} {
		check(fmt.Sprintf("data.DtApply(%d, 7)", op), data.DtApply(int32(op), 7), want)
	}
	for i, want := range []uint64{5, 4, 11} {
		check(fmt.Sprintf("data.DtNameLen(%d)", i), data.DtNameLen(int32(i)), want)
	}
	check("data.DtSeedAdd(1) through the GOT", data.DtSeedAdd(1), int64(43))
	check("data.DtSeedAdd(-3) through the GOT", data.DtSeedAdd(-3), int64(40))
	checkDataPages()
}

// checkDataPages reads /proc/self/maps: no mapping is writable and
// executable, the data page is read+write, the relocated table read-only and
// the code read+execute.
func checkDataPages() {
	maps, err := os.ReadFile("/proc/self/maps")
	if err != nil {
		fmt.Println("FAIL reading /proc/self/maps:", err)
		failures++
		return
	}
	perms := func(addr uintptr) string {
		for _, line := range strings.Split(string(maps), "\n") {
			f := strings.Fields(line)
			if len(f) < 2 {
				continue
			}
			lo, hi, _ := strings.Cut(f[0], "-")
			l, err1 := strconv.ParseUint(lo, 16, 64)
			h, err2 := strconv.ParseUint(hi, 16, 64)
			if err1 == nil && err2 == nil && uint64(addr) >= l && uint64(addr) < h {
				return f[1]
			}
		}
		return "unmapped"
	}
	for _, line := range strings.Split(string(maps), "\n") {
		if f := strings.Fields(line); len(f) >= 2 && strings.Contains(f[1], "w") && strings.Contains(f[1], "x") {
			fmt.Println("FAIL a writable and executable mapping:", line)
			failures++
		}
	}
	check("protection of the .bss page", perms(uintptr(data.DtBufferAddress()))[:3], "rw-")
	check("protection of the .data.rel.ro page", perms(uintptr(data.DtTableAddress()))[:3], "r--")
	check("protection of the code page", perms(uintptr(data.DtCodeAddress()))[:3], "r-x")
}
