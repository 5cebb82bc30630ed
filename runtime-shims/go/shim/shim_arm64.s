// The entry points generated trampolines call (see the package comment in
// shim.go). Each is a frameless tail jump: LR still holds the return
// address into the trampoline, so the function it reaches sees the
// trampoline as its caller, and its arguments and results at 8(RSP) of the
// trampoline's frame.

#include "textflag.h"

// runtime·entersyscall is push-linknamed by the runtime (fact 5): allowed,
// and tested by canary_test.go.
TEXT gotrampshim_entersyscall(SB), NOSPLIT|NOFRAME, $0-0
	JMP runtime·entersyscall(SB)

// runtime·exitsyscall: as above.
TEXT gotrampshim_exitsyscall(SB), NOSPLIT|NOFRAME, $0-0
	JMP runtime·exitsyscall(SB)

TEXT gotrampshim_stack_acquire(SB), NOSPLIT|NOFRAME, $0-0
	JMP ·acquireStack(SB)

TEXT gotrampshim_stack_release(SB), NOSPLIT|NOFRAME, $0-0
	JMP ·releaseStack(SB)

// gotrampshim_call_on_stack calls the native function at R10 with RSP = R20
// (16-byte aligned, C's SP at the BL), keeping Go's RSP in R19 and the
// return address in R21 (both callee-saved in AAPCS64); argument registers
// pass through untouched. It is the only code of the blocking and own-stack
// paths that writes RSP, which makes it SPWRITE: it must never be a
// non-innermost frame when the GC unwinds the stack, and it is not (a
// goroutine in syscall state is scanned from the trampoline's saved frame;
// nothing here calls Go). R28 (g) is left alone for the signal handler.
TEXT gotrampshim_call_on_stack(SB), NOSPLIT|NOFRAME, $0-0
	MOVD RSP, R19
	MOVD LR, R21
	MOVD R20, RSP
	CALL (R10)
	MOVD R19, RSP
	JMP (R21)

// func enterExit(): see shim_amd64.s.
TEXT ·enterExit(SB), $0-0
	CALL gotrampshim_entersyscall(SB)
	CALL gotrampshim_exitsyscall(SB)
	RET

// func acquireRelease() uintptr: see shim_amd64.s.
TEXT ·acquireRelease(SB), $16-8
	CALL gotrampshim_stack_acquire(SB)
	MOVD 8(RSP), R0
	MOVD R0, ret+0(FP)
	CALL gotrampshim_stack_release(SB)
	RET
