package rustffi

import (
	"strings"
	"testing"
)

// Go slices and strings passed by value to Rust functions taking
// runtime-shims/rust's GoSlice<T> and GoString, checked against the same
// computation in Go.

func TestGoSliceU8(t *testing.T) {
	for _, b := range [][]byte{nil, {}, {7}, []byte("hello, gotramp"), make([]byte, 1000)} {
		var want uint64
		for i := range b {
			b[i] = byte(i*31 + 7)
			want += uint64(b[i])
		}
		if got := RsSumU8s(b); got != want {
			t.Errorf("RsSumU8s(%d bytes) = %d, want %d", len(b), got, want)
		}
	}
	// A subslice: the header's data pointer is not the array's start.
	b := []byte{1, 2, 3, 4, 5, 6}
	if got := RsSumU8s(b[2:4]); got != 7 {
		t.Errorf("RsSumU8s(b[2:4]) = %d, want 7", got)
	}
}

func TestGoSliceU64LenCap(t *testing.T) {
	xs := make([]uint64, 5, 9)
	var want uint64
	for i := range xs {
		xs[i] = uint64(i)<<60 | uint64(i*i)
		want += xs[i]
	}
	var shape uint64
	if got := RsSumU64s(xs, &shape); got != want {
		t.Errorf("RsSumU64s = %#x, want %#x", got, want)
	}
	if shape != 5|9<<32 {
		t.Errorf("RsSumU64s saw len|cap<<32 = %#x, want %#x", shape, uint64(5|9<<32))
	}
	if RsSumU64s(nil, &shape); shape != 0 {
		t.Errorf("RsSumU64s(nil) saw len|cap<<32 = %#x, want 0", shape)
	}
}

func TestGoSliceWrite(t *testing.T) {
	xs := make([]uint64, 17)
	if n := RsFillU64s(xs[1:16], 100, 3); n != 15 {
		t.Errorf("RsFillU64s returned %d, want 15", n)
	}
	for i, x := range xs {
		want := uint64(0)
		if i >= 1 && i < 16 {
			want = 100 + 3*uint64(i-1)
		}
		if x != want {
			t.Errorf("xs[%d] = %d, want %d", i, x, want)
		}
	}
}

func fnv1a(seed uint64, s string) uint64 {
	h := seed
	for i := 0; i < len(s); i++ {
		h = (h ^ uint64(s[i])) * 0x100000001b3
	}
	return h
}

func TestGoString(t *testing.T) {
	for _, s := range []string{"", "a", "gotramp", "héllo, wörld", strings.Repeat("xyz", 1000), "\xff\x00\xfe"} {
		const seed, mul = 0xcbf29ce484222325, 0x9e3779b97f4a7c15
		want := fnv1a(seed, s)*mul + uint64(len(s))
		if got := RsStringCheck(seed, s, mul); got != want {
			t.Errorf("RsStringCheck(%q) = %#x, want %#x", s, got, want)
		}
	}
	// A substring: data points into the middle of another string.
	long := "0123456789"
	if got, want := RsStringCheck(1, long[3:7], 1), fnv1a(1, "3456")+4; got != want {
		t.Errorf("RsStringCheck(substring) = %#x, want %#x", got, want)
	}
}

func TestGoStringsInRegistersAndOnTheStack(t *testing.T) {
	sum := func(s string) (n uint64) {
		for i := 0; i < len(s); i++ {
			n += uint64(s[i])
		}
		return n
	}
	a, b, c, d := "a", "bb", "ccc", "dddd!"
	want := sum(a) + sum(b)*1000 + sum(c)*1_000_000 + sum(d)*1_000_000_000 + uint64(len(d))
	if got := RsFourStrings(a, b, c, d); got != want {
		t.Errorf("RsFourStrings = %d, want %d", got, want)
	}
}

func TestGoSliceOfStrings(t *testing.T) {
	ss := []string{"one", "", "three", strings.Repeat("4", 40)}
	want := 0
	for _, s := range ss {
		want += len(s)
	}
	if got := RsTotalLen(ss); got != want {
		t.Errorf("RsTotalLen = %d, want %d", got, want)
	}
}

var sink uint64

// A slice of a stack array and a string built on the stack do not escape:
// the bindings are //go:noescape and the call allocates nothing.
func TestGoSliceNoAllocs(t *testing.T) {
	allocs := testing.AllocsPerRun(100, func() {
		var buf [64]byte
		for i := range buf {
			buf[i] = byte(i)
		}
		sink = RsSumU8s(buf[:])
		var words [8]uint64
		n := RsFillU64s(words[:], 1, 1)
		sink += uint64(n) + words[7]
	})
	if allocs != 0 {
		t.Errorf("passing slices of stack arrays allocated %v times per call, want 0", allocs)
	}
	if sink != 2016+8+8 {
		t.Errorf("sink = %d, want %d", sink, 2016+8+8)
	}
	allocs = testing.AllocsPerRun(100, func() {
		sink = RsStringCheck(0, "constant string", 1)
	})
	if allocs != 0 {
		t.Errorf("passing a string allocated %v times per call, want 0", allocs)
	}
}

func TestGoSliceI64AndStringLen(t *testing.T) {
	xs := []int64{-5, 1 << 40, 3}
	if got, want := RsSumGoSlice(xs), int64(-5+1<<40+3); got != want {
		t.Errorf("RsSumGoSlice = %d, want %d", got, want)
	}
	if got := RsGoStringLen("héllo"); got != len("héllo") {
		t.Errorf("RsGoStringLen = %d, want %d", got, len("héllo"))
	}
}
