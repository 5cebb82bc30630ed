// The crash-report signal handler (see fault.go).

#include "textflag.h"

// Frame of the reporting path, from SP up: faultLine's ABI0 arguments (48
// bytes), the registers kept across the call (80), the line buffer
// (faultBufBytes = 64), 8 bytes of padding so SP stays 16-byte aligned.
// The linker checks that this frame plus faultLine's chain fits the
// nosplit budget.
#define ARGS 0
#define SAVE 48
#define BUF 128
#define FRAME 200

// ownRegionBytes (ownstack.go): OwnSlots << ownSlotShift.
#define OWN_REGION 0x8000000
// cbRegionBytes - 1 (callback.go).
#define CB_REGION_MAX 0x7fffffff

// gotrampshim_sighandler(sig DI, info SI, ctx DX) is installed with
// rt_sigaction in front of Go's handler (C ABI, on the gsignal stack, all
// signals blocked). If the faulting PC lies in registered native code, or
// the interrupted SP on a fast own stack, it writes the report line to fd
// 2. On a fast own stack it then ends the process by the signal (see
// ownEnd); otherwise it tail-jumps to Go's handler with the original
// arguments, SP and return address (the kernel's restorer), as if the
// kernel had called it. It touches no g and, outside the reporting path,
// no memory but ownBase, nranges, ranges and oldHandler.
TEXT gotrampshim_sighandler(SB), NOSPLIT|NOFRAME, $0-0
	MOVL DI, DI                 // sig is a C int
	MOVQ 168(DX), AX            // ctx->uc_mcontext.gregs[REG_RIP]
	MOVQ 160(DX), R11           // ctx->uc_mcontext.gregs[REG_RSP]
	MOVQ R11, R10
	SUBQ ·ownBase(SB), R11
	SUBQ ·cbBase(SB), R10
	CMPQ R10, $CB_REGION_MAX
	MOVL $2, R10                // on a callback stack (MOVL keeps the flags)
	JLS  notown                 // sp - cbBase < the region (unsigned)
	XORL R10, R10
	CMPQ R11, $OWN_REGION
	JCC  notown                 // sp - ownBase >= the region (unsigned)
	MOVL $1, R10                // on a fast own stack

notown:
	MOVQ ·nranges(SB), CX       // acquire load (x86-TSO)
	LEAQ ·ranges(SB), R8

scan:
	TESTQ CX, CX
	JZ    unregistered
	DECQ  CX
	MOVQ  CX, R9
	SHLQ  $4, R9
	CMPQ  AX, 0(R8)(R9*1)
	JCS   scan                  // pc < start
	CMPQ  AX, 8(R8)(R9*1)
	JCC   scan                  // pc >= end
	JMP   report

unregistered:
	TESTL R10, R10
	JZ    forward               // neither native code nor an own stack: Go's
	MOVQ  $-1, CX               // no registered range

report:
	// faultLine(buf, sig, info, pc, idx, own) writes the line.
	SUBQ $FRAME, SP
	MOVQ DI, SAVE+0(SP)
	MOVQ SI, SAVE+8(SP)
	MOVQ DX, SAVE+16(SP)
	MOVQ BX, SAVE+24(SP)
	MOVQ BP, SAVE+32(SP)
	MOVQ R12, SAVE+40(SP)
	MOVQ R13, SAVE+48(SP)
	MOVQ R14, SAVE+56(SP)
	MOVQ R15, SAVE+64(SP)
	MOVQ R10, SAVE+72(SP)
	LEAQ BUF(SP), R11
	MOVQ R11, ARGS+0(SP)
	MOVQ DI, ARGS+8(SP)
	MOVQ SI, ARGS+16(SP)
	MOVQ AX, ARGS+24(SP)
	MOVQ CX, ARGS+32(SP)
	MOVQ R10, ARGS+40(SP)
	CALL ·faultLine(SB)
	MOVQ SAVE+0(SP), DI
	MOVQ SAVE+8(SP), SI
	MOVQ SAVE+16(SP), DX
	MOVQ SAVE+24(SP), BX
	MOVQ SAVE+32(SP), BP
	MOVQ SAVE+40(SP), R12
	MOVQ SAVE+48(SP), R13
	MOVQ SAVE+56(SP), R14
	MOVQ SAVE+64(SP), R15
	MOVQ SAVE+72(SP), R10
	ADDQ $FRAME, SP
	TESTL R10, R10
	JNZ   ownEnd

forward:
	LEAQ ·oldHandler(SB), AX
	MOVQ (AX)(DI*8), AX
	JMP  AX

	// A fault with SP on a fast own stack. Go's handler would run Go code
	// (a sigpanic frame) on the native stack, or fault again writing into
	// the guard, so it is not called: the signal's action becomes SIG_DFL,
	// the signal is sent to this thread again (blocked until the handler
	// returns, so a signal another process sent ends the process too), and
	// returning through the kernel's restorer unblocks it: the process dies
	// by the signal, as an uncaught fault does, with a core dump if enabled.
ownEnd:
	MOVQ DI, R12                // sig, callee-saved across the syscalls
	MOVQ $13, AX                // SYS_rt_sigaction(sig, &dflAction, nil, 8)
	LEAQ ·dflAction(SB), SI
	XORL DX, DX
	MOVQ $8, R10
	SYSCALL
	MOVQ $39, AX                // SYS_getpid
	SYSCALL
	MOVQ AX, R13
	MOVQ $186, AX               // SYS_gettid
	SYSCALL
	MOVQ AX, SI
	MOVQ R13, DI
	MOVQ R12, DX
	MOVQ $234, AX               // SYS_tgkill(pid, tid, sig)
	SYSCALL
	RET

// func rawWrite(fd uintptr, p unsafe.Pointer, n uintptr)
TEXT ·rawWrite(SB), NOSPLIT, $0-24
	MOVQ fd+0(FP), DI
	MOVQ p+8(FP), SI
	MOVQ n+16(FP), DX
	MOVQ $1, AX                 // SYS_write
	SYSCALL
	RET

// func sighandlerPC() uintptr
TEXT ·sighandlerPC(SB), NOSPLIT, $0-8
	LEAQ gotrampshim_sighandler(SB), AX
	MOVQ AX, ret+0(FP)
	RET

// func faultLoad(p uintptr) uintptr: returns *p. canary_test.go registers
// it as "native code" and faults in it.
TEXT ·faultLoad(SB), NOSPLIT, $0-16
	MOVQ p+0(FP), AX
	MOVQ (AX), AX
	MOVQ AX, ret+8(FP)
	RET

// func faultLoadPC() uintptr: the address of faultLoad's code.
TEXT ·faultLoadPC(SB), NOSPLIT, $0-8
	LEAQ ·faultLoad(SB), AX
	MOVQ AX, ret+0(FP)
	RET
