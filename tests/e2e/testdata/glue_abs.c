/* glue.h with an absolute address in code, as hand-written assembly has:
 * the packer relocates data pages at init but never code pages, so this
 * keeps its relocations and gets the dynamic-import glue. */
#include "glue.h"

int64_t glue_counter = 100;
static uint8_t glue_buffer[8192];

int64_t glue_next(void) {
  int64_t *p;
  __asm__("movabsq $glue_counter, %0" : "=r"(p));
  return ++*p;
}

void glue_put(size_t i, uint8_t v) { glue_buffer[i % sizeof glue_buffer] = v; }

uint64_t glue_sum(void) {
  uint64_t s = 0;
  for (size_t i = 0; i < sizeof glue_buffer; i++)
    s += glue_buffer[i];
  return s;
}
