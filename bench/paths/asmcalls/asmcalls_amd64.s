// The same work as native/calls.c, written directly in Go's ABI0: arguments
// and results on the stack, no frame, no call.

#include "textflag.h"

// func Args0() int64
TEXT ·Args0(SB), NOSPLIT, $0-8
	MOVQ $42, ret+0(FP)
	RET

// func Args1(a int64) int64
TEXT ·Args1(SB), NOSPLIT, $0-16
	MOVQ a+0(FP), AX
	INCQ AX
	MOVQ AX, ret+8(FP)
	RET

// func Args4(a, b, c, d int64) int64
TEXT ·Args4(SB), NOSPLIT, $0-40
	MOVQ a+0(FP), AX
	ADDQ b+8(FP), AX
	ADDQ c+16(FP), AX
	ADDQ d+24(FP), AX
	MOVQ AX, ret+32(FP)
	RET

// func Args6(a, b, c, d, e, f int64) int64
TEXT ·Args6(SB), NOSPLIT, $0-56
	MOVQ a+0(FP), AX
	ADDQ b+8(FP), AX
	ADDQ c+16(FP), AX
	ADDQ d+24(FP), AX
	ADDQ e+32(FP), AX
	ADDQ f+40(FP), AX
	MOVQ AX, ret+48(FP)
	RET

// func Args8(a, b, c, d, e, f, g_, h int64) int64
TEXT ·Args8(SB), NOSPLIT, $0-72
	MOVQ a+0(FP), AX
	ADDQ b+8(FP), AX
	ADDQ c+16(FP), AX
	ADDQ d+24(FP), AX
	ADDQ e+32(FP), AX
	ADDQ f+40(FP), AX
	ADDQ g_+48(FP), AX
	ADDQ h+56(FP), AX
	MOVQ AX, ret+64(FP)
	RET

// func F64x4(a, b, c, d float64) float64
TEXT ·F64x4(SB), NOSPLIT, $0-40
	MOVSD a+0(FP), X0
	ADDSD b+8(FP), X0
	ADDSD c+16(FP), X0
	ADDSD d+24(FP), X0
	MOVSD X0, ret+32(FP)
	RET

// func F64x8(a, b, c, d, e, f, g_, h float64) float64
TEXT ·F64x8(SB), NOSPLIT, $0-72
	MOVSD a+0(FP), X0
	ADDSD b+8(FP), X0
	ADDSD c+16(FP), X0
	ADDSD d+24(FP), X0
	ADDSD e+32(FP), X0
	ADDSD f+40(FP), X0
	ADDSD g_+48(FP), X0
	ADDSD h+56(FP), X0
	MOVSD X0, ret+64(FP)
	RET

// func PtrLen(p *uint8, n uintptr) int64
TEXT ·PtrLen(SB), NOSPLIT, $0-24
	MOVQ n+8(FP), AX
	TESTQ AX, AX
	JEQ empty
	MOVQ p+0(FP), SI
	MOVBQZX (SI), CX
	ADDQ CX, AX
	MOVQ n+8(FP), DX
	MOVBQZX -1(SI)(DX*1), CX
	ADDQ CX, AX
	MOVQ AX, ret+16(FP)
	RET
empty:
	MOVQ $0, ret+16(FP)
	RET

// func Struct16(p Pair) int64
TEXT ·Struct16(SB), NOSPLIT, $0-24
	MOVQ p_X+0(FP), AX
	ADDQ p_Y+8(FP), AX
	MOVQ AX, ret+16(FP)
	RET
