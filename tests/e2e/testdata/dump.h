/* e2e.dump_ir: one of each thing the IR records. */
#ifndef DUMP_H
#define DUMP_H

#include <stddef.h>
#include <stdint.h>

/** Version of the dump test header. */
#define DUMP_VERSION 42

/** Colours. */
enum dump_color { DUMP_RED = 1, DUMP_GREEN = 2, DUMP_BLUE = 40 };

/** A byte and a 64-bit value: the value lands at offset 8. */
struct dump_rec {
  char tag;
  int64_t value;
  uint16_t small[3];
};

/** Scales a record. */
int64_t dump_scale(const struct dump_rec *r, double factor);

int dump_printf(const char *fmt, ...);

uint32_t dump_renamed(enum dump_color c) __asm__("dump_renamed_v2");

void dump_void(void);

#endif
