/* glue.h with writable state: an initialised global counter (.data, reached
 * through the GOT under -fPIC) and a static zero-initialised buffer (.bss). */
#include "glue.h"

int64_t glue_counter = 100;
static uint8_t glue_buffer[8192];

int64_t glue_next(void) { return ++glue_counter; }

void glue_put(size_t i, uint8_t v) { glue_buffer[i % sizeof glue_buffer] = v; }

uint64_t glue_sum(void) {
  uint64_t s = 0;
  for (size_t i = 0; i < sizeof glue_buffer; i++)
    s += glue_buffer[i];
  return s;
}
