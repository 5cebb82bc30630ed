/*
 * mathlib: the example library bundled with gotramp.
 *
 * Small freestanding C functions chosen so that, together, they exercise every
 * type the generator maps (as parameters and as results) and the parts of the
 * System V x86-64 calling convention a trampoline can get wrong: sign and zero
 * extension of narrow integers, bool, float versus double, integer and
 * floating-point arguments interleaved, all six integer argument registers,
 * all eight vector argument registers, pointers, and void results.
 *
 * The code also covers what the packer and the stack analysis must handle:
 * recursion (a call relocation to a global symbol), a call to a static helper,
 * and a read-only lookup table (.rodata). There are no writable globals and no
 * libc calls: the library is built with -ffreestanding -fno-builtin.
 */
#ifndef MATHLIB_H
#define MATHLIB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/** Version of this example's API; bumped whenever a function changes. */
#define MATHLIB_VERSION 3

/** Largest n for which fib(n) fits in a uint64_t. */
#define MATHLIB_MAX_FIB 93

/** Returns a + b (wrapping on overflow). The trivial function used to measure call overhead. */
int64_t add_i64(int64_t a, int64_t b);

/**
 * Returns a + b + c + d + e + f, each argument widened to 64 bits first.
 * Uses all six integer argument registers; every argument is narrower than its
 * register, so a trampoline that does not sign- or zero-extend gives a wrong sum.
 */
int64_t widen_sum(int8_t a, uint8_t b, int16_t c, uint16_t d, int32_t e, uint32_t f);

/**
 * Same as widen_sum with C's own type names. Plain char is signed on x86-64 and
 * unsigned on arm64 Linux, so c = 0xff adds -1 on the first and 255 on the second.
 */
long widen_sum_c(char c, signed char sc, unsigned char uc, short s, int i, unsigned u);

/** Returns x clamped to [-128, 127]. */
int8_t clamp_i8(long x);

/** Returns a + b, saturating at 255. */
uint8_t sat_add_u8(uint8_t a, uint8_t b);

/** Q15 fixed-point product of a and b, rounded to nearest, saturated to [-32768, 32767]. */
int16_t mul_q15(int16_t a, int16_t b);

/** Packs 8-bit red, green and blue into an RGB565 pixel. */
uint16_t rgb565(uint8_t r, uint8_t g, uint8_t b);

/** Rotates x left by n bits (n is taken modulo 32). */
uint32_t rotl_u32(uint32_t x, unsigned n);

/**
 * Returns the lowercase hex digit ('0'-'9', 'a'-'f') of x's nibble number
 * nibble (0 is the least significant; taken modulo 16). Reads a static const
 * table, so the code references .rodata.
 */
char hex_digit(unsigned long x, unsigned nibble);

/**
 * Returns the n-th Fibonacci number (fib(0) = 0, fib(1) = 1), computed by naive
 * recursion, so the stack depth grows with n. Wraps for n > MATHLIB_MAX_FIB.
 */
uint64_t fib(uint32_t n);

/**
 * Returns how many Collatz steps take n to 1, or -1 when n is 0, a step would
 * overflow 64 bits, or it takes more than 100000 steps. Each step calls a
 * static (non-inlined) helper.
 */
int collatz_steps(uint64_t n);

/** Reports whether lo <= x <= hi (inclusive) or lo < x < hi (!inclusive). */
bool in_range(int64_t x, int64_t lo, int64_t hi, bool inclusive);

/** Returns xs[0] + ... + xs[n-1] (wrapping on overflow); 0 when n is 0. */
int64_t sum_i64(const int64_t *xs, size_t n);

/**
 * Stores the smallest of xs[0..n-1] in *min_out and the largest in *max_out.
 * When n is 0 it stores nothing.
 */
void minmax_i32(const int32_t *xs, size_t n, int32_t *min_out, int32_t *max_out);

/** Returns the number of bytes before the first NUL byte of s. */
size_t str_len(const char *s);

/** XORs each of the n bytes at buf with key, in place, and returns buf. */
void *xor_bytes(void *buf, uint8_t key, size_t n);

/** Rounds x up to a multiple of align, which must be a power of two; align 0 returns x. */
uintptr_t align_up(uintptr_t x, size_t align);

/** Linear interpolation a + (b - a) * t, computed in double. */
double lerp(double a, double b, float t);

/**
 * Evaluates the polynomial coeffs[0]*x^(n-1) + ... + coeffs[n-1] at x by
 * Horner's rule, in float arithmetic; 0 when n is 0.
 */
float horner_f32(float x, const float *coeffs, size_t n);

/** Dot product x0*y0 + x1*y1 + x2*y2 + x3*y3, summed left to right: all eight vector argument registers. */
double dot4(double x0, double x1, double x2, double x3, double y0, double y1, double y2, double y3);

/**
 * Returns x / 2. Deliberately unsupported: long double has no Go type, so the
 * generator must skip this function with a warning naming it.
 */
long double mathlib_ld_half(long double x);

#endif /* MATHLIB_H */
