package callshapes

import (
	"testing"
	"unsafe"
)

func TestFunctionPointers(t *testing.T) {
	cmp := DefaultCompare()
	a, b := int64(5), int64(-5)
	if r := CallCompareFn(cmp, unsafe.Pointer(&a), unsafe.Pointer(&b)); r != 1 {
		t.Errorf("CallCompareFn(5, -5) = %d", r)
	}
	if r := CallCompareFn(cmp, unsafe.Pointer(&b), unsafe.Pointer(&a)); r != -1 {
		t.Errorf("CallCompareFn(-5, 5) = %d", r)
	}
	if r := CallVecOp(VecAddOp(), Vec2{X: 1, Y: 2}, Vec2{X: 0.5, Y: -4}); r != (Vec2{X: 1.5, Y: -2}) {
		t.Errorf("CallVecOp = %+v", r)
	}
}

func TestVariadicShapes(t *testing.T) {
	if r := SumI64x3(3, 1<<40, -7, 9); r != 1<<40+2 {
		t.Errorf("SumI64x3 = %d", r)
	}
	f := []byte("ld\x00")
	if r := MixSumLD(&f[0], 40, 2.5); r != 42.5 {
		t.Errorf("MixSumLD = %v", r)
	}
	g := []byte("dddddddddl\x00") // nine doubles: the ninth on the stack
	if r := MixSum10(&g[0], 1, 2, 3, 4, 5, 6, 7, 8, 9, 100); r != 145 {
		t.Errorf("MixSum10 = %v", r)
	}
}
