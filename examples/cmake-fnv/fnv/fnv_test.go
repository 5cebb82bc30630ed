package fnv

import (
	"hash/fnv"
	"testing"
)

// Hand-written: checks the CMake-generated bindings against Go's hash/fnv.
func TestFnv1a64MatchesHashFnv(t *testing.T) {
	inputs := []string{"", "a", "gotramp", "The quick brown fox jumps over the lazy dog"}
	for _, in := range inputs {
		want := fnv.New64a()
		want.Write([]byte(in))
		buf := []byte(in + "\x00") // never empty, so &buf[0] is valid
		got := Fnv1a64Update(FNV64_OFFSET, &buf[0], uintptr(len(in)))
		if got != want.Sum64() {
			t.Errorf("Fnv1a64Update(%q) = %#x, want %#x", in, got, want.Sum64())
		}
		want32 := fnv.New32a()
		want32.Write([]byte(in))
		if got := Fnv1a32Str(&buf[0]); got != want32.Sum32() {
			t.Errorf("Fnv1a32Str(%q) = %#x, want %#x", in, got, want32.Sum32())
		}
	}
}

func TestHashingInChunksEqualsOneShot(t *testing.T) {
	data := []byte("split across several calls to the native code")
	whole := Fnv1a64Update(FNV64_OFFSET, &data[0], uintptr(len(data)))
	h := uint64(FNV64_OFFSET)
	for i := 0; i < len(data); i += 7 {
		end := min(i+7, len(data))
		h = Fnv1a64Update(h, &data[i], uintptr(end-i))
	}
	if h != whole {
		t.Fatalf("chunked %#x != whole %#x", h, whole)
	}
}
