// The crash-report signal handler (see fault.go).

#include "textflag.h"

// Frame of the reporting path, from SP up: faultLine's ABI0 arguments (40
// bytes), the registers kept across the call (72), the line buffer
// (faultBufBytes = 128), 8 bytes of padding so SP stays 16-byte aligned.
// The linker checks that this frame plus faultLine's chain fits the
// nosplit budget.
#define ARGS 0
#define SAVE 40
#define BUF 112
#define FRAME 248

// gotrampshim_sighandler(sig DI, info SI, ctx DX) is installed with
// rt_sigaction in front of Go's handler (C ABI, on the gsignal stack, all
// signals blocked). If the faulting PC lies in registered native code it
// writes the report line to fd 2; either way it then tail-jumps to Go's
// handler with the original arguments, SP and return address (the kernel's
// restorer), as if the kernel had called it. It touches no g and, outside
// the reporting path, no memory but nranges, ranges and oldHandler.
TEXT gotrampshim_sighandler(SB), NOSPLIT|NOFRAME, $0-0
	MOVL DI, DI                 // sig is a C int
	MOVQ 168(DX), AX            // ctx->uc_mcontext.gregs[REG_RIP]
	MOVQ ·nranges(SB), CX       // acquire load (x86-TSO)
	LEAQ ·ranges(SB), R8

scan:
	TESTQ CX, CX
	JZ    forward
	DECQ  CX
	MOVQ  CX, R9
	SHLQ  $4, R9
	CMPQ  AX, 0(R8)(R9*1)
	JCS   scan                  // pc < start
	CMPQ  AX, 8(R8)(R9*1)
	JCC   scan                  // pc >= end

	// In native code: faultLine(buf, sig, info, pc, idx) writes the line.
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
	LEAQ BUF(SP), R10
	MOVQ R10, ARGS+0(SP)
	MOVQ DI, ARGS+8(SP)
	MOVQ SI, ARGS+16(SP)
	MOVQ AX, ARGS+24(SP)
	MOVQ CX, ARGS+32(SP)
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
	ADDQ $FRAME, SP

forward:
	LEAQ ·oldHandler(SB), AX
	MOVQ (AX)(DI*8), AX
	JMP  AX

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
