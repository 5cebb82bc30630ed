/* e2e.skip_unsupported: two bindable functions around every kind of
 * declaration the generator must skip with a warning naming it. */
#ifndef SKIP_H
#define SKIP_H

#include <stdint.h>

/* Bit-fields have no calling-convention meaning gotramp binds by value. */
struct skip_pair {
  int64_t lo : 40;
  int64_t hi;
};

/** Returns a*1000 + b. Supported. */
int64_t skip_first(int64_t a, int32_t b);

long double skip_long_double(long double x);

int64_t skip_struct_by_value(struct skip_pair p);

int skip_variadic(int n, ...);

__int128 skip_int128(int64_t x);

double skip_complex(_Complex double z);

static int skip_static(int x) { return x + 1; }

int skip_knr();

/** Returns x - y. Supported, declared after every skipped one. */
int64_t skip_last(int64_t x, int64_t y);

#endif
