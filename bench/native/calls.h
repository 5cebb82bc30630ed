/* Functions that measure the cost of a call, not of the work: each does one
 * or two arithmetic operations on its arguments. Every call path in bench/
 * (gotramp, cgo, purego, hand-written assembly, pure Go) binds or reimplements
 * exactly these, so the benchmarks differ only in how the call is made. */
#ifndef GOTRAMP_BENCH_CALLS_H
#define GOTRAMP_BENCH_CALLS_H

#include <stddef.h>
#include <stdint.h>

/** Returns 42. No arguments. */
int64_t tb_args0(void);

/** Returns a + 1. One integer argument. */
int64_t tb_args1(int64_t a);

/** Returns a + b + c + d. Four integer arguments. */
int64_t tb_args4(int64_t a, int64_t b, int64_t c, int64_t d);

/** Returns a + ... + f. Six integer arguments: every System V integer argument register. */
int64_t tb_args6(int64_t a, int64_t b, int64_t c, int64_t d, int64_t e, int64_t f);

/** Returns a + ... + h. Eight integer arguments: the last two go on the C stack. */
int64_t tb_args8(int64_t a, int64_t b, int64_t c, int64_t d, int64_t e, int64_t f, int64_t g,
                 int64_t h);

/** Returns a + b + c + d, left to right. Four double arguments. */
double tb_f64x4(double a, double b, double c, double d);

/** Returns a + ... + h, left to right. Eight double arguments: every SSE argument register. */
double tb_f64x8(double a, double b, double c, double d, double e, double f, double g, double h);

/** Returns n + p[0] + p[n-1], or 0 when n is 0. A pointer and a length. */
int64_t tb_ptrlen(const uint8_t *p, size_t n);

/** Two 64-bit integers, passed by value in two registers by the C ABI. */
struct tb_pair {
  int64_t x;
  int64_t y;
};

/** Returns p.x + p.y. A 16-byte struct passed by value. */
int64_t tb_struct16(struct tb_pair p);

#endif
