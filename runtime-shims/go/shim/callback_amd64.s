// The callback call path (see callback.go).

#include "textflag.h"
#include "funcdata.h"

// Slot header offsets below a callback stack's top (callback.go).
#define H_REC -72
#define H_G -64
#define H_SPOFF -56
#define H_FPOFF -48
#define H_FRAME -40
#define H_ACTIVE -32
#define H_LR -24
#define H_BLOCK -16
#define H_PHASE -8

// CallbackFrame (callback.go): ints[8] at 0, floats[8] at 64, stack at
// 128, ret[2] at 136, fret[2] at 152 (168 bytes); then the six C
// callee-saved registers (48 bytes), which with the return address keeps
// SP 16-byte aligned.
#define F_FLOATS 64
#define F_STACK 128
#define F_RET 136
#define F_FRET 152
#define FRAME 168
#define SAVE 168
#define SAVE_BYTES 48

// cbRegionBytes - 1 (callback.go): CbSlots << ownSlotShift, minus one.
#define CB_REGION_MAX 0x7fffffff
// ownRegionBytes (ownstack.go).
#define OWN_REGION 0x8000000

TEXT gotrampshim_cb_acquire(SB), NOSPLIT|NOFRAME, $0-0
	JMP ·cbAcquire(SB)

TEXT gotrampshim_cb_release(SB), NOSPLIT|NOFRAME, $0-0
	JMP ·cbRelease(SB)

// gotrampshim_cb_call calls the native function at R11 with SP = R13 (on
// a callback stack from cb_acquire, C's SP at the CALL). Before, it writes
// the slot header: g, and Go's SP (here, pointing at the return address
// into the trampoline) and BP as offsets from g.stack.hi, so that a
// callback can find the place even after the stack moved. After, it
// recomputes SP and BP the same way, for the same reason. Argument and
// result registers pass through (AL included); uses R10, R12 (callee-saved
// in C: it keeps the slot's top) and R14.
#define CB_CALL(block) \
	MOVQ R13, R10; \
	SUBQ ·cbBase(SB), R10; \
	SHRQ $21, R10;  /* ownSlotShift: the slot's index */ \
	INCQ R10; \
	SHLQ $21, R10; \
	ADDQ ·cbBase(SB), R10;  /* the slot's top */ \
	MOVQ (TLS), R12;  /* g */ \
	MOVQ R12, H_G(R10); \
	MOVQ 8(R12), R12;  /* g.stack.hi */ \
	MOVQ R12, R14; \
	SUBQ SP, R14; \
	MOVQ R14, H_SPOFF(R10); \
	MOVQ R12, R14; \
	SUBQ BP, R14; \
	MOVQ R14, H_FPOFF(R10); \
	MOVQ $1, H_ACTIVE(R10); \
	MOVQ $block, H_BLOCK(R10); \
	MOVQ $0, H_PHASE(R10); \
	MOVQ 0(SP), R14; \
	MOVQ R14, H_LR(R10);       /* the return address into the trampoline */ \
	MOVQ R10, R12; \
	MOVQ R13, SP; \
	CALL R11; \
	MOVQ $0, H_ACTIVE(R12); \
	MOVQ H_G(R12), R14; \
	MOVQ 8(R14), R14;  /* g.stack.hi, maybe moved by a callback */ \
	MOVQ R14, BP; \
	SUBQ H_FPOFF(R12), BP; \
	SUBQ H_SPOFF(R12), R14; \
	MOVQ R14, SP; \
	RET;

TEXT gotrampshim_cb_call(SB), NOSPLIT|NOFRAME, $0-0
	CB_CALL(0)

// gotrampshim_cbb_call is gotrampshim_cb_call for the blocking_callback
// path: the trampoline entered syscall state before it, and a callback
// leaves and re-enters it (gotrampshim_cb_go, gotrampshim_cbb_reenter).
TEXT gotrampshim_cbb_call(SB), NOSPLIT|NOFRAME, $0-0
	CB_CALL(1)

// gotrampshim_cb_native is where every callback stub jumps, with the
// callback's record in R11 and the C arguments in place (C ABI; SP at the
// return address into the native caller).
TEXT gotrampshim_cb_native(SB), NOSPLIT|NOFRAME, $0-0
	MOVQ SP, R10
	SUBQ ·cbBase(SB), R10
	CMPQ R10, $CB_REGION_MAX
	JHI  other                  // not on a callback stack (unsigned)
	SHRQ $21, R10
	INCQ R10
	SHLQ $21, R10
	ADDQ ·cbBase(SB), R10       // the slot's top
	CMPQ H_ACTIVE(R10), $1
	JNE  other
	SUBQ $(FRAME+SAVE_BYTES), SP
	MOVQ BP, (SAVE+40)(SP)
	MOVQ BX, (SAVE+8)(SP)
	MOVQ R12, (SAVE+16)(SP)
	MOVQ R13, (SAVE+24)(SP)
	MOVQ R14, (SAVE+32)(SP)
	MOVQ R15, (SAVE+0)(SP)
	MOVQ DI, 0(SP)
	MOVQ SI, 8(SP)
	MOVQ DX, 16(SP)
	MOVQ CX, 24(SP)
	MOVQ R8, 32(SP)
	MOVQ R9, 40(SP)
	MOVQ X0, (F_FLOATS+0)(SP)
	MOVQ X1, (F_FLOATS+8)(SP)
	MOVQ X2, (F_FLOATS+16)(SP)
	MOVQ X3, (F_FLOATS+24)(SP)
	MOVQ X4, (F_FLOATS+32)(SP)
	MOVQ X5, (F_FLOATS+40)(SP)
	MOVQ X6, (F_FLOATS+48)(SP)
	MOVQ X7, (F_FLOATS+56)(SP)
	LEAQ (FRAME+56)(SP), R12    // above the saved registers and the return address
	MOVQ R12, F_STACK(SP)
	MOVQ $0, F_RET(SP)
	MOVQ $0, (F_RET+8)(SP)
	MOVQ $0, F_FRET(SP)
	MOVQ $0, (F_FRET+8)(SP)
	MOVQ SP, H_FRAME(R10)
	MOVQ R11, H_REC(R10)        // for a panic barrier's message (CallbackBarrier)
	MOVQ H_G(R10), R12
	MOVQ 8(R12), R12            // g.stack.hi
	MOVQ R12, BP
	SUBQ H_FPOFF(R10), BP
	SUBQ H_SPOFF(R10), R12
	MOVQ R12, SP                // the goroutine stack, at the return address into the trampoline
	JMP  gotrampshim_cb_go(SB)

other:
	// Not on an active callback stack: no Go code can run here. Say why
	// and exit (a raw write and exit_group; SP is some native stack).
	MOVQ SP, R10
	SUBQ ·ownBase(SB), R10
	LEAQ ·cbMsgOther(SB), R12
	CMPQ R10, $OWN_REGION
	JCC  write
	LEAQ ·cbMsgOwn(SB), R12

write:
	MOVQ $1, AX                 // SYS_write
	MOVQ $2, DI
	MOVQ 0(R12), SI
	MOVQ 8(R12), DX
	SYSCALL
	MOVQ $231, AX               // SYS_exit_group
	MOVQ $2, DI
	SYSCALL
	INT  $3

// gotrampshim_cb_go runs on the goroutine stack with R10 = the slot's top
// and R11 = the callback's record. To the unwinder it is a function the
// trampoline called (its return address is the one into the trampoline,
// and it writes no SP), so the stack can be scanned, copied and traced
// while Go code runs above it.
TEXT gotrampshim_cb_go(SB), NOSPLIT, $24-0
	NO_LOCAL_POINTERS
	MOVQ R10, 16(SP)
	MOVQ R11, 8(SP)
	CMPQ H_BLOCK(R10), $0
	JEQ  running
	// blocking_callback: out of syscall state first. This frame lies below
	// the trampoline's, where entersyscall recorded the goroutine's SP, so
	// exitsyscall accepts it; it may wait for a P.
	CALL runtime·exitsyscall(SB)
	MOVQ 16(SP), R10
	MOVQ 8(SP), R11

running:
	MOVQ R11, 0(SP)
	MOVQ H_FRAME(R10), AX
	MOVQ AX, 8(SP)
	CALL ·cbDispatch(SB)
	MOVQ 16(SP), R10
	CMPQ H_BLOCK(R10), $0
	JEQ  back
	// The trampoline's BP, which entersyscall records (set here rather
	// than in cbb_reenter for go vet's framepointer check, as below).
	MOVQ H_G(R10), R12
	MOVQ 8(R12), BP             // g.stack.hi
	SUBQ H_FPOFF(R10), BP
	JMP  gotrampshim_cbb_reenter(SB)

back:
	// The native caller's BP, restored here rather than in cb_back: go
	// vet's framepointer check flags a BP write in a frameless function.
	MOVQ H_FRAME(R10), AX
	MOVQ (SAVE+40)(AX), BP
	JMP  gotrampshim_cb_back(SB)

// gotrampshim_cb_back returns from the callback to the native caller:
// R10 = the slot's top, BP already the caller's.
TEXT gotrampshim_cb_back(SB), NOSPLIT|NOFRAME, $0-0
	MOVQ H_FRAME(R10), SP
	MOVQ F_RET(SP), AX
	MOVQ (F_RET+8)(SP), DX
	MOVQ F_FRET(SP), X0
	MOVQ (F_FRET+8)(SP), X1
	MOVQ (SAVE+8)(SP), BX
	MOVQ (SAVE+16)(SP), R12
	MOVQ (SAVE+24)(SP), R13
	MOVQ (SAVE+32)(SP), R14
	MOVQ (SAVE+0)(SP), R15
	LEAQ (FRAME+SAVE_BYTES)(SP), SP
	RET

// gotrampshim_cbb_reenter puts the goroutine back into syscall state after
// a callback on the blocking_callback path (R10 = the slot's top, BP the
// trampoline's): with SP
// back at the trampoline's return address, it tail-jumps to
// runtime·entersyscall, which so records the trampoline's own frame
// (the same SP as the trampoline's first entersyscall, a PC inside it),
// the frame the GC scans from and the trampoline's final exitsyscall
// checks. entersyscall "returns" into the trampoline right after its CALL
// of gotrampshim_cbb_call, where CALL gotrampshim_cbb_resume takes the
// native code back up.
TEXT gotrampshim_cbb_reenter(SB), NOSPLIT|NOFRAME, $0-0
	MOVQ $1, H_PHASE(R10)
	MOVQ H_G(R10), R12
	MOVQ 8(R12), R12            // g.stack.hi
	SUBQ H_SPOFF(R10), R12
	MOVQ R12, SP
	JMP  runtime·entersyscall(SB)

// gotrampshim_cbb_resume follows every CALL gotrampshim_cbb_call in a
// blocking_callback trampoline. After the native code returned it returns
// at once (result registers untouched). After a callback's re-entry into
// syscall state (H_PHASE 1) it returns to the native code instead: it puts
// the return address into the trampoline back where the next callback's
// frame expects it and leaves through gotrampshim_cb_back.
TEXT gotrampshim_cbb_resume(SB), NOSPLIT|NOFRAME, $0-0
	MOVQ 8(SP), R10             // the trampoline's 0(SP): the native stack's top
	ADDQ $80, R10               // cbHeaderBytes: the slot's top
	CMPQ H_PHASE(R10), $1
	JEQ  native
	RET

native:
	MOVQ $0, H_PHASE(R10)
	MOVQ H_LR(R10), R12
	MOVQ R12, 0(SP)             // the return address of gotrampshim_cbb_call again
	MOVQ H_FRAME(R10), R12
	MOVQ (SAVE+40)(R12), BP     // the native caller's
	JMP  gotrampshim_cb_back(SB)

// func cbCurrentG() uintptr
TEXT ·cbCurrentG(SB), NOSPLIT, $0-8
	MOVQ (TLS), AX
	MOVQ AX, ret+0(FP)
	RET

// func cbNativePC() uintptr
TEXT ·cbNativePC(SB), NOSPLIT, $0-8
	LEAQ gotrampshim_cb_native(SB), AX
	MOVQ AX, ret+0(FP)
	RET

// Test-only pieces (callback_test.go).

// gotrampshim_test_cb1(fn DI, x SI): native code (C ABI) that returns
// fn(x) + 1, keeping x in a callee-saved register across the call.
TEXT gotrampshim_test_cb1(SB), NOSPLIT|NOFRAME, $0-0
	PUSHQ BX
	MOVQ  SI, BX
	MOVQ  DI, AX
	MOVQ  SI, DI
	CALL  AX
	ADDQ  $1, AX
	POPQ  BX
	RET

// func testCallbackCallAsm(fn, cb, x uintptr) uintptr: a callback-path
// trampoline calling native fn(cb, x), as generated code does.
TEXT ·testCallbackCallAsm(SB), $8-32
	NO_LOCAL_POINTERS
	CALL gotrampshim_cb_acquire(SB)
	MOVQ cb+8(FP), DI
	MOVQ x+16(FP), SI
	MOVQ 0(SP), R13
	MOVQ fn+0(FP), R11
	CALL gotrampshim_cb_call(SB)
	MOVQ AX, ret+24(FP)
	CALL gotrampshim_cb_release(SB)
	RET

// func testOwnCallbackCall(fn, cb, x uintptr) uintptr: native fn(cb, x)
// on the own_stack path, where a callback must end the process.
TEXT ·testOwnCallbackCall(SB), NOSPLIT, $0-32
	CALL gotrampshim_own_acquire(SB)
	MOVQ cb+8(FP), DI
	MOVQ x+16(FP), SI
	MOVQ fn+0(FP), R11
	CALL gotrampshim_own_call(SB)
	MOVQ AX, ret+24(FP)
	RET

// func testDirectCallbackCall(fn, cb, x uintptr) uintptr: native fn(cb, x)
// on the goroutine stack (the direct path).
TEXT ·testDirectCallbackCall(SB), NOSPLIT, $0-32
	MOVQ cb+8(FP), DI
	MOVQ x+16(FP), SI
	MOVQ fn+0(FP), R11
	MOVQ SP, R12
	ANDQ $~15, SP
	CALL R11
	MOVQ R12, SP
	MOVQ AX, ret+24(FP)
	RET

// func testCallbackNativePC() uintptr
TEXT ·testCallbackNativePC(SB), NOSPLIT, $0-8
	LEAQ gotrampshim_test_cb1(SB), AX
	MOVQ AX, ret+0(FP)
	RET

// func testGStack() (lo, hi uintptr): g's first two words.
TEXT ·testGStack(SB), NOSPLIT, $0-16
	MOVQ (TLS), AX
	MOVQ 0(AX), BX
	MOVQ BX, lo+0(FP)
	MOVQ 8(AX), BX
	MOVQ BX, hi+8(FP)
	RET

// gotrampshim_test_cbn(fn DI, n SI): native code returning the sum of
// fn(i) for i < n, for the benchmark of a callback in a native loop.
TEXT gotrampshim_test_cbn(SB), NOSPLIT|NOFRAME, $0-0
	PUSHQ BX
	PUSHQ R12
	PUSHQ R13
	MOVQ  DI, R12
	MOVQ  SI, R13
	XORL  BX, BX
	XORL  AX, AX
	PUSHQ AX                    // sum, keeps SP 16-byte aligned at the CALL

loop:
	CMPQ BX, R13
	JGE  done
	MOVQ BX, DI
	CALL R12
	ADDQ AX, 0(SP)
	INCQ BX
	JMP  loop

done:
	POPQ  AX
	POPQ  R13
	POPQ  R12
	POPQ  BX
	RET

// func testCallbackLoopPC() uintptr
TEXT ·testCallbackLoopPC(SB), NOSPLIT, $0-8
	LEAQ gotrampshim_test_cbn(SB), AX
	MOVQ AX, ret+0(FP)
	RET

// func testBlockingCallbackCallAsm(fn, cb, x uintptr) uintptr: the same on the
// blocking_callback path, as generated code does.
TEXT ·testBlockingCallbackCallAsm(SB), $8-32
	NO_LOCAL_POINTERS
	CALL gotrampshim_cb_acquire(SB)
	CALL gotrampshim_entersyscall(SB)
	MOVQ cb+8(FP), DI
	MOVQ x+16(FP), SI
	MOVQ 0(SP), R13
	MOVQ fn+0(FP), R11
	CALL gotrampshim_cbb_call(SB)
	CALL gotrampshim_cbb_resume(SB)
	MOVQ AX, ret+24(FP)
	CALL gotrampshim_exitsyscall(SB)
	CALL gotrampshim_cb_release(SB)
	RET
