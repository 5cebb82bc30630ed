//go:build linux && (amd64 || arm64)

// Tests of runtime-shims/mem as gotramp packs it: every routine against a Go
// reference on every size up to a few hundred bytes and every alignment of
// its pointers, at large sizes, with overlapping ranges for memmove, and with
// strings that end where a page ends and the next page is PROT_NONE (a
// routine that reads past the bytes it may touch faults there).
package memtest

import (
	"bytes"
	"fmt"
	"math/rand"
	"strings"
	"syscall"
	"testing"
	"unsafe"
)

const guard = 0xAA

var largeSizes = []int{1023, 1024, 1025, 2047, 2048, 2049, 4096 + 7, 65536 + 3, 1<<20 + 5}

func sizesUpTo(limit int) []int {
	var s []int
	for n := 0; n <= limit; n++ {
		s = append(s, n)
	}
	return append(s, largeSizes...)
}

func random(n int, seed int64) []byte {
	b := make([]byte, n)
	rand.New(rand.NewSource(seed)).Read(b)
	return b
}

func ptr(b []byte, i int) *uint8 { return (*uint8)(unsafe.Pointer(unsafe.SliceData(b[i:]))) }

func sign(x int) int {
	switch {
	case x < 0:
		return -1
	case x > 0:
		return 1
	}
	return 0
}

// checkGuards fails when the bytes of b outside [lo, hi) are not guard.
func checkGuards(t *testing.T, what string, b []byte, lo, hi int) {
	t.Helper()
	for i, c := range b {
		if (i < lo || i >= hi) && c != guard {
			t.Fatalf("%s: wrote byte %d outside [%d, %d)", what, i, lo, hi)
		}
	}
}

func TestCopy(t *testing.T) {
	for _, name := range []string{"memcpy", "memmove"} {
		call := TMemcpy
		if name == "memmove" {
			call = TMemmove
		}
		for _, n := range sizesUpTo(520) {
			src := random(n+32, int64(n))
			dst := make([]byte, n+64)
			offsets := 16
			if n > 520 {
				offsets = 4
			}
			for so := 0; so < offsets; so++ {
				for do := 0; do < offsets; do++ {
					for i := range dst {
						dst[i] = guard
					}
					call(ptr(dst, 16+do), ptr(src, so), uintptr(n))
					if !bytes.Equal(dst[16+do:16+do+n], src[so:so+n]) {
						t.Fatalf("%s(dst+%d, src+%d, %d): wrong bytes", name, do, so, n)
					}
					checkGuards(t, fmt.Sprintf("%s(dst+%d, src+%d, %d)", name, do, so, n), dst, 16+do, 16+do+n)
				}
			}
		}
	}
}

func TestMemmoveOverlap(t *testing.T) {
	for _, n := range sizesUpTo(300) {
		if n > 70000 {
			continue
		}
		for delta := -80; delta <= 80; delta++ {
			buf := random(n+200, int64(n*1000+delta))
			want := append([]byte(nil), buf...)
			src, dst := 100, 100+delta
			copy(want[dst:dst+n], want[src:src+n])
			TMemmove(ptr(buf, dst), ptr(buf, src), uintptr(n))
			if !bytes.Equal(buf, want) {
				t.Fatalf("memmove(base+%d, base+%d, %d): wrong bytes", dst, src, n)
			}
		}
	}
}

func TestMemset(t *testing.T) {
	for _, n := range sizesUpTo(520) {
		dst := make([]byte, n+64)
		for off := 0; off < 16; off++ {
			for _, c := range []int32{0, 0x5c, 0xff, 0x1ff, -1} {
				for i := range dst {
					dst[i] = guard
				}
				TMemset(ptr(dst, 16+off), c, uintptr(n))
				what := fmt.Sprintf("memset(dst+%d, %#x, %d)", off, c, n)
				for i := 16 + off; i < 16+off+n; i++ {
					if dst[i] != byte(c) {
						t.Fatalf("%s: byte %d is %#x", what, i-16-off, dst[i])
					}
				}
				checkGuards(t, what, dst, 16+off, 16+off+n)
			}
		}
	}
}

func TestCompare(t *testing.T) {
	offsets := [][2]int{{0, 0}, {1, 3}, {7, 0}, {15, 15}, {0, 9}, {8, 8}}
	for _, n := range sizesUpTo(300) {
		for _, o := range offsets {
			a := random(n+16, int64(n))
			b := make([]byte, n+16)
			copy(b[o[1]:], a[o[0]:o[0]+n])
			pa, pb := ptr(a, o[0]), ptr(b, o[1])
			if got := TMemcmp(pa, pb, uintptr(n)); got != 0 {
				t.Fatalf("memcmp of equal ranges (%d bytes, offsets %v) = %d", n, o, got)
			}
			if got := TBcmp(pa, pb, uintptr(n)); got != 0 {
				t.Fatalf("bcmp of equal ranges (%d bytes, offsets %v) = %d", n, o, got)
			}
			step := 1
			if n > 300 {
				step = n/97 + 1
			}
			for i := 0; i < n; i += step {
				for _, delta := range []int{1, -1, 0x80} {
					saved := b[o[1]+i]
					b[o[1]+i] += byte(delta)
					want := sign(bytes.Compare(a[o[0]:o[0]+n], b[o[1]:o[1]+n]))
					if got := sign(int(TMemcmp(pa, pb, uintptr(n)))); got != want {
						t.Fatalf("memcmp (%d bytes, offsets %v, differing at %d): sign %d, want %d", n, o, i, got, want)
					}
					if TBcmp(pa, pb, uintptr(n)) == 0 {
						t.Fatalf("bcmp (%d bytes, offsets %v, differing at %d) = 0", n, o, i)
					}
					b[o[1]+i] = saved
				}
			}
		}
	}
}

// cstring puts s and a terminator into a buffer at offset off, after bytes
// that are alternately 0 and c (a routine that looks before the start finds
// them) and followed by bytes that are neither 0 nor c.
func cstring(s string, off int, c byte) []byte {
	b := make([]byte, off+len(s)+48)
	for i := range b {
		b[i] = 'x'
		if c == 'x' {
			b[i] = 'y'
		}
	}
	for i := 0; i < off; i++ {
		b[i] = c * byte(i%2)
	}
	copy(b[off:], s)
	b[off+len(s)] = 0
	return b
}

func TestScan(t *testing.T) {
	for _, n := range sizesUpTo(300) {
		if n > 70000 {
			continue
		}
		body := strings.Repeat("a", n)
		for off := 0; off < 16; off++ {
			b := cstring(body, off, 'z')
			p := ptr(b, off)
			if got := TStrlen(p); got != uintptr(n) {
				t.Fatalf("strlen(%d bytes at +%d) = %d", n, off, got)
			}
			for _, limit := range []int{0, n / 2, n, n + 1, n + 100} {
				want := min(n, limit)
				if got := TStrnlen(p, uintptr(limit)); got != uintptr(want) {
					t.Fatalf("strnlen(%d bytes at +%d, %d) = %d, want %d", n, off, limit, got, want)
				}
			}
			if got := TStrchr(p, 'z'); got != -1 {
				t.Fatalf("strchr(%d bytes at +%d, 'z') = %d, want -1", n, off, got)
			}
			if got := TStrchr(p, 0); got != n {
				t.Fatalf("strchr(%d bytes at +%d, 0) = %d, want %d", n, off, got, n)
			}
			if got := TMemchr(p, 'z', uintptr(n)); got != -1 {
				t.Fatalf("memchr(%d bytes at +%d, 'z') = %d, want -1", n, off, got)
			}
			step := 1
			if n > 300 {
				step = n/97 + 1
			}
			for i := 0; i < n; i += step {
				b[off+i] = 'z'
				if got := TStrchr(p, 'z'+0x100); got != i { // strchr takes c as a char
					t.Fatalf("strchr(%d bytes at +%d, 'z' at %d) = %d", n, off, i, got)
				}
				if got := TMemchr(p, 'z', uintptr(n)); got != i {
					t.Fatalf("memchr(%d bytes at +%d, 'z' at %d) = %d", n, off, i, got)
				}
				if got := TMemchr(p, 'z', uintptr(i)); got != -1 {
					t.Fatalf("memchr(%d bytes at +%d, n=%d, 'z' at %d) = %d, want -1", n, off, i, i, got)
				}
				b[off+i] = 'a'
			}
		}
	}
}

func TestStrcmp(t *testing.T) {
	for _, n := range sizesUpTo(200) {
		if n > 70000 {
			continue
		}
		raw := random(n, int64(n))
		for i := range raw {
			raw[i] = 1 + raw[i]%255 // no terminator inside
		}
		body := string(raw)
		for _, o := range [][2]int{{0, 0}, {1, 3}, {7, 0}, {15, 15}, {0, 9}} {
			a := cstring(body, o[0], 0)
			b := cstring(body, o[1], 0)
			pa, pb := ptr(a, o[0]), ptr(b, o[1])
			if got := TStrcmp(pa, pb); got != 0 {
				t.Fatalf("strcmp of equal %d-byte strings (offsets %v) = %d", n, o, got)
			}
			if got := TStrncmp(pa, pb, uintptr(n+5)); got != 0 {
				t.Fatalf("strncmp of equal %d-byte strings (offsets %v) = %d", n, o, got)
			}
			step := 1
			if n > 200 {
				step = n/61 + 1
			}
			for i := 0; i < n; i += step {
				for _, nb := range []byte{0, 1, 0x7f, 0x80, 0xff, a[o[0]+i] + 1} {
					saved := b[o[1]+i]
					b[o[1]+i] = nb
					sa := string(a[o[0] : o[0]+n])
					sb := string(b[o[1]:])
					sb = sb[:strings.IndexByte(sb, 0)]
					want := sign(strings.Compare(sa, sb))
					if got := sign(int(TStrcmp(pa, pb))); got != want {
						t.Fatalf("strcmp (%d bytes, offsets %v, byte %d = %#x): sign %d, want %d", n, o, i, nb, got, want)
					}
					for _, limit := range []int{i, i + 1, n + 3} {
						wl := want
						if limit <= i {
							wl = 0
						}
						if got := sign(int(TStrncmp(pa, pb, uintptr(limit)))); got != wl {
							t.Fatalf("strncmp (%d bytes, offsets %v, byte %d = %#x, n=%d): sign %d, want %d", n, o, i, nb, limit, got, wl)
						}
					}
					b[o[1]+i] = saved
				}
			}
		}
	}
}

// TestPageEnd puts the data at the very end of a readable page whose next
// page is PROT_NONE: a routine that reads a byte it may not touch faults.
func TestPageEnd(t *testing.T) {
	page := syscall.Getpagesize()
	mem, err := syscall.Mmap(-1, 0, 4*page, syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_PRIVATE|syscall.MAP_ANON)
	if err != nil {
		t.Fatal(err)
	}
	defer syscall.Munmap(mem)
	if err := syscall.Mprotect(mem[page:2*page], syscall.PROT_NONE); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Mprotect(mem[3*page:], syscall.PROT_NONE); err != nil {
		t.Fatal(err)
	}
	a, b := mem[:page], mem[2*page:3*page]
	for n := 0; n <= 100; n++ {
		// A string of n bytes whose terminator is the page's last byte.
		for i := range a {
			a[i], b[i] = 'q', 'q'
		}
		a[page-1], b[page-1] = 0, 0
		sa, sb := page-1-n, page-1-n
		if got := TStrlen(ptr(a, sa)); got != uintptr(n) {
			t.Fatalf("strlen at the page end (%d bytes) = %d", n, got)
		}
		if got := TStrnlen(ptr(a, sa), uintptr(n+1)); got != uintptr(n) {
			t.Fatalf("strnlen at the page end (%d bytes) = %d", n, got)
		}
		if got := TStrchr(ptr(a, sa), 'z'); got != -1 {
			t.Fatalf("strchr at the page end (%d bytes) = %d", n, got)
		}
		if got := TMemchr(ptr(a, page-n), 'z', uintptr(n)); got != -1 {
			t.Fatalf("memchr over the last %d bytes of a page = %d", n, got)
		}
		if got := TStrcmp(ptr(a, sa), ptr(b, sb)); got != 0 {
			t.Fatalf("strcmp of %d-byte strings at page ends = %d", n, got)
		}
		// Strings of different lengths, each ending at its page's end.
		if n > 0 {
			if got := TStrcmp(ptr(a, sa), ptr(b, sb+1)); got <= 0 {
				t.Fatalf("strcmp of a %d-byte string and a shorter one at page ends = %d, want > 0", n, got)
			}
		}
		if got := TStrncmp(ptr(a, sa), ptr(b, sb), uintptr(n+1)); got != 0 {
			t.Fatalf("strncmp of %d-byte strings at page ends = %d", n, got)
		}
		if got := TMemcmp(ptr(a, page-n), ptr(b, page-n), uintptr(n)); got != 0 {
			t.Fatalf("memcmp of the last %d bytes of two pages = %d", n, got)
		}
		for i := range a {
			a[i] = 'q'
		}
		TMemcpy(ptr(a, page-n), ptr(b, page-n), uintptr(n))
		TMemmove(ptr(a, page-n), ptr(b, page-n), uintptr(n))
		TMemset(ptr(a, page-n), 'r', uintptr(n))
		if n > 0 && (a[page-n] != 'r' || a[page-1] != 'r') {
			t.Fatalf("memset of the last %d bytes of a page", n)
		}
	}
}
