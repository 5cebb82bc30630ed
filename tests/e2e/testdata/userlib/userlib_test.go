package userlib

import (
	"math"
	"testing"
)

func fnv1a(b []byte) uint32 {
	h := uint32(2166136261)
	for _, c := range b {
		h ^= uint32(c)
		h *= 16777619
	}
	return h
}

func collatzSteps(limit uint64) uint64 {
	var total uint64
	for i := uint64(1); i <= limit; i++ {
		for v := i; v != 1; total++ {
			if v&1 == 1 {
				v = 3*v + 1
			} else {
				v /= 2
			}
		}
	}
	return total
}

func TestAdd(t *testing.T) {
	for _, c := range [][3]int64{{40, 2, 42}, {-5, 3, -2}, {math.MaxInt64, 1, math.MinInt64}} {
		if got := UserlibAdd(c[0], c[1]); got != c[2] {
			t.Errorf("UserlibAdd(%d, %d) = %d, want %d", c[0], c[1], got, c[2])
		}
	}
}

func TestFnv1a(t *testing.T) {
	data := []byte("hello from a user's own module")
	if got, want := UserlibFnv1a(&data[0], uintptr(len(data))), fnv1a(data); got != want {
		t.Errorf("UserlibFnv1a = %#x, want %#x", got, want)
	}
}

func TestNorm2(t *testing.T) {
	if got := UserlibNorm2(3, 4); got != 25 {
		t.Errorf("UserlibNorm2(3, 4) = %v, want 25", got)
	}
}

// The blocking path goes through the shim (entersyscall/exitsyscall).
func TestCollatzStepsBlocking(t *testing.T) {
	for _, limit := range []uint64{1, 10, 100000} {
		if got, want := UserlibCollatzSteps(limit), collatzSteps(limit); got != want {
			t.Errorf("UserlibCollatzSteps(%d) = %d, want %d", limit, got, want)
		}
	}
}
