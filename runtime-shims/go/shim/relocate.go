//go:build linux && (amd64 || arm64)

package shim

// # Native code with data
//
// cmd/link drops every relocation inside a .syso of a static binary
// (ARCHITECTURE.md fact 2), so the packer hands it none: native code that
// keeps state or tables of addresses is laid out as one image in the .syso's
// .text — code and read-only data, then relocated read-only data, then
// writable data, each group on pages of its own — and the image's address
// slots hold offsets into the image. Before anything can call in, the
// generated package's init calls RelocateNativeCode: the data pages, mapped
// read+execute like all of the binary's text, become read+write (never
// writable and executable at once), every slot gets the image's run-time
// address added, and the relocated read-only pages become read-only. Only
// the package's own pages change, whatever the link mode: the image and each
// group start, and the image ends, on a page boundary of the size the layout
// was made for (4 KiB). On a kernel with larger pages (arm64 with 16 or 64
// KiB) the data would share a page with code, so init refuses to run there.

import (
	"encoding/binary"
	"os"
	"strconv"
	"syscall"
	"unsafe"
)

// NativeLayout is where an image's groups start, as offsets from its base;
// every one a multiple of PageAlign. Slots are the offsets of the 8-byte
// address slots, each in [RelroOffset, DataEnd).
type NativeLayout struct {
	PageAlign   uintptr
	RelroOffset uintptr
	DataOffset  uintptr
	DataEnd     uintptr
	Slots       []uint32
}

// RelocateNativeCode relocates the image of Go package pkg at base in place.
// It panics, ending the process during init, when the layout cannot hold on
// this machine (a page size larger than the layout's, a misplaced image): the
// native code must never run with unrelocated data.
func RelocateNativeCode(pkg string, base uintptr, l NativeLayout) {
	fail := func(why string, err error) {
		msg := "gotramp: package " + pkg + ": cannot relocate its native code: " + why
		if err != nil {
			msg += ": " + err.Error()
		}
		panic(msg)
	}
	page := uintptr(os.Getpagesize())
	switch {
	case page == 0 || l.PageAlign%page != 0:
		fail("the kernel's page size is "+utoa(page)+" bytes, and the layout keeps the native "+
			"code's data apart from code only on "+utoa(l.PageAlign)+"-byte pages", nil)
	case base%l.PageAlign != 0:
		fail("the image is not placed on a "+utoa(l.PageAlign)+"-byte boundary (the linker ignored "+
			"the .syso's alignment)", nil)
	case l.RelroOffset > l.DataOffset || l.DataOffset > l.DataEnd ||
		l.RelroOffset%l.PageAlign != 0 || l.DataOffset%l.PageAlign != 0 || l.DataEnd%l.PageAlign != 0:
		fail("inconsistent layout", nil)
	}
	// The image is in the binary's text, never in Go's heap: reading the
	// address's bits as a pointer is safe (and what go vet accepts).
	start := base + l.RelroOffset
	pages := unsafe.Slice(*(**byte)(unsafe.Pointer(&start)), l.DataEnd-l.RelroOffset)
	if err := syscall.Mprotect(pages, syscall.PROT_READ|syscall.PROT_WRITE); err != nil {
		fail("mprotect read+write", err)
	}
	for _, off := range l.Slots {
		o := uintptr(off)
		if o < l.RelroOffset || o+8 > l.DataEnd {
			fail("address slot "+utoa(o)+" outside the data pages", nil)
		}
		slot := pages[o-l.RelroOffset : o-l.RelroOffset+8]
		binary.LittleEndian.PutUint64(slot, binary.LittleEndian.Uint64(slot)+uint64(base))
	}
	if l.DataOffset > l.RelroOffset {
		if err := syscall.Mprotect(pages[:l.DataOffset-l.RelroOffset], syscall.PROT_READ); err != nil {
			fail("mprotect read-only", err)
		}
	}
}

func utoa(v uintptr) string { return strconv.FormatUint(uint64(v), 10) }
