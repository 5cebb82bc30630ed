/* e2e.hostile_io: the other header (see a.h). */
#ifndef HOSTILE_B_H
#define HOSTILE_B_H

#include <stdint.h>

struct hostile_pair {
  int64_t lo;
  int64_t hi;
};

/** Returns a + b, from b.h. */
int64_t hostile_add(int64_t a, int64_t b);

/** Returns p.lo + p.hi. */
int64_t hostile_sum_pair(struct hostile_pair p);

#endif
