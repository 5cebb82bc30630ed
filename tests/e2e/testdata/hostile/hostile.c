/* e2e.hostile_io: the native code both headers of this folder bind. */
#include "b.h"

int64_t hostile_add(int64_t a, int64_t b) { return a + b; }

int64_t hostile_sum_pair(struct hostile_pair p) { return p.lo + p.hi; }
