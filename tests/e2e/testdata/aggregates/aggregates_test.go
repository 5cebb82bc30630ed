package aggregates

import (
	"math"
	"testing"
	"unsafe"
)

// Each classification case of tests/golden/cases/aggregates, called with
// values whose every byte matters, checked against Go's own computation.
func TestAggregates(t *testing.T) {
	if r := RetIi(-3, 7); r != (Ii{A: -3, B: 7}) {
		t.Errorf("RetIi = %+v", r)
	}
	if r := SumD1(D1{D: 2.5}); r != 2.5 {
		t.Errorf("SumD1 = %v", r)
	}
	if r := SwapLd(Ld{L: -9, D: 0.25}); r != (Dl{D: 0.25, L: -9}) {
		t.Errorf("SwapLd = %+v", r)
	}
	if r := AddD2(D2{X: 1, Y: 2}, D2{X: 10, Y: 20}); r != (D2{X: 11, Y: 22}) {
		t.Errorf("AddD2 = %+v", r)
	}
	if r := ScaleF3(F3{X: 1, Y: -2, Z: 3}, 1.5); r != (F3{X: 1.5, Y: -3, Z: 4.5}) {
		t.Errorf("ScaleF3 = %+v", r)
	}
	if r := DotF4(F4{V: [4]float32{1, 2, 3, 4}}, F4{V: [4]float32{5, 6, 7, 8}}); r != 70 {
		t.Errorf("DotF4 = %v", r)
	}
	if r := NegD4(D4{V: [4]float64{1, -2, 3, math.Inf(1)}}); r.V != [4]float64{-1, 2, -3, math.Inf(-1)} {
		t.Errorf("NegD4 = %+v", r)
	}
	if r := RotL3(L3{A: 1, B: 2, C: 3}); r != (L3{A: 2, B: 3, C: 1}) {
		t.Errorf("RotL3 = %+v", r)
	}
	p := MakePk('A', 0x11223344)
	if p.C != 'A' || p.I != [4]byte{0x44, 0x33, 0x22, 0x11} {
		t.Errorf("MakePk = %+v", p)
	}
	if r := PkInt(p); r != 0x11223344+'A' {
		t.Errorf("PkInt = %#x", r)
	}
	if r := RevC3(C3{C: [3]byte{'a', 'b', 'c'}}); r.C != [3]byte{'c', 'b', 'a'} {
		t.Errorf("RevC3 = %+v", r)
	}
	var in Fi
	*(*int32)(unsafe.Pointer(&in.Raw)) = 0x40000000
	out := BitsFi(in)
	if got := *(*int32)(unsafe.Pointer(&out.Raw)); got != 0x40000001 {
		t.Errorf("BitsFi = %#x", got)
	}
	var uf Uf
	*(*[2]float32)(unsafe.Pointer(&uf.Raw)) = [2]float32{1.25, 2.5}
	if r := FirstUf(uf); r != 3.75 {
		t.Errorf("FirstUf = %v", r)
	}
	if r := Wrap(Dl{D: -1.5, L: 1 << 40}, 77); r.Inner != (Dl{D: -1.5, L: 1 << 40}) || r.Tag != 77 {
		t.Errorf("Wrap = %+v", r)
	}
	if r := MakeMix(true, 200, 65000, -0.5); r != (Mix{Ok: true, Kind: 200, N: 65000, W: -0.5}) {
		t.Errorf("MakeMix = %+v", r)
	}
	pairs := make([]Ii, 7)
	for i := range pairs {
		pairs[i] = Ii{A: int32(i + 1), B: int32(100 * (i + 1))}
	}
	if r := SpillIi(pairs[0], pairs[1], pairs[2], pairs[3], pairs[4], pairs[5], pairs[6]); r != 1+2+3+4+5+6+7+700 {
		t.Errorf("SpillIi = %d", r)
	}
	if r := SpillD2(D2{X: 1}, D2{X: 2}, D2{X: 3}, D2{X: 4}, D2{X: 5, Y: 0.5}, 0.25); r != 15.75 {
		t.Errorf("SpillD2 = %v", r)
	}
	if r := RetBig(1, 2, 3, 4, 5, 6); r != (L3{A: 3, B: 7, C: 11}) {
		t.Errorf("RetBig = %+v", r)
	}
}

// Passing structs by value allocates nothing.
func TestAggregatesAllocateNothing(t *testing.T) {
	a, b := D2{X: 1, Y: 2}, D2{X: 3, Y: 4}
	if n := testing.AllocsPerRun(100, func() { a = AddD2(a, b) }); n != 0 {
		t.Errorf("AddD2: %v allocations per call", n)
	}
	v := L3{A: 1, B: 2, C: 3}
	if n := testing.AllocsPerRun(100, func() { v = RotL3(v) }); n != 0 {
		t.Errorf("RotL3: %v allocations per call", n)
	}
}
