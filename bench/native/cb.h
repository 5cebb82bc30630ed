/* Functions that measure the cost of a callback from C into Go: the native
 * code calls a function pointer that each call path makes from a Go function
 * (cgo //export, purego.NewCallback, gotramp's generated constructor), so the
 * benchmarks differ only in how C reaches Go and back. */
#ifndef GOTRAMP_BENCH_CB_H
#define GOTRAMP_BENCH_CB_H

#include <stdint.h>

/** What the Go side provides: every path's Go function returns x + 1. */
typedef int64_t (*tb_cb_fn)(int64_t x);

/** Returns fn(0) + fn(1) + ... + fn(n - 1), calling fn n times; 0 when n <= 0.
 * One call with a large n measures the round trip C -> Go -> C alone. */
int64_t tb_cb_call_n(tb_cb_fn fn, int64_t n);

/** Returns fn(x): one outer call from Go with one round trip inside. */
int64_t tb_cb_call1(tb_cb_fn fn, int64_t x);

#endif
