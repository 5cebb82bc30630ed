/* e2e.callbacks: native code that calls Go callbacks (issue 19). */
#include <stddef.h>
#include <stdint.h>

/* A comparator, as qsort takes it. */
typedef int (*cb_cmp_fn)(const void *a, const void *b);
typedef int64_t (*cb_int_fn)(int64_t x);
/* Every argument kind, and more integer arguments than registers on both
   targets (amd64 passes 4 of them on the stack, arm64 2). */
typedef double (*cb_mix_fn)(int8_t a, uint16_t b, int32_t c, int64_t d, const char *s, void *p,
                            int64_t g, int64_t h, int64_t i, uint8_t j, float x, double y);
typedef float (*cb_float_fn)(float x);
typedef int8_t (*cb_small_fn)(int8_t x);
typedef void (*cb_visit_fn)(void *ctx, int32_t value);

/* Sorts n elements of size bytes with cmp (a shell sort: freestanding). */
void cb_sort(void *base, size_t n, size_t size, cb_cmp_fn cmp);
/* fn(x) */
int64_t cb_apply(cb_int_fn fn, int64_t x);
/* The sum of fn(i) for 0 <= i < n. */
int64_t cb_sum(cb_int_fn fn, int64_t n);
/* fn with fixed arguments (see callbacks.c); returns its result. */
double cb_mix(cb_mix_fn fn, const char *s, void *p);
/* fn(x) * 2, computed in float. */
float cb_float(cb_float_fn fn, float x);
/* 1 if fn(x) comes back sign-extended as C expects, 0 if not. */
int32_t cb_small(cb_small_fn fn, int8_t x);
/* fn(ctx, i) for 0 <= i < n. */
void cb_visit(cb_visit_fn fn, void *ctx, int32_t n);

/* Keeps fn for cb_invoke (the SQLite pattern: register now, call later). */
void cb_register(cb_int_fn fn);
/* The registered function of x: the config puts it on the callback path. */
int64_t cb_invoke(int64_t x);
/* The same on the direct and the own_stack path (the config says so): a
   callback from either ends the process with a message. */
int64_t cb_invoke_direct(int64_t x);
int64_t cb_invoke_own(int64_t x);
