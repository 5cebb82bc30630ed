// The entry points generated trampolines call (see the package comment in
// shim.go). Each is a frameless tail jump, so the function it reaches sees
// the trampoline as its caller: its return address, its SP, and its
// arguments and results at 0(SP) of the trampoline's frame.

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

// gotrampshim_call_on_stack calls the native function at R11 with SP = R13
// (16-byte aligned, C's SP at the CALL), keeping Go's SP in R12 (callee-saved
// in C); argument registers pass through untouched. It is the only code of
// the blocking and own-stack paths that writes SP, which makes it SPWRITE:
// it must never be a non-innermost frame when the GC unwinds the stack, and
// it is not (a goroutine in syscall state is scanned from the trampoline's
// saved frame; nothing here calls Go). A signal landing here is handled on
// the gsignal stack; tracebacks stop at this frame.
TEXT gotrampshim_call_on_stack(SB), NOSPLIT|NOFRAME, $0-0
	MOVQ SP, R12
	MOVQ R13, SP
	CALL R11
	MOVQ R12, SP
	RET

// func enterExit(): entersyscall then exitsyscall from one frame, as a
// blocking trampoline does. For canary_test.go.
TEXT ·enterExit(SB), $0-0
	CALL gotrampshim_entersyscall(SB)
	CALL gotrampshim_exitsyscall(SB)
	RET

// func acquireRelease() uintptr: a stack round trip through the entry
// points, as an own-stack trampoline does; returns the top it got.
TEXT ·acquireRelease(SB), $8-8
	CALL gotrampshim_stack_acquire(SB)
	MOVQ 0(SP), AX
	MOVQ AX, ret+0(FP)
	CALL gotrampshim_stack_release(SB)
	RET
