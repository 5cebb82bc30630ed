#include "twin.h"

#ifndef TWIN_SEED
#error TWIN_SEED must be defined
#endif

__attribute__((noinline)) static long scale(long x) { return x * TWIN_SEED; }
long tw_value(void) { return TWIN_SEED * 1000 + 7; }
long tw_mix(long x) { return scale(x) + tw_value(); }
