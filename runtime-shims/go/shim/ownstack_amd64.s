// The fast own-stack entry points (see ownstack.go). Both are frameless
// NOSPLIT leaves of the trampoline (gotrampshim_own_call calls only the
// native code), so no Go code runs between taking a slot and giving it back.

#include "textflag.h"

// gotrampshim_own_acquire takes a free fast own stack: R13 = its top
// (16-byte aligned), BX = the address of its busy word (callee-saved in
// C, so it survives the native call for the release). Clobbers AX, CX and
// the flags; argument registers are loaded after it.
TEXT gotrampshim_own_acquire(SB), NOSPLIT|NOFRAME, $0-0
	MOVQ SP, CX
	SHRQ $12, CX                // start at a slot picked by the goroutine's stack
	LEAQ ·ownBusy(SB), BX

try:
	ANDQ  $63, CX               // OwnSlots - 1
	MOVQ  CX, AX
	SHLQ  $6, AX                // 64 bytes per busy word
	ADDQ  BX, AX
	CMPL  (AX), $0
	JNE   next                  // busy: do not take its cache line exclusive
	MOVL  $1, R13
	XCHGL R13, (AX)             // take it (a locked exchange)
	TESTL R13, R13
	JEQ   got

next:
	INCQ  CX
	PAUSE
	JMP   try

got:
	MOVQ AX, BX
	INCQ CX
	SHLQ $21, CX                // ownSlotShift: top of slot i = base + (i+1) << 21
	MOVQ ·ownBase(SB), R13
	ADDQ CX, R13
	RET

// gotrampshim_own_call calls the native function at R11 with SP = R13,
// keeping Go's SP in R12 (callee-saved in C), then gives the slot at BX
// back (x86-TSO: a plain store is a release). Argument and result
// registers pass through. It is the only code of the path that writes SP
// (SPWRITE): a profiling signal's unwinder stops here, and the GC never
// unwinds a running goroutine.
TEXT gotrampshim_own_call(SB), NOSPLIT|NOFRAME, $0-0
	MOVQ SP, R12
	MOVQ R13, SP
	CALL R11
	MOVQ R12, SP
	MOVL $0, (BX)
	RET

// gotrampshim_own_acquire_call is gotrampshim_own_acquire followed by
// gotrampshim_own_call in one helper, for a call without stack arguments
// (one CALL fewer): the argument registers are loaded and R11 holds the
// native function. Uses BX, R10, R12, R13 and the flags, never an argument
// register (AL included).
TEXT gotrampshim_own_acquire_call(SB), NOSPLIT|NOFRAME, $0-0
	MOVQ SP, R10
	SHRQ $12, R10               // start at a slot picked by the goroutine's stack
	LEAQ ·ownBusy(SB), R12

take:
	ANDQ  $63, R10              // OwnSlots - 1
	MOVQ  R10, BX
	SHLQ  $6, BX                // 64 bytes per busy word
	ADDQ  R12, BX
	CMPL  (BX), $0
	JNE   busy
	MOVL  $1, R13
	XCHGL R13, (BX)
	TESTL R13, R13
	JEQ   taken

busy:
	INCQ  R10
	PAUSE
	JMP   take

taken:
	INCQ R10
	SHLQ $21, R10               // ownSlotShift
	MOVQ ·ownBase(SB), R13
	ADDQ R10, R13
	MOVQ SP, R12
	MOVQ R13, SP
	CALL R11
	MOVQ R12, SP
	MOVL $0, (BX)
	RET

// func ownAcquireRelease() (top, slot uintptr): a round trip through the
// entry points, as an own_stack trampoline does, calling nothing. For the
// tests.
TEXT ·ownAcquireRelease(SB), NOSPLIT, $0-16
	CALL gotrampshim_own_acquire(SB)
	MOVQ R13, top+0(FP)
	MOVQ BX, slot+8(FP)
	MOVL $0, (BX)
	RET

// func ownAcquire() (top, slot uintptr): takes a slot and keeps it. For the
// tests.
TEXT ·ownAcquire(SB), NOSPLIT, $0-16
	CALL gotrampshim_own_acquire(SB)
	MOVQ R13, top+0(FP)
	MOVQ BX, slot+8(FP)
	RET

// Test-only native stand-ins (C ABI, run on an own stack by ownCall).

// gotrampshim_test_spin(n DI) counts AX up to n, pushing and popping on the
// native stack each round: a long call that never reaches Go code.
TEXT gotrampshim_test_spin(SB), NOSPLIT|NOFRAME, $0-0
	XORL AX, AX

spin:
	INCQ  AX
	PUSHQ AX
	POPQ  AX
	CMPQ  AX, DI
	JLT   spin
	RET

// gotrampshim_test_load(p DI) returns *p.
TEXT gotrampshim_test_load(SB), NOSPLIT|NOFRAME, $0-0
	MOVQ (DI), AX
	RET

// gotrampshim_test_overflow(depth DI) stores a word depth bytes below SP,
// as a frame of that size would: past the stack's end, into the guard.
TEXT gotrampshim_test_overflow(SB), NOSPLIT|NOFRAME, $0-0
	MOVQ SP, AX
	SUBQ DI, AX
	MOVQ $1, (AX)
	RET

// func ownCall(fn, arg uintptr) uintptr: fn(arg) on a fast own stack, the
// sequence an own_stack trampoline with stack arguments has.
TEXT ·ownCall(SB), NOSPLIT, $0-24
	CALL gotrampshim_own_acquire(SB)
	MOVQ arg+8(FP), DI
	MOVQ fn+0(FP), R11
	CALL gotrampshim_own_call(SB)
	MOVQ AX, ret+16(FP)
	RET

// func ownCall1(fn, arg uintptr) uintptr: the same through
// gotrampshim_own_acquire_call, as a trampoline without stack arguments.
TEXT ·ownCall1(SB), NOSPLIT, $0-24
	MOVQ arg+8(FP), DI
	MOVQ fn+0(FP), R11
	CALL gotrampshim_own_acquire_call(SB)
	MOVQ AX, ret+16(FP)
	RET

// func testNativePCs() (spin, load, overflow uintptr)
TEXT ·testNativePCs(SB), NOSPLIT, $0-24
	LEAQ gotrampshim_test_spin(SB), AX
	MOVQ AX, spin+0(FP)
	LEAQ gotrampshim_test_load(SB), AX
	MOVQ AX, load+8(FP)
	LEAQ gotrampshim_test_overflow(SB), AX
	MOVQ AX, overflow+16(FP)
	RET
