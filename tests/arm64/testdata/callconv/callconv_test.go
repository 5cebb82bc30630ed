// Tests of the package gotramp generates from callconv.h (see callconv.sh),
// run on linux/amd64 natively and on linux/arm64 under qemu-user.

package callconv

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"
)

// Graffiti: byte j of argument i is i<<3 | j, XORed with a mask (0x00,
// 0xff, 0x80 and 0x7f give every byte both values of its top bit), so a
// wrong word names the argument and the byte that went wrong.
func graffiti(i, mask int) uint64 {
	var v uint64
	for j := 0; j < 8; j++ {
		v |= uint64(byte(i<<3|j)^byte(mask)) << (8 * j)
	}
	return v
}

var masks = []int{0x00, 0xff, 0x80, 0x7f}

// charIsSigned: plain C char is signed on x86-64 and unsigned on arm64 Linux.
var charIsSigned = runtime.GOARCH == "amd64"

// The words the C side stores, computed in Go: signed values sign-extended
// to 64 bits, unsigned ones zero-extended, floating-point values as bits.
func sext(v int64) uint64   { return uint64(v) }
func f32w(f float32) uint64 { return uint64(math.Float32bits(f)) }
func f64w(f float64) uint64 { return math.Float64bits(f) }
func boolw(b bool) uint64 {
	if b {
		return 1
	}
	return 0
}
func charw(c byte) uint64 {
	if charIsSigned {
		return uint64(int64(int8(c)))
	}
	return uint64(c)
}

// fold is callconv.c's fold: FNV-1a over the little-endian bytes of each word.
func fold(ws []uint64) uint64 {
	h := uint64(0xcbf29ce484222325)
	for _, w := range ws {
		for b := 0; b < 8; b++ {
			h ^= (w >> (8 * b)) & 0xff
			h *= 0x100000001b3
		}
	}
	return h
}

// compare reports, for every argument, the bytes whose value differs.
func compare(t *testing.T, fn string, mask int, names []string, got, want []uint64, gotFold uint64) {
	t.Helper()
	bad := false
	for i := range want {
		if got[i] == want[i] {
			continue
		}
		bad = true
		var bytes []string
		for b := 0; b < 8; b++ {
			g, w := byte(got[i]>>(8*b)), byte(want[i]>>(8*b))
			if g != w {
				bytes = append(bytes, fmt.Sprintf("byte %d: got %#02x want %#02x", b, g, w))
			}
		}
		t.Errorf("%s (mask %#02x): argument %d (%s) arrived as %#016x, want %#016x: %s",
			fn, mask, i, names[i], got[i], want[i], strings.Join(bytes, ", "))
	}
	if want := fold(want); !bad && gotFold != want {
		t.Errorf("%s (mask %#02x): fold %#x, want %#x", fn, mask, gotFold, want)
	}
}

func TestEcho12(t *testing.T) {
	names := strings.Fields("int8 uint8 int16 uint16 int32 uint32 int64 uint64 bool float32 float64 char")
	for _, mask := range masks {
		g := func(i int) uint64 { return graffiti(i, mask) }
		a0, a1, a2, a3 := int8(g(0)), uint8(g(1)), int16(g(2)), uint16(g(3))
		a4, a5, a6, a7 := int32(g(4)), uint32(g(5)), int64(g(6)), g(7)
		a8 := g(8)&1 == 1
		a9, a10, a11 := math.Float32frombits(uint32(g(9))), math.Float64frombits(g(10)), byte(g(11))
		want := []uint64{sext(int64(a0)), uint64(a1), sext(int64(a2)), uint64(a3), sext(int64(a4)),
			uint64(a5), uint64(a6), a7, boolw(a8), f32w(a9), f64w(a10), charw(a11)}
		var out [12]uint64
		h := Echo12(&out[0], a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11)
		compare(t, "echo12", mask, names, out[:], want, h)
	}
}

func TestEchoMixed20(t *testing.T) {
	names := strings.Fields("d0 i0:int8 f1 i1:uint16 d2 i2:int32 f3 i3:uint64 d4 i4:bool " +
		"f5 i5:int16 d6 i6:uint8 f7 i7:uint32 d8 i8:int64 f9 i9:char")
	for _, mask := range masks {
		g := func(i int) uint64 { return graffiti(i, mask) }
		d := func(i int) float64 { return math.Float64frombits(g(i)) }
		f := func(i int) float32 { return math.Float32frombits(uint32(g(i))) }
		d0, i0, f1, i1, d2 := d(0), int8(g(1)), f(2), uint16(g(3)), d(4)
		i2, f3, i3, d4, i4 := int32(g(5)), f(6), g(7), d(8), g(9)&1 == 1
		f5, i5, d6, i6, f7 := f(10), int16(g(11)), d(12), uint8(g(13)), f(14)
		i7, d8, i8, f9, i9 := uint32(g(15)), d(16), int64(g(17)), f(18), byte(g(19))
		want := []uint64{f64w(d0), sext(int64(i0)), f32w(f1), uint64(i1), f64w(d2),
			sext(int64(i2)), f32w(f3), i3, f64w(d4), boolw(i4), f32w(f5), sext(int64(i5)),
			f64w(d6), uint64(i6), f32w(f7), uint64(i7), f64w(d8), uint64(i8), f32w(f9), charw(i9)}
		var out [20]uint64
		h := EchoMixed20(&out[0], d0, i0, f1, i1, d2, i2, f3, i3, d4, i4, f5, i5, d6, i6, f7, i7,
			d8, i8, f9, i9)
		compare(t, "echo_mixed20", mask, names, out[:], want, h)
	}
}

func TestEchoNarrowStack(t *testing.T) {
	names := strings.Fields("r1 r2 r3 r4 r5 r6 r7 f0 f1 f2 f3 f4 f5 f6 f7 " +
		"s0:int8 s1:uint8 s2:int16 s3:uint16 s4:int32 s5:uint32 s6:bool s7:char s8:float32 s9:float64")
	for _, mask := range masks {
		g := func(i int) uint64 { return graffiti(i, mask) }
		d := func(i int) float64 { return math.Float64frombits(g(i)) }
		var want []uint64
		for i := 0; i < 7; i++ {
			want = append(want, g(i))
		}
		for i := 7; i < 15; i++ {
			want = append(want, f64w(d(i)))
		}
		s0, s1, s2, s3, s4 := int8(g(15)), uint8(g(16)), int16(g(17)), uint16(g(18)), int32(g(19))
		s5, s6, s7 := uint32(g(20)), g(21)&1 == 1, byte(g(22))
		s8, s9 := math.Float32frombits(uint32(g(23))), d(24)
		want = append(want, sext(int64(s0)), uint64(s1), sext(int64(s2)), uint64(s3),
			sext(int64(s4)), uint64(s5), boolw(s6), charw(s7), f32w(s8), f64w(s9))
		var out [25]uint64
		h := EchoNarrowStack(&out[0], int64(g(0)), int64(g(1)), int64(g(2)), int64(g(3)),
			int64(g(4)), int64(g(5)), int64(g(6)), d(7), d(8), d(9), d(10), d(11), d(12), d(13),
			d(14), s0, s1, s2, s3, s4, s5, s6, s7, s8, s9)
		compare(t, "echo_narrow_stack", mask, names, out[:], want, h)
	}
}

func TestCallSPIsAligned(t *testing.T) {
	for _, sp := range []uintptr{CallSp(), Scribble(0, 0)} {
		if sp%16 != 0 {
			t.Errorf("SP at the call is %#x, not 16-byte aligned", sp)
		}
	}
}

// budget is the stack the trampoline guarantees below SP at the call: the
// frame_bytes gotramp reports for scribble; on amd64 8 bytes less, because
// Go keeps SP only 8-byte aligned there and aligning C's SP down to 16 can
// cost a word of the frame (see TrampolineAMD64.cpp).
func budget(t *testing.T) uintptr {
	data, err := os.ReadFile("gotramp-report.json")
	if err != nil {
		t.Fatal(err)
	}
	var report struct {
		Functions []struct {
			CName   string `json:"c_name"`
			Targets map[string]struct {
				FrameBytes uintptr `json:"frame_bytes"`
			} `json:"targets"`
		} `json:"functions"`
	}
	if err := json.Unmarshal(data, &report); err != nil {
		t.Fatal(err)
	}
	for _, f := range report.Functions {
		if f.CName == "scribble" {
			n := f.Targets[runtime.GOOS+"/"+runtime.GOARCH].FrameBytes
			if n < 1024 {
				t.Fatalf("frame_bytes for scribble is %d; the test wants a real budget", n)
			}
			if runtime.GOARCH == "amd64" {
				n -= 8
			}
			return n
		}
	}
	t.Fatal("scribble is not in gotramp-report.json")
	return 0
}

// blockHere blocks on a channel for a moment: with the block profile rate
// at 1 every such wait is recorded, with a call stack the runtime takes by
// walking the frame-pointer chain (fpTracebackPartialExpand, Go >= 1.23,
// amd64 and arm64). A frame record the native code overwrote breaks that
// walk: a wild pointer (a crash in the runtime) or missing callers.
func blockHere() {
	ch := make(chan struct{})
	go func() {
		time.Sleep(time.Millisecond)
		close(ch)
	}()
	<-ch
}

// scribbleParent fills the native code's whole budget with the pattern,
// then checks its own locals and blocks: the block profile then records a
// stack through scribbleParent's frame record, the one the trampoline's
// frame sits right below.
//
//go:noinline
func scribbleParent(t *testing.T, n uintptr, pattern byte) {
	var canary [32]uint64
	for i := range canary {
		canary[i] = graffiti(i, int(pattern))
	}
	if sp := Scribble(n, pattern); sp%16 != 0 {
		t.Errorf("SP at the call is %#x, not 16-byte aligned", sp)
	}
	for i := range canary {
		if canary[i] != graffiti(i, int(pattern)) {
			t.Fatalf("the caller's local word %d changed to %#x during the native call", i, canary[i])
		}
	}
	blockHere()
}

// nestParent does the same around an ordinary recursive C function, whose
// frames (records included) are what the budget is for.
//
//go:noinline
func nestParent(t *testing.T, depth uint32) {
	var want uint64
	for d := uint64(0); d <= uint64(depth); d++ {
		want += d*7 + d%6
	}
	if got := Nest(depth); got != want {
		t.Errorf("Nest(%d) = %d, want %d", depth, got, want)
	}
	blockHere()
}

//go:noinline
func scribbleGrandparent(t *testing.T, n uintptr, pattern byte) {
	scribbleParent(t, n, pattern)
	nestParent(t, 32)
	// scribbleParent's epilogue reloaded R29 (arm64) / BP (amd64) from the
	// slot the trampoline's callee must not touch: a second walk from here.
	blockHere()
}

// shortName is the function's name without its package path.
func shortName(pc uintptr) string {
	f := runtime.FuncForPC(pc - 1)
	if f == nil {
		return "?"
	}
	return f.Name()[strings.LastIndex(f.Name(), ".")+1:]
}

func TestNativeCodeKeepsGoFrameRecords(t *testing.T) {
	n := budget(t)
	runtime.SetBlockProfileRate(1)
	defer runtime.SetBlockProfileRate(0)
	for _, pattern := range []byte{0xa5, 0x00, 0xff} {
		scribbleGrandparent(t, n, pattern)
	}
	runtime.SetBlockProfileRate(0)

	records := make([]runtime.BlockProfileRecord, 256)
	count, ok := runtime.BlockProfile(records)
	if !ok {
		t.Fatalf("more than %d block profile records", len(records))
	}
	// Each wait in blockHere must unwind to the test function, through
	// both callers.
	var viaParent, viaGrandparent int
	for _, r := range records[:count] {
		var names []string
		for _, pc := range r.Stack() {
			names = append(names, shortName(pc))
		}
		stack := " " + strings.Join(names, " ") + " "
		if !strings.Contains(stack, " blockHere ") {
			continue
		}
		switch {
		case strings.Contains(stack, " blockHere scribbleParent scribbleGrandparent TestNativeCodeKeepsGoFrameRecords "),
			strings.Contains(stack, " blockHere nestParent scribbleGrandparent TestNativeCodeKeepsGoFrameRecords "):
			viaParent++
		case strings.Contains(stack, " blockHere scribbleGrandparent TestNativeCodeKeepsGoFrameRecords "):
			viaGrandparent++
		default:
			t.Errorf("a wait in blockHere unwinds as%s(want blockHere, then scribbleParent or "+
				"nestParent or nothing, scribbleGrandparent, TestNativeCodeKeepsGoFrameRecords)", stack)
		}
	}
	if viaParent == 0 || viaGrandparent == 0 {
		t.Errorf("block profile: %d stacks through a parent, %d from scribbleGrandparent; want both",
			viaParent, viaGrandparent)
	}
}

// The same on fresh goroutines at many stack depths: the trampoline's
// prologue must grow the 8 KiB initial stack before the native code writes
// its budget, whatever the depth.
func TestBudgetOnFreshGoroutines(t *testing.T) {
	n := budget(t)
	var wg sync.WaitGroup
	for depth := 0; depth < 64; depth += 3 {
		wg.Add(1)
		go func(depth int) {
			defer wg.Done()
			descend(depth, func() { scribbleParentNoBlock(t, n, byte(depth)) })
		}(depth)
	}
	wg.Wait()
}

//go:noinline
func descend(n int, leaf func()) {
	var pad [5]uintptr
	pad[n%len(pad)] = uintptr(n)
	if n > 0 {
		descend(n-1, leaf)
	} else {
		leaf()
	}
	sinkPad += pad[0]
}

var sinkPad uintptr

//go:noinline
func scribbleParentNoBlock(t *testing.T, n uintptr, pattern byte) {
	var canary [8]uint64
	for i := range canary {
		canary[i] = graffiti(i, int(pattern))
	}
	Scribble(n, pattern)
	for i := range canary {
		if canary[i] != graffiti(i, int(pattern)) {
			t.Errorf("the caller's local word %d changed to %#x during the native call", i, canary[i])
			return
		}
	}
}
