package rustffi

import (
	"math"
	"testing"
	"unsafe"
)

// Each call goes through a trampoline generated from the staticlib's DWARF.

func TestIntegers(t *testing.T) {
	if got := RsAddU64(math.MaxUint64, 2); got != 1 {
		t.Errorf("RsAddU64 wrapped to %d, want 1", got)
	}
	if got := RsWiden(-1, 255, -2, 65535, -3, math.MaxUint32); got != -1+255-2+65535-3+math.MaxUint32 {
		t.Errorf("RsWiden = %d", got)
	}
}

func TestFloatsAndBool(t *testing.T) {
	if got := RsMix(-4, 10, 0.5, 0.25, false); got != 6.75 {
		t.Errorf("RsMix = %v, want 6.75", got)
	}
	if got := RsMix(-4, 10, 0.5, 0.25, true); got != -6.75 {
		t.Errorf("RsMix(neg) = %v, want -6.75", got)
	}
}

func TestPointers(t *testing.T) {
	b := []uint8{1, 2, 3, 250}
	if got := RsSumBytes(&b[0], uintptr(len(b))); got != 256 {
		t.Errorf("RsSumBytes = %d, want 256", got)
	}
	xs := [4]int32{1, -2, 3, 1 << 20}
	RsDoubleAll(unsafe.Pointer(&xs))
	if xs != [4]int32{2, -4, 6, 1 << 21} {
		t.Errorf("RsDoubleAll: %v", xs)
	}
	var x int
	if RsIdent(unsafe.Pointer(&x)) != unsafe.Pointer(&x) {
		t.Error("RsIdent changed the pointer")
	}
}

// Option<&T> and Option<NonNull<T>> are nullable pointers.
func TestOptionPointers(t *testing.T) {
	p := Point{X: 3, Y: 4}
	if got := RsNorm(&p); math.Abs(got-5) > 1e-12 {
		t.Errorf("RsNorm = %v, want 5", got)
	}
	if got := RsNorm(nil); got != -1 {
		t.Errorf("RsNorm(nil) = %v, want -1", got)
	}
	var v uint32
	if !RsStore(&v) || v != 42 {
		t.Errorf("RsStore: %v, v = %d", false, v)
	}
	if RsStore(nil) {
		t.Error("RsStore(nil) = true")
	}
}

func TestReprEnum(t *testing.T) {
	if got := RsSides(Shape(2)); got != 4 {
		t.Errorf("RsSides(Square) = %d, want 4", got)
	}
	if got := RsSides(Shape(1)); got != 0 {
		t.Errorf("RsSides(Circle) = %d, want 0", got)
	}
}
