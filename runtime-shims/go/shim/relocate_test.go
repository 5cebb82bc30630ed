//go:build linux && (amd64 || arm64)

package shim

import (
	"encoding/binary"
	"fmt"
	"os"
	"runtime/debug"
	"strings"
	"syscall"
	"testing"
	"unsafe"
)

// fakeImage maps a page-aligned image of code, table and data pages, mapped
// read+execute as the binary's text is, with slots holding image offsets.
func fakeImage(t testing.TB, slots int) (image []byte, l NativeLayout) {
	const page = 4096
	relroPages := (slots*8 + page - 1) / page
	l = NativeLayout{PageAlign: page, RelroOffset: page}
	l.DataOffset = l.RelroOffset + uintptr(relroPages)*page
	l.DataEnd = l.DataOffset + page
	image, err := syscall.Mmap(-1, 0, int(l.DataEnd), syscall.PROT_READ|syscall.PROT_WRITE,
		syscall.MAP_PRIVATE|syscall.MAP_ANON)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { syscall.Munmap(image) })
	for i := 0; i < slots; i++ {
		off := l.RelroOffset + uintptr(i)*8
		l.Slots = append(l.Slots, uint32(off))
		binary.LittleEndian.PutUint64(image[off:], uint64(i*16)) // an offset in the code page
	}
	if err := syscall.Mprotect(image, syscall.PROT_READ|syscall.PROT_EXEC); err != nil {
		t.Fatal(err)
	}
	return image, l
}

func TestRelocateNativeCodeAddsTheBase(t *testing.T) {
	image, l := fakeImage(t, 747)
	base := uintptr(unsafe.Pointer(&image[0]))
	RelocateNativeCode("fake", base, l)
	for i, off := range l.Slots {
		if got, want := binary.LittleEndian.Uint64(image[off:]), uint64(base)+uint64(i*16); got != want {
			t.Fatalf("slot %d holds %#x, want %#x", i, got, want)
		}
	}
	image[l.DataOffset] = 1 // the data page is writable
	// qemu-user shows an anonymous read-only page as r-x: check the write bit
	// there, and that a write faults.
	if perms := mappingOf(t, base+l.RelroOffset); perms[1] != '-' {
		t.Errorf("the table pages are %s after init, want read-only", perms)
	}
	if !writeFaults(&image[l.RelroOffset]) {
		t.Errorf("writing to the table pages after init does not fault")
	}
	if perms := mappingOf(t, base+l.DataOffset); perms[:3] != "rw-" {
		t.Errorf("the data page is %s after init, want read+write", perms)
	}
	if perms := mappingOf(t, base); perms[:3] != "r-x" {
		t.Errorf("the code page is %s after init, want read+execute", perms)
	}
}

func TestRelocateNativeCodeRefusesALayoutThatCannotHold(t *testing.T) {
	image, l := fakeImage(t, 4)
	base := uintptr(unsafe.Pointer(&image[0]))
	for name, tc := range map[string]struct {
		base uintptr
		l    NativeLayout
		want string
	}{
		"pages larger than the layout's": {base, NativeLayout{PageAlign: 1024, RelroOffset: 1024,
			DataOffset: 2048, DataEnd: 2048}, "page size"},
		"misplaced image": {base + 16, l, "boundary"},
		"slot outside":    {base, NativeLayout{PageAlign: l.PageAlign, RelroOffset: l.RelroOffset, DataOffset: l.DataOffset, DataEnd: l.DataEnd, Slots: []uint32{8}}, "outside the data pages"},
	} {
		t.Run(name, func(t *testing.T) {
			defer func() {
				msg, _ := recover().(string)
				if !strings.Contains(msg, "gotramp: package fake: cannot relocate") || !strings.Contains(msg, tc.want) {
					t.Errorf("panic %q, want one saying %q", msg, tc.want)
				}
			}()
			RelocateNativeCode("fake", tc.base, tc.l)
		})
	}
}

// BenchmarkRelocateNativeCode747 is the init cost for SQLite's 747 slots:
// two mprotect calls and one add per slot.
func BenchmarkRelocateNativeCode747(b *testing.B) {
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		image, l := fakeImage(b, 747)
		base := uintptr(unsafe.Pointer(&image[0]))
		b.StartTimer()
		RelocateNativeCode("fake", base, l)
	}
}

// writeFaults reports whether storing to p faults.
func writeFaults(p *byte) (faulted bool) {
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	defer func() { faulted = recover() != nil }()
	*p = 1
	return false
}

// mappingOf is the permissions column of /proc/self/maps for addr.
func mappingOf(t *testing.T, addr uintptr) string {
	t.Helper()
	maps, err := os.ReadFile("/proc/self/maps")
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(string(maps), "\n") {
		var lo, hi uintptr
		var perms string
		if _, err := fmt.Sscanf(line, "%x-%x %s", &lo, &hi, &perms); err == nil && addr >= lo && addr < hi {
			return perms
		}
	}
	t.Fatalf("%#x is in no mapping", addr)
	return ""
}
