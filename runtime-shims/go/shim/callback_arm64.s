// The callback call path (see callback.go and callback_amd64.s).

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

// CallbackFrame (callback.go) at 0: ints[8], floats[8] at 64, stack at
// 128, ret[2] at 136, fret[2] at 152 (168 bytes); then the AAPCS64
// callee-saved registers: X19-X30 at 168 (96 bytes), D8-D15 at 264 (64).
#define F_STACK 128
#define F_RET 136
#define F_FRET 152
#define SAVE_X 168
#define SAVE_D 264
#define FRAME 336

// ownRegionBytes (ownstack.go).
#define OWN_REGION 0x8000000

TEXT gotrampshim_cb_acquire(SB), NOSPLIT|NOFRAME, $0-0
	JMP ·cbAcquire(SB)

TEXT gotrampshim_cb_release(SB), NOSPLIT|NOFRAME, $0-0
	JMP ·cbRelease(SB)

// gotrampshim_cb_call calls the native function at R10 with RSP = R20 (on
// a callback stack from cb_acquire, C's SP at the BL). Before, it writes
// the slot header: g, Go's RSP and frame pointer as offsets from
// g.stack.hi, and the return address into the trampoline; after, it
// recomputes RSP and R29 from the header, because a callback may have
// moved the goroutine stack. Argument and result registers pass through;
// uses R9, R11-R13 and R19 (callee-saved in AAPCS64: the slot's top).
#define CB_CALL(block) \
	MOVD $·cbBase(SB), R9; \
	MOVD (R9), R9; \
	SUB  R9, R20, R11; \
	LSR  $21, R11;  /* ownSlotShift: the slot's index */ \
	ADD  $1, R11; \
	LSL  $21, R11; \
	ADD  R9, R11;  /* the slot's top */ \
	MOVD g, H_G(R11); \
	MOVD 8(g), R12;  /* g.stack.hi */ \
	MOVD RSP, R13; \
	SUB  R13, R12, R13; \
	MOVD R13, H_SPOFF(R11); \
	SUB  R29, R12, R13; \
	MOVD R13, H_FPOFF(R11); \
	MOVD LR, H_LR(R11); \
	MOVD $1, R13; \
	MOVD R13, H_ACTIVE(R11); \
	MOVD $block, R13; \
	MOVD R13, H_BLOCK(R11); \
	MOVD ZR, H_PHASE(R11); \
	MOVD R11, R19; \
	MOVD R20, RSP; \
	CALL (R10); \
	MOVD ZR, H_ACTIVE(R19); \
	MOVD H_G(R19), g; \
	MOVD 8(g), R12;  /* g.stack.hi, maybe moved by a callback */ \
	MOVD H_FPOFF(R19), R13; \
	SUB  R13, R12, R29; \
	MOVD H_SPOFF(R19), R13; \
	SUB  R13, R12, R13; \
	MOVD R13, RSP; \
	MOVD H_LR(R19), LR; \
	RET;

TEXT gotrampshim_cb_call(SB), NOSPLIT|NOFRAME, $0-0
	CB_CALL(0)

// gotrampshim_cbb_call: gotrampshim_cb_call for the blocking_callback path
// (see callback_amd64.s).
TEXT gotrampshim_cbb_call(SB), NOSPLIT|NOFRAME, $0-0
	CB_CALL(1)

// gotrampshim_cb_native is where every callback stub branches, with the
// callback's record in R16 and the C arguments in place (AAPCS64; LR = the
// return address into the native caller).
TEXT gotrampshim_cb_native(SB), NOSPLIT|NOFRAME, $0-0
	MOVD RSP, R9
	MOVD $·cbBase(SB), R10
	MOVD (R10), R10
	SUB  R10, R9, R9
	LSR  $31, R9, R11           // cbRegionBytes = 1 << 31
	CBNZ R11, other             // not on a callback stack
	LSR  $21, R9
	ADD  $1, R9
	LSL  $21, R9
	ADD  R10, R9                // the slot's top
	MOVD H_ACTIVE(R9), R11
	CMP  $1, R11
	BNE  other
	SUB  $FRAME, RSP
	STP  (R0, R1), 0(RSP)
	STP  (R2, R3), 16(RSP)
	STP  (R4, R5), 32(RSP)
	STP  (R6, R7), 48(RSP)
	FSTPD (F0, F1), 64(RSP)
	FSTPD (F2, F3), 80(RSP)
	FSTPD (F4, F5), 96(RSP)
	FSTPD (F6, F7), 112(RSP)
	ADD  $FRAME, RSP, R11       // the caller's stack arguments
	MOVD R11, F_STACK(RSP)
	STP  (ZR, ZR), F_RET(RSP)
	STP  (ZR, ZR), F_FRET(RSP)
	STP  (R19, R20), (SAVE_X+0)(RSP)
	STP  (R21, R22), (SAVE_X+16)(RSP)
	STP  (R23, R24), (SAVE_X+32)(RSP)
	STP  (R25, R26), (SAVE_X+48)(RSP)
	STP  (R27, g), (SAVE_X+64)(RSP)
	STP  (R29, R30), (SAVE_X+80)(RSP)
	FSTPD (F8, F9), (SAVE_D+0)(RSP)
	FSTPD (F10, F11), (SAVE_D+16)(RSP)
	FSTPD (F12, F13), (SAVE_D+32)(RSP)
	FSTPD (F14, F15), (SAVE_D+48)(RSP)
	MOVD RSP, R11
	MOVD R11, H_FRAME(R9)
	MOVD R16, H_REC(R9)         // for a panic barrier's message (CallbackBarrier)
	MOVD H_G(R9), g
	MOVD 8(g), R12              // g.stack.hi
	MOVD H_FPOFF(R9), R13
	SUB  R13, R12, R29
	MOVD H_SPOFF(R9), R13
	SUB  R13, R12, R13
	MOVD H_LR(R9), LR           // as if the trampoline had called cb_go
	MOVD R9, R19
	MOVD R16, R20
	MOVD R13, RSP               // the goroutine stack, right below the trampoline's frame
	JMP  gotrampshim_cb_go(SB)

other:
	// Not on an active callback stack: no Go code can run here. Say why
	// and exit (raw write and exit_group).
	MOVD RSP, R9
	MOVD $·ownBase(SB), R10
	MOVD (R10), R10
	SUB  R10, R9, R9
	MOVD $·cbMsgOther(SB), R12
	MOVD $OWN_REGION, R10
	CMP  R10, R9
	BHS  write
	MOVD $·cbMsgOwn(SB), R12

write:
	MOVD $2, R0
	MOVD 0(R12), R1
	MOVD 8(R12), R2
	MOVD $64, R8                // SYS_write
	SVC
	MOVD $2, R0
	MOVD $94, R8                // SYS_exit_group
	SVC
	BRK

// gotrampshim_cb_go runs on the goroutine stack with R19 = the slot's top
// and R20 = the callback's record; LR is the return address into the
// trampoline. To the unwinder it is a function the trampoline called.
TEXT gotrampshim_cb_go(SB), NOSPLIT, $40-0
	NO_LOCAL_POINTERS
	MOVD R19, 24(RSP)
	MOVD R20, 32(RSP)
	MOVD H_BLOCK(R19), R0
	CBZ  R0, running
	// blocking_callback: out of syscall state first (see callback_amd64.s).
	CALL runtime·exitsyscall(SB)
	MOVD 24(RSP), R19

running:
	MOVD 32(RSP), R20
	MOVD R20, 8(RSP)
	MOVD H_FRAME(R19), R0
	MOVD R0, 16(RSP)
	CALL ·cbDispatch(SB)
	MOVD 24(RSP), R19
	MOVD H_BLOCK(R19), R0
	CBZ  R0, back
	// The trampoline's frame pointer, which entersyscall records.
	MOVD H_G(R19), R0
	MOVD 8(R0), R0              // g.stack.hi
	MOVD H_FPOFF(R19), R1
	SUB  R1, R0, R29
	JMP  gotrampshim_cbb_reenter(SB)

back:
	// The native caller's R29, restored here rather than in cb_back: go
	// vet's framepointer check flags an R29 write in a frameless function.
	MOVD H_FRAME(R19), R0
	MOVD (SAVE_X+80)(R0), R29
	JMP  gotrampshim_cb_back(SB)

// gotrampshim_cb_back returns from the callback to the native caller:
// R19 = the slot's top, R29 already the caller's.
TEXT gotrampshim_cb_back(SB), NOSPLIT|NOFRAME, $0-0
	MOVD H_FRAME(R19), R9
	MOVD R9, RSP
	LDP  F_RET(RSP), (R0, R1)
	FLDPD F_FRET(RSP), (F0, F1)
	LDP  (SAVE_X+0)(RSP), (R19, R20)
	LDP  (SAVE_X+16)(RSP), (R21, R22)
	LDP  (SAVE_X+32)(RSP), (R23, R24)
	LDP  (SAVE_X+48)(RSP), (R25, R26)
	LDP  (SAVE_X+64)(RSP), (R27, g)
	MOVD (SAVE_X+88)(RSP), R30
	FLDPD (SAVE_D+0)(RSP), (F8, F9)
	FLDPD (SAVE_D+16)(RSP), (F10, F11)
	FLDPD (SAVE_D+32)(RSP), (F12, F13)
	FLDPD (SAVE_D+48)(RSP), (F14, F15)
	ADD  $FRAME, RSP
	RET

// gotrampshim_cbb_reenter: back into syscall state after a callback on
// the blocking_callback path (R19 = the slot's top, R29 the trampoline's):
// RSP at the trampoline's SP and LR at its return address, then a tail
// jump to runtime·entersyscall, which records the trampoline's frame and
// "returns" into it (see callback_amd64.s).
TEXT gotrampshim_cbb_reenter(SB), NOSPLIT|NOFRAME, $0-0
	MOVD $1, R0
	MOVD R0, H_PHASE(R19)
	MOVD H_G(R19), R0
	MOVD 8(R0), R0              // g.stack.hi
	MOVD H_SPOFF(R19), R1
	SUB  R1, R0, R0
	MOVD H_LR(R19), LR
	MOVD R0, RSP
	JMP  runtime·entersyscall(SB)

// gotrampshim_cbb_resume: see callback_amd64.s. The return address for the
// next callback stays in the header (H_LR).
TEXT gotrampshim_cbb_resume(SB), NOSPLIT|NOFRAME, $0-0
	MOVD 8(RSP), R19            // the trampoline's 8(RSP): the native stack's top
	ADD  $80, R19               // cbHeaderBytes: the slot's top
	MOVD H_PHASE(R19), R9       // R0, R1, F0, F1 hold the results: untouched
	CMP  $1, R9
	BEQ  native
	RET

native:
	MOVD ZR, H_PHASE(R19)
	MOVD H_FRAME(R19), R9
	MOVD (SAVE_X+80)(R9), R29   // the native caller's
	JMP  gotrampshim_cb_back(SB)

// func cbCurrentG() uintptr
TEXT ·cbCurrentG(SB), NOSPLIT, $0-8
	MOVD g, R0
	MOVD R0, ret+0(FP)
	RET

// func cbNativePC() uintptr
TEXT ·cbNativePC(SB), NOSPLIT, $0-8
	MOVD $gotrampshim_cb_native(SB), R0
	MOVD R0, ret+0(FP)
	RET

// func flushICache(addr, n uintptr)
TEXT ·flushICache(SB), NOSPLIT, $0-16
	MOVD addr+0(FP), R0
	MOVD n+8(FP), R1
	ADD  R0, R1, R1             // end
	MRS  CTR_EL0, R2
	UBFX $16, R2, $4, R3        // DminLine: log2 of words
	MOVD $4, R4
	LSL  R3, R4, R3             // data line bytes
	AND  $15, R2, R5            // IminLine
	LSL  R5, R4, R5             // instruction line bytes
	SUB  $1, R3, R6
	BIC  R6, R0, R7

dline:
	WORD $0xd50b7b27            // dc cvau, x7
	ADD  R3, R7
	CMP  R1, R7
	BLO  dline
	WORD $0xd5033b9f            // dsb ish
	SUB  $1, R5, R6
	BIC  R6, R0, R7

iline:
	WORD $0xd50b7527            // ic ivau, x7
	ADD  R5, R7
	CMP  R1, R7
	BLO  iline
	WORD $0xd5033b9f            // dsb ish
	WORD $0xd5033fdf            // isb
	RET

// Test-only pieces (callback_test.go).

// The test's native functions move RSP with plain MOVDs: that makes them
// SPWRITE, so that a profiling signal's unwinder stops in them as it
// stops at real native code (which has no Go unwind tables at all).

// gotrampshim_test_cb1(fn X0, x X1): native code (AAPCS64) returning
// fn(x) + 1.
TEXT gotrampshim_test_cb1(SB), NOSPLIT|NOFRAME, $0-0
	MOVD RSP, R9
	SUB  $16, R9
	MOVD R9, RSP
	STP  (R29, R30), 0(RSP)
	MOVD R0, R9
	MOVD R1, R0
	CALL (R9)
	ADD  $1, R0
	LDP  0(RSP), (R29, R30)
	MOVD RSP, R9
	ADD  $16, R9
	MOVD R9, RSP
	RET

// func testCallbackCallAsm(fn, cb, x uintptr) uintptr: see callback_amd64.s.
TEXT ·testCallbackCallAsm(SB), $16-32
	NO_LOCAL_POINTERS
	CALL gotrampshim_cb_acquire(SB)
	MOVD cb+8(FP), R0
	MOVD x+16(FP), R1
	MOVD 8(RSP), R20
	MOVD fn+0(FP), R10
	CALL gotrampshim_cb_call(SB)
	MOVD R0, ret+24(FP)
	CALL gotrampshim_cb_release(SB)
	RET

// func testOwnCallbackCall(fn, cb, x uintptr) uintptr
TEXT ·testOwnCallbackCall(SB), NOSPLIT, $0-32
	CALL gotrampshim_own_acquire(SB)
	MOVD cb+8(FP), R0
	MOVD x+16(FP), R1
	MOVD fn+0(FP), R10
	CALL gotrampshim_own_call(SB)
	MOVD R0, ret+24(FP)
	RET

// func testDirectCallbackCall(fn, cb, x uintptr) uintptr
TEXT ·testDirectCallbackCall(SB), NOSPLIT, $0-32
	MOVD cb+8(FP), R0
	MOVD x+16(FP), R1
	MOVD fn+0(FP), R10
	CALL (R10)
	MOVD R0, ret+24(FP)
	RET

// func testCallbackNativePC() uintptr
TEXT ·testCallbackNativePC(SB), NOSPLIT, $0-8
	MOVD $gotrampshim_test_cb1(SB), R0
	MOVD R0, ret+0(FP)
	RET

// func testGStack() (lo, hi uintptr): g's first two words.
TEXT ·testGStack(SB), NOSPLIT, $0-16
	MOVD 0(g), R0
	MOVD R0, lo+0(FP)
	MOVD 8(g), R0
	MOVD R0, hi+8(FP)
	RET

// gotrampshim_test_cbn(fn X0, n X1): native code (AAPCS64) returning the
// sum of fn(i) for i < n.
TEXT gotrampshim_test_cbn(SB), NOSPLIT|NOFRAME, $0-0
	MOVD  RSP, R9
	SUB   $48, R9
	MOVD  R9, RSP
	STP   (R29, R30), 0(RSP)
	STP   (R19, R20), 16(RSP)
	STP   (R21, R22), 32(RSP)
	MOVD  R0, R19
	MOVD  R1, R20
	MOVD  ZR, R21               // i
	MOVD  ZR, R22               // sum

loop:
	CMP  R20, R21
	BGE  done
	MOVD R21, R0
	CALL (R19)
	ADD  R0, R22
	ADD  $1, R21
	B    loop

done:
	MOVD  R22, R0
	LDP   16(RSP), (R19, R20)
	LDP   32(RSP), (R21, R22)
	LDP   0(RSP), (R29, R30)
	MOVD  RSP, R9
	ADD   $48, R9
	MOVD  R9, RSP
	RET

// func testCallbackLoopPC() uintptr
TEXT ·testCallbackLoopPC(SB), NOSPLIT, $0-8
	MOVD $gotrampshim_test_cbn(SB), R0
	MOVD R0, ret+0(FP)
	RET

// func testBlockingCallbackCallAsm(fn, cb, x uintptr) uintptr: see
// callback_amd64.s.
TEXT ·testBlockingCallbackCallAsm(SB), $16-32
	NO_LOCAL_POINTERS
	CALL gotrampshim_cb_acquire(SB)
	CALL gotrampshim_entersyscall(SB)
	MOVD cb+8(FP), R0
	MOVD x+16(FP), R1
	MOVD 8(RSP), R20
	MOVD fn+0(FP), R10
	CALL gotrampshim_cbb_call(SB)
	CALL gotrampshim_cbb_resume(SB)
	MOVD R0, ret+24(FP)
	CALL gotrampshim_exitsyscall(SB)
	CALL gotrampshim_cb_release(SB)
	RET
