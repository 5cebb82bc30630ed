// The crash-report signal handler (see fault.go).

#include "textflag.h"

// Frame of the reporting path, from RSP up: 8 bytes Go's ABI0 leaves free
// at 0(RSP), faultLine's arguments (48), the registers kept across the
// call (120), the line buffer (faultBufBytes = 64): 240 bytes, so RSP
// stays 16-byte aligned (the kernel enforces SP alignment). The linker
// checks that this frame plus faultLine's chain fits the nosplit budget.
#define ARGS 8
#define SAVE 56
#define BUF 176
#define FRAME 240

// ownRegionBytes (ownstack.go): OwnSlots << ownSlotShift.
#define OWN_REGION 0x8000000

// gotrampshim_sighandler(sig R0, info R1, ctx R2) is installed with
// rt_sigaction in front of Go's handler (C ABI, on the gsignal stack, all
// signals blocked, LR = the kernel's sigreturn trampoline). If the faulting
// PC lies in registered native code, or the interrupted SP on a fast own
// stack, it writes the report line to fd 2. On a fast own stack it then
// ends the process by the signal (ownEnd, see fault_amd64.s); otherwise it
// tail-jumps to Go's handler with the original arguments, RSP and LR, as
// if the kernel had called it. R28 (g) is never written. Outside the
// reporting path it reads only ownBase, nranges, ranges and oldHandler.
TEXT gotrampshim_sighandler(SB), NOSPLIT|NOFRAME, $0-0
	MOVWU R0, R0                // sig is a C int
	MOVD  440(R2), R3           // ctx->uc_mcontext.pc
	MOVD  432(R2), R9           // ctx->uc_mcontext.sp
	MOVD  $·ownBase(SB), R10
	MOVD  (R10), R10
	SUB   R10, R9, R9
	MOVD  $OWN_REGION, R10
	CMP   R10, R9
	CSET  LO, R10               // 1: sp - ownBase < the region (unsigned), a fast own stack
	MOVD  432(R2), R11          // ctx->uc_mcontext.sp
	MOVD  $·cbBase(SB), R12
	MOVD  (R12), R12
	SUB   R12, R11, R11
	LSR   $31, R11, R11         // cbRegionBytes = 1 << 31
	CBNZ  R11, notcb
	MOVD  $2, R10               // 2: on a callback stack

notcb:
	MOVD  $·nranges(SB), R4
	LDAR  (R4), R4              // acquire: pairs with RegisterNativeCode's atomic store
	MOVD  $·ranges(SB), R5

scan:
	CBZ  R4, unregistered
	SUB  $1, R4
	ADD  R4<<4, R5, R6
	MOVD 0(R6), R7
	CMP  R7, R3
	BLO  scan                   // pc < start
	MOVD 8(R6), R7
	CMP  R7, R3
	BHS  scan                   // pc >= end
	B    report

unregistered:
	CBZ  R10, forward           // neither native code nor an own stack: Go's
	MOVD $-1, R4                // no registered range

report:
	// faultLine(buf, sig, info, pc, idx, own) writes the line.
	SUB  $FRAME, RSP
	MOVD R0, SAVE+0(RSP)
	MOVD R1, SAVE+8(RSP)
	MOVD R2, SAVE+16(RSP)
	MOVD R30, SAVE+24(RSP)
	MOVD R19, SAVE+32(RSP)
	MOVD R20, SAVE+40(RSP)
	MOVD R21, SAVE+48(RSP)
	MOVD R22, SAVE+56(RSP)
	MOVD R23, SAVE+64(RSP)
	MOVD R24, SAVE+72(RSP)
	MOVD R25, SAVE+80(RSP)
	MOVD R26, SAVE+88(RSP)
	MOVD R27, SAVE+96(RSP)
	MOVD R29, SAVE+104(RSP)
	MOVD R10, SAVE+112(RSP)
	ADD  $BUF, RSP, R8
	MOVD R8, ARGS+0(RSP)
	MOVD R0, ARGS+8(RSP)
	MOVD R1, ARGS+16(RSP)
	MOVD R3, ARGS+24(RSP)
	MOVD R4, ARGS+32(RSP)
	MOVD R10, ARGS+40(RSP)
	CALL ·faultLine(SB)
	MOVD SAVE+0(RSP), R0
	MOVD SAVE+8(RSP), R1
	MOVD SAVE+16(RSP), R2
	MOVD SAVE+24(RSP), R30
	MOVD SAVE+32(RSP), R19
	MOVD SAVE+40(RSP), R20
	MOVD SAVE+48(RSP), R21
	MOVD SAVE+56(RSP), R22
	MOVD SAVE+64(RSP), R23
	MOVD SAVE+72(RSP), R24
	MOVD SAVE+80(RSP), R25
	MOVD SAVE+88(RSP), R26
	MOVD SAVE+96(RSP), R27
	MOVD SAVE+104(RSP), R29
	MOVD SAVE+112(RSP), R10
	ADD  $FRAME, RSP
	CBNZ R10, ownEnd

forward:
	MOVD $·oldHandler(SB), R5
	MOVD (R5)(R0<<3), R5
	JMP  (R5)

	// A fault with SP on a fast own stack: SIG_DFL, re-raise, return through
	// the kernel's sigreturn trampoline (LR). See fault_amd64.s.
ownEnd:
	MOVD R0, R19                // sig, callee-saved across the syscalls
	MOVD $·dflAction(SB), R1    // rt_sigaction(sig, &dflAction, nil, 8)
	MOVD $0, R2
	MOVD $8, R3
	MOVD $134, R8               // SYS_rt_sigaction
	SVC
	MOVD $172, R8               // SYS_getpid
	SVC
	MOVD R0, R20
	MOVD $178, R8               // SYS_gettid
	SVC
	MOVD R0, R1
	MOVD R20, R0
	MOVD R19, R2
	MOVD $131, R8               // SYS_tgkill(pid, tid, sig)
	SVC
	RET

// func rawWrite(fd uintptr, p unsafe.Pointer, n uintptr)
TEXT ·rawWrite(SB), NOSPLIT, $0-24
	MOVD fd+0(FP), R0
	MOVD p+8(FP), R1
	MOVD n+16(FP), R2
	MOVD $64, R8                // SYS_write
	SVC
	RET

// func sighandlerPC() uintptr
TEXT ·sighandlerPC(SB), NOSPLIT, $0-8
	MOVD $gotrampshim_sighandler(SB), R0
	MOVD R0, ret+0(FP)
	RET

// func faultLoad(p uintptr) uintptr: see fault_amd64.s.
TEXT ·faultLoad(SB), NOSPLIT, $0-16
	MOVD p+0(FP), R0
	MOVD (R0), R0
	MOVD R0, ret+8(FP)
	RET

// func faultLoadPC() uintptr: see fault_amd64.s.
TEXT ·faultLoadPC(SB), NOSPLIT, $0-8
	MOVD $·faultLoad(SB), R0
	MOVD R0, ret+0(FP)
	RET
