/*
 * mathlib: implementation. See mathlib.h for what each function does and which
 * part of the calling convention it exercises.
 *
 * Rules for this file, so that it packs into a static blob:
 *   - no libc calls, and no loops clang would turn into memset/memcpy;
 *   - no writable globals (read-only tables only);
 *   - floating-point products are kept in their own statements, so a compiler
 *     that contracts a*b+c into a fused multiply-add within one expression
 *     (clang's default on targets with FMA) still rounds exactly like the Go
 *     reference implementation.
 */
#include "mathlib.h"

int64_t add_i64(int64_t a, int64_t b) {
	return (int64_t)((uint64_t)a + (uint64_t)b);
}

int64_t widen_sum(int8_t a, uint8_t b, int16_t c, uint16_t d, int32_t e, uint32_t f) {
	return (int64_t)a + (int64_t)b + (int64_t)c + (int64_t)d + (int64_t)e + (int64_t)f;
}

long widen_sum_c(char c, signed char sc, unsigned char uc, short s, int i, unsigned u) {
	return (long)c + (long)sc + (long)uc + (long)s + (long)i + (long)u;
}

int8_t clamp_i8(long x) {
	if (x < -128)
		return -128;
	if (x > 127)
		return 127;
	return (int8_t)x;
}

uint8_t sat_add_u8(uint8_t a, uint8_t b) {
	unsigned s = (unsigned)a + (unsigned)b;
	return s > 255u ? (uint8_t)255u : (uint8_t)s;
}

int16_t mul_q15(int16_t a, int16_t b) {
	int32_t p = (int32_t)a * (int32_t)b; /* at most 2^30: no overflow */
	p = (p + (1 << 14)) >> 15;           /* round to nearest; arithmetic shift */
	if (p > 32767)
		p = 32767; /* only -32768 * -32768 gets here */
	if (p < -32768)
		p = -32768;
	return (int16_t)p;
}

uint16_t rgb565(uint8_t r, uint8_t g, uint8_t b) {
	unsigned r5 = (unsigned)r >> 3;
	unsigned g6 = (unsigned)g >> 2;
	unsigned b5 = (unsigned)b >> 3;
	return (uint16_t)((r5 << 11) | (g6 << 5) | b5);
}

uint32_t rotl_u32(uint32_t x, unsigned n) {
	n &= 31u;
	if (n == 0)
		return x;
	return (x << n) | (x >> (32u - n));
}

/* Read-only lookup table: lands in .rodata and is reached PC-relatively. */
static const char hex_digits[16] = {
	'0', '1', '2', '3', '4', '5', '6', '7',
	'8', '9', 'a', 'b', 'c', 'd', 'e', 'f',
};

char hex_digit(unsigned long x, unsigned nibble) {
	unsigned shift = 4u * (nibble & 15u);
	return hex_digits[(x >> shift) & 15u];
}

uint64_t fib(uint32_t n) {
	if (n < 2)
		return n;
	/* Kept naive on purpose: clang turns one of the two calls into a loop, the
	 * other stays a real recursive call (a call relocation to fib). */
	return fib(n - 1) + fib(n - 2);
}

/* One Collatz step; 0 when 3n+1 would overflow. noinline keeps it a real call. */
static __attribute__((noinline)) uint64_t collatz_next(uint64_t n) {
	if ((n & 1u) == 0)
		return n >> 1;
	if (n > (UINT64_MAX - 1u) / 3u)
		return 0;
	return 3u * n + 1u;
}

int collatz_steps(uint64_t n) {
	int steps = 0;
	if (n == 0)
		return -1;
	while (n != 1) {
		if (steps == 100000)
			return -1;
		n = collatz_next(n);
		if (n == 0)
			return -1;
		steps++;
	}
	return steps;
}

bool in_range(int64_t x, int64_t lo, int64_t hi, bool inclusive) {
	if (inclusive)
		return lo <= x && x <= hi;
	return lo < x && x < hi;
}

int64_t sum_i64(const int64_t *xs, size_t n) {
	uint64_t s = 0;
	for (size_t i = 0; i < n; i++)
		s += (uint64_t)xs[i];
	return (int64_t)s;
}

void minmax_i32(const int32_t *xs, size_t n, int32_t *min_out, int32_t *max_out) {
	if (n == 0)
		return;
	int32_t lo = xs[0];
	int32_t hi = xs[0];
	for (size_t i = 1; i < n; i++) {
		if (xs[i] < lo)
			lo = xs[i];
		if (xs[i] > hi)
			hi = xs[i];
	}
	*min_out = lo;
	*max_out = hi;
}

size_t str_len(const char *s) {
	const char *p = s;
	while (*p != '\0')
		p++;
	return (size_t)(p - s);
}

void *xor_bytes(void *buf, uint8_t key, size_t n) {
	unsigned char *p = (unsigned char *)buf;
	for (size_t i = 0; i < n; i++)
		p[i] = (unsigned char)(p[i] ^ key);
	return buf;
}

uintptr_t align_up(uintptr_t x, size_t align) {
	if (align == 0)
		return x;
	uintptr_t mask = (uintptr_t)align - 1u;
	return (x + mask) & ~mask;
}

double lerp(double a, double b, float t) {
	double d = b - a;
	double m = d * (double)t;
	return a + m;
}

float horner_f32(float x, const float *coeffs, size_t n) {
	float acc = 0.0f;
	for (size_t i = 0; i < n; i++) {
		float m = acc * x;
		acc = m + coeffs[i];
	}
	return acc;
}

double dot4(double x0, double x1, double x2, double x3, double y0, double y1, double y2, double y3) {
	double s = x0 * y0;
	double p1 = x1 * y1;
	double p2 = x2 * y2;
	double p3 = x3 * y3;
	s = s + p1;
	s = s + p2;
	s = s + p3;
	return s;
}

long double mathlib_ld_half(long double x) {
	return x / 2.0L;
}
