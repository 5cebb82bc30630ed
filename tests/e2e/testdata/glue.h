/* e2e.dynamic_glue: functions whose definitions (glue_data.c) keep state in
 * writable memory, which the packer cannot pre-link into a read-only blob. */
#ifndef GLUE_H
#define GLUE_H

#include <stddef.h>
#include <stdint.h>

/** Increments the call counter and returns its new value. */
int64_t glue_next(void);

/** Stores v at index i (modulo the buffer size) of a zero-initialised buffer. */
void glue_put(size_t i, uint8_t v);

/** Returns the sum of the buffer's bytes. */
uint64_t glue_sum(void);

#endif
