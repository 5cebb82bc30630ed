/* e2e.one_run: every kind of problem gotramp can find, in one header, so one
 * run must report them all and still bind the rest. */
#ifndef ONERUN_H
#define ONERUN_H

#include <stdint.h>

/** Bindable: plain arithmetic. */
int64_t onerun_add(int64_t a, int64_t b);

/** Bindable: calls a static helper. */
int64_t onerun_twice(int64_t x);

/** Calls malloc through two helpers. */
void *onerun_alloc(uint64_t n);

/** Takes the address of a weak symbol nobody defines. */
int onerun_traced(void);

/** Declared, defined nowhere. */
int onerun_missing(int x);

/** Recursive: its stack bound is unknown. */
uint64_t onerun_fib(uint64_t n);

/** long double has no Go equivalent. */
long double onerun_ld(long double x);

/** Bindable, but shares .text with onerun_legacy_free in onerun_legacy.c. */
int64_t onerun_legacy(int64_t x);

/** Calls free; its code shares a section with onerun_legacy. */
void onerun_legacy_free(void *p);

#endif
