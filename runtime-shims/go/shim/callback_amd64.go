//go:build linux

package shim

import "encoding/binary"

// writeCallbackStub writes the amd64 stub for one slot: it loads the
// slot's record and the native entry from the data page ps bytes further on
// (RIP-relative) and jumps to the entry with the id in R11.
func writeCallbackStub(b []byte, ps uintptr) {
	// movq ps-7(%rip), %r11: the data slot's first word (disp from the
	// end of this 7-byte instruction).
	b[0], b[1], b[2] = 0x4c, 0x8b, 0x1d
	binary.LittleEndian.PutUint32(b[3:], uint32(ps-7))
	// jmpq *ps+8-13(%rip): the data slot's second word.
	b[7], b[8] = 0xff, 0x25
	binary.LittleEndian.PutUint32(b[9:], uint32(ps+8-13))
	b[13], b[14], b[15] = 0xcc, 0xcc, 0xcc // int3
}

// flushICache: x86 keeps instruction fetch coherent with stores.
func flushICache(addr, n uintptr) {}
