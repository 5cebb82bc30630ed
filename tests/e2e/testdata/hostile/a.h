/* e2e.hostile_io: one of two headers that bind the same object into the
 * same package with different output sets (b.h adds a struct, so its set
 * also has a layout test). */
#ifndef HOSTILE_A_H
#define HOSTILE_A_H

#include <stdint.h>

/** Returns a + b. */
int64_t hostile_add(int64_t a, int64_t b);

#endif
