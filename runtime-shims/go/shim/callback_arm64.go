//go:build linux

package shim

import "encoding/binary"

// writeCallbackStub writes the arm64 stub for one slot: it loads the
// slot's record into X16 and the native entry into X17 from the data page ps
// bytes further on (LDR literal, PC-relative) and branches to X17.
func writeCallbackStub(b []byte, ps uintptr) {
	ldr := func(rt, off uintptr) uint32 { return 0x58000000 | uint32(off/4)<<5 | uint32(rt) }
	binary.LittleEndian.PutUint32(b[0:], ldr(16, ps))   // ldr x16, .+ps      (data word 0)
	binary.LittleEndian.PutUint32(b[4:], ldr(17, ps+4)) // ldr x17, .+ps+4    (data word 1)
	binary.LittleEndian.PutUint32(b[8:], 0xd61f0220)    // br x17
	binary.LittleEndian.PutUint32(b[12:], 0xd4200000)   // brk #0
}

// flushICache makes the stubs written through the data side visible to
// instruction fetch (clean to the point of unification, invalidate the
// instruction cache): implemented in callback_arm64.s.
func flushICache(addr, n uintptr)
