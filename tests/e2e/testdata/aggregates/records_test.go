package records

import (
	"testing"
	"unsafe"
)

// The Go structs hold what the C code reads (TestCLayout, generated, checks
// every size, alignment and offset).
func TestRecords(t *testing.T) {
	var tail List
	head := List{Next: (*Node)(unsafe.Pointer(&tail))}
	if n := ListLen(&head); n != 2 {
		t.Errorf("ListLen = %d", n)
	}
	if v := PaddedValue(Padded{Tag: 2, Value: 0.5}); v != 2.5 {
		t.Errorf("PaddedValue = %v", v)
	}
	h := Header{Kind: 1, Len: [4]byte{0x78, 0x56, 0x34, 0x12}}
	if n := HeaderLen(&h); n != 0x12345678 {
		t.Errorf("HeaderLen = %#x", n)
	}
	b := Bits{Count: 40}
	if n := BitsCount(&b); n != 40 {
		t.Errorf("BitsCount = %d", n)
	}
	var w Word
	*(*uint64)(unsafe.Pointer(&w.Raw)) = 0xfeedface
	if n := WordBits(w); n != 0xfeedface {
		t.Errorf("WordBits = %#x", n)
	}
}
