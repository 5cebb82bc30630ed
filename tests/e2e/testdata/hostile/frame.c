#include "frame.h"

/* 64 locals on the stack: a bound of about 520 bytes on both targets. */
int64_t frame_deep(int64_t x) {
  volatile int64_t buf[64];
  for (int i = 0; i < 64; i++)
    buf[i] = x + i;
  return buf[x & 63];
}

int64_t frame_leaf(int64_t x) { return x + 1; }
