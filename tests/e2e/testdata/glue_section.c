/* glue.h with its counter in a writable section of its own: the blob lays
 * out only .data and .bss, so this keeps its relocations and gets the
 * dynamic-import glue. */
#include "glue.h"

__attribute__((section("glue_state"))) int64_t glue_counter = 100;
static uint8_t glue_buffer[8192];

int64_t glue_next(void) { return ++glue_counter; }

void glue_put(size_t i, uint8_t v) { glue_buffer[i % sizeof glue_buffer] = v; }

uint64_t glue_sum(void) {
  uint64_t s = 0;
  for (size_t i = 0; i < sizeof glue_buffer; i++)
    s += glue_buffer[i];
  return s;
}
