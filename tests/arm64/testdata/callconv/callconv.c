/*
 * callconv: see callconv.h. Freestanding: no libc, no stack protector.
 */
#include "callconv.h"

#define FNV_OFFSET 0xcbf29ce484222325ull
#define FNV_PRIME 0x100000001b3ull

/* FNV-1a over the 8 little-endian bytes of each word. */
static uint64_t fold(const uint64_t *w, int n) {
	uint64_t h = FNV_OFFSET;
	for (int i = 0; i < n; i++)
		for (int b = 0; b < 8; b++) {
			h ^= (w[i] >> (8 * b)) & 0xff;
			h *= FNV_PRIME;
		}
	return h;
}

static uint64_t bits32(float f) {
	uint32_t u;
	__builtin_memcpy(&u, &f, sizeof u);
	return u;
}

static uint64_t bits64(double d) {
	uint64_t u;
	__builtin_memcpy(&u, &d, sizeof u);
	return u;
}

/* Signed values are sign-extended to 64 bits, unsigned ones zero-extended;
 * plain char follows the target's signedness. */
#define S(x) ((uint64_t)(int64_t)(x))
#define U(x) ((uint64_t)(x))

uint64_t echo12(uint64_t *out, int8_t a0, uint8_t a1, int16_t a2, uint16_t a3, int32_t a4,
                uint32_t a5, int64_t a6, uint64_t a7, bool a8, float a9, double a10, char a11) {
	out[0] = S(a0);
	out[1] = U(a1);
	out[2] = S(a2);
	out[3] = U(a3);
	out[4] = S(a4);
	out[5] = U(a5);
	out[6] = S(a6);
	out[7] = U(a7);
	out[8] = U(a8);
	out[9] = bits32(a9);
	out[10] = bits64(a10);
	out[11] = S(a11);
	return fold(out, 12);
}

uint64_t echo_mixed20(uint64_t *out, double d0, int8_t i0, float f1, uint16_t i1, double d2,
                      int32_t i2, float f3, uint64_t i3, double d4, bool i4, float f5, int16_t i5,
                      double d6, uint8_t i6, float f7, uint32_t i7, double d8, int64_t i8, float f9,
                      char i9) {
	out[0] = bits64(d0);
	out[1] = S(i0);
	out[2] = bits32(f1);
	out[3] = U(i1);
	out[4] = bits64(d2);
	out[5] = S(i2);
	out[6] = bits32(f3);
	out[7] = U(i3);
	out[8] = bits64(d4);
	out[9] = U(i4);
	out[10] = bits32(f5);
	out[11] = S(i5);
	out[12] = bits64(d6);
	out[13] = U(i6);
	out[14] = bits32(f7);
	out[15] = U(i7);
	out[16] = bits64(d8);
	out[17] = S(i8);
	out[18] = bits32(f9);
	out[19] = S(i9);
	return fold(out, 20);
}

uint64_t echo_narrow_stack(uint64_t *out, int64_t r1, int64_t r2, int64_t r3, int64_t r4,
                           int64_t r5, int64_t r6, int64_t r7, double f0, double f1, double f2,
                           double f3, double f4, double f5, double f6, double f7, int8_t s0,
                           uint8_t s1, int16_t s2, uint16_t s3, int32_t s4, uint32_t s5, bool s6,
                           char s7, float s8, double s9) {
	out[0] = S(r1);
	out[1] = S(r2);
	out[2] = S(r3);
	out[3] = S(r4);
	out[4] = S(r5);
	out[5] = S(r6);
	out[6] = S(r7);
	out[7] = bits64(f0);
	out[8] = bits64(f1);
	out[9] = bits64(f2);
	out[10] = bits64(f3);
	out[11] = bits64(f4);
	out[12] = bits64(f5);
	out[13] = bits64(f6);
	out[14] = bits64(f7);
	out[15] = S(s0);
	out[16] = U(s1);
	out[17] = S(s2);
	out[18] = U(s3);
	out[19] = S(s4);
	out[20] = U(s5);
	out[21] = U(s6);
	out[22] = S(s7);
	out[23] = bits32(s8);
	out[24] = bits64(s9);
	return fold(out, 25);
}

uint64_t nest(uint32_t depth) {
	volatile uint64_t pad[6];
	for (int i = 0; i < 6; i++)
		pad[i] = (uint64_t)depth * 7 + (uint64_t)i;
	uint64_t here = pad[depth % 6];
	if (depth == 0)
		return here;
	/* Not a tail call: the addition comes after the recursive call. */
	return nest(depth - 1) + here;
}

/* Written in assembly so that no compiler-made frame moves the stack
 * pointer before it is read, and so that scribble writes below its own
 * stack pointer without the compiler knowing or caring. */
#if defined(__aarch64__)

__attribute__((naked)) uintptr_t call_sp(void) {
	__asm__ volatile("mov x0, sp\n\t"
	                 "ret");
}

__attribute__((naked)) uintptr_t scribble(size_t bytes, uint8_t pattern) {
	__asm__ volatile("mov x2, sp\n\t"               /* SP at the BL */
	                 "and x1, x1, #0xff\n\t"
	                 "mov x3, #0x0101010101010101\n\t"
	                 "mul x1, x1, x3\n\t"            /* the byte in all 8 lanes */
	                 "sub x3, x2, x0\n\t"            /* lowest byte to write */
	                 "1:\n\t"
	                 "cmp x3, x2\n\t"
	                 "b.hs 2f\n\t"
	                 "str x1, [x3], #8\n\t"
	                 "b 1b\n\t"
	                 "2:\n\t"
	                 "mov x0, x2\n\t"
	                 "ret");
}

#elif defined(__x86_64__)

__attribute__((naked)) uintptr_t call_sp(void) {
	__asm__ volatile("leaq 8(%rsp), %rax\n\t"
	                 "ret");
}

__attribute__((naked)) uintptr_t scribble(size_t bytes, uint8_t pattern) {
	__asm__ volatile("leaq 8(%rsp), %rdx\n\t"        /* SP at the CALL */
	                 "movzbl %sil, %eax\n\t"
	                 "movabsq $0x0101010101010101, %rcx\n\t"
	                 "imulq %rcx, %rax\n\t"          /* the byte in all 8 lanes */
	                 "movq %rdx, %rcx\n\t"
	                 "subq %rdi, %rcx\n\t"           /* lowest byte to write */
	                 "1:\n\t"
	                 "cmpq %rsp, %rcx\n\t"           /* stop below the return address */
	                 "jae 2f\n\t"
	                 "movq %rax, (%rcx)\n\t"
	                 "addq $8, %rcx\n\t"
	                 "jmp 1b\n\t"
	                 "2:\n\t"
	                 "movq %rdx, %rax\n\t"
	                 "ret");
}

#else
#error "callconv.c supports x86-64 and AArch64"
#endif
