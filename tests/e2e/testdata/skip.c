/* Definitions for skip.h: the skipped functions exist in the object too, so
 * they are skipped for their signatures, not for a missing symbol. */
#include "skip.h"

int64_t skip_first(int64_t a, int32_t b) { return a * 1000 + b; }

long double skip_long_double(long double x) { return x / 2; }

int64_t skip_struct_by_value(struct skip_pair p) { return p.hi - p.lo; }

int skip_variadic(int n, ...) { return n; }

__int128 skip_int128(int64_t x) { return (__int128)x << 64; }

double skip_complex(_Complex double z) { return __real__ z; }

int skip_knr() { return skip_static(41); }

int64_t skip_last(int64_t x, int64_t y) { return x - y; }
