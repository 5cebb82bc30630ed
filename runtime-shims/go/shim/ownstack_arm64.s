// The fast own-stack entry points (see ownstack.go and ownstack_amd64.s).
// ARMv8.0 (Go's arm64 baseline): exclusive pairs, no LSE atomics.

#include "textflag.h"

// gotrampshim_own_acquire takes a free fast own stack: R20 = its top
// (16-byte aligned), R22 = the address of its busy word (both callee-saved
// in AAPCS64). Clobbers R3-R6 and the flags; argument registers are
// loaded after it. A leaf: LR still holds the return into the trampoline.
TEXT gotrampshim_own_acquire(SB), NOSPLIT|NOFRAME, $0-0
	MOVD  RSP, R3
	LSR   $12, R3               // start at a slot picked by the goroutine's stack
	MOVD  $·ownBusy(SB), R4

try:
	AND    $63, R3              // OwnSlots - 1
	ADD    R3<<6, R4, R22       // 64 bytes per busy word
	LDAXRW (R22), R5            // acquire: the stack's previous user is done with it
	CBNZW  R5, next
	MOVW   $1, R5
	STXRW  R5, (R22), R6
	CBNZW  R6, try              // lost the reservation: try the same slot again
	ADD    $1, R3
	LSL    $21, R3              // ownSlotShift: top of slot i = base + (i+1) << 21
	MOVD   $·ownBase(SB), R4
	MOVD   (R4), R20
	ADD    R3, R20
	RET

next:
	CLREX
	ADD   $1, R3
	YIELD
	B     try

// gotrampshim_own_call calls the native function at R10 with RSP = R20,
// keeping Go's RSP in R19 and the return address in R21 (callee-saved in
// AAPCS64), then gives the slot at R22 back with a release store.
// Argument and result registers pass through; R28 (g) is never touched.
// SPWRITE, as in ownstack_amd64.s.
TEXT gotrampshim_own_call(SB), NOSPLIT|NOFRAME, $0-0
	MOVD  RSP, R19
	MOVD  LR, R21
	MOVD  R20, RSP
	CALL  (R10)
	MOVD  R19, RSP
	STLRW ZR, (R22)
	JMP   (R21)

// gotrampshim_own_acquire_call is gotrampshim_own_acquire followed by
// gotrampshim_own_call in one helper, for a call without stack arguments:
// the argument registers (R0-R7, F0-F7, R8) are loaded and R10 holds the
// native function. Uses R11-R14 and R19-R22, never an argument register.
TEXT gotrampshim_own_acquire_call(SB), NOSPLIT|NOFRAME, $0-0
	MOVD RSP, R11
	LSR  $12, R11               // start at a slot picked by the goroutine's stack
	MOVD $·ownBusy(SB), R12

take:
	AND    $63, R11             // OwnSlots - 1
	ADD    R11<<6, R12, R22     // 64 bytes per busy word
	LDAXRW (R22), R13
	CBNZW  R13, busy
	MOVW   $1, R13
	STXRW  R13, (R22), R14
	CBNZW  R14, take
	ADD    $1, R11
	LSL    $21, R11             // ownSlotShift
	MOVD   $·ownBase(SB), R12
	MOVD   (R12), R20
	ADD    R11, R20
	MOVD   RSP, R19
	MOVD   LR, R21
	MOVD   R20, RSP
	CALL   (R10)
	MOVD   R19, RSP
	STLRW  ZR, (R22)
	JMP    (R21)

busy:
	CLREX
	ADD   $1, R11
	YIELD
	B     take

// func ownAcquireRelease() (top, slot uintptr): see ownstack_amd64.s.
TEXT ·ownAcquireRelease(SB), NOSPLIT, $0-16
	CALL  gotrampshim_own_acquire(SB)
	MOVD  R20, top+0(FP)
	MOVD  R22, slot+8(FP)
	STLRW ZR, (R22)
	RET

// func ownAcquire() (top, slot uintptr): see ownstack_amd64.s.
TEXT ·ownAcquire(SB), NOSPLIT, $0-16
	CALL gotrampshim_own_acquire(SB)
	MOVD R20, top+0(FP)
	MOVD R22, slot+8(FP)
	RET

// Test-only native stand-ins (C ABI, run on an own stack by ownCall).

// gotrampshim_test_spin(n R0) counts up to n, storing and reloading on the
// native stack each round: a long call that never reaches Go code.
TEXT gotrampshim_test_spin(SB), NOSPLIT|NOFRAME, $0-0
	MOVD ZR, R1

spin:
	ADD  $1, R1
	MOVD R1, -16(RSP)
	MOVD -16(RSP), R1
	CMP  R0, R1
	BLT  spin
	MOVD R1, R0
	RET

// gotrampshim_test_load(p R0) returns *p.
TEXT gotrampshim_test_load(SB), NOSPLIT|NOFRAME, $0-0
	MOVD (R0), R0
	RET

// gotrampshim_test_overflow(depth R0) stores a word depth bytes below RSP,
// as a frame of that size would: past the stack's end, into the guard.
TEXT gotrampshim_test_overflow(SB), NOSPLIT|NOFRAME, $0-0
	MOVD RSP, R1
	SUB  R0, R1, R1
	MOVD $1, R2
	MOVD R2, (R1)
	RET

// func ownCall(fn, arg uintptr) uintptr: see ownstack_amd64.s.
TEXT ·ownCall(SB), NOSPLIT, $0-24
	CALL gotrampshim_own_acquire(SB)
	MOVD arg+8(FP), R0
	MOVD fn+0(FP), R10
	CALL gotrampshim_own_call(SB)
	MOVD R0, ret+16(FP)
	RET

// func ownCall1(fn, arg uintptr) uintptr: see ownstack_amd64.s.
TEXT ·ownCall1(SB), NOSPLIT, $0-24
	MOVD arg+8(FP), R0
	MOVD fn+0(FP), R10
	CALL gotrampshim_own_acquire_call(SB)
	MOVD R0, ret+16(FP)
	RET

// func testNativePCs() (spin, load, overflow uintptr)
TEXT ·testNativePCs(SB), NOSPLIT, $0-24
	MOVD $gotrampshim_test_spin(SB), R0
	MOVD R0, spin+0(FP)
	MOVD $gotrampshim_test_load(SB), R0
	MOVD R0, load+8(FP)
	MOVD $gotrampshim_test_overflow(SB), R0
	MOVD R0, overflow+16(FP)
	RET
