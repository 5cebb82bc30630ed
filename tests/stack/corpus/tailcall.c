// Tail calls (at -O2/-Os), including conditional ones, into callees with
// frames of different sizes.
#include "common.h"

NOINLINE uint64_t tc_deep(uint64_t x) {
  volatile uint8_t a[3000];
  a[x % 3000] = (uint8_t)x;
  a[0] = 5;
  return a[x % 3000] + a[0];
}
NOINLINE uint64_t tc_shallow(uint64_t x) { return x * 7 + 1; }

NOINLINE uint64_t tc_mid(uint64_t x) {
  volatile uint8_t a[500];
  a[x % 500] = 1;
  if (x > 1000)
    return tc_shallow(x + a[x % 500]);
  return tc_deep(x + a[x % 500]);
}

NOINLINE uint64_t tc_entry(uint64_t x) {
  if (x & 1)
    return tc_deep(x);      // tail call
  return tc_mid(x + 1);     // tail call
}
//@ run tc_entry 1
//@ run tc_entry 2
//@ run tc_entry 2001

NOINLINE uint64_t tc_after_frame(uint64_t x) {
  volatile uint64_t a[64];
  a[x % 64] = x;
  uint64_t y = a[x % 64] + tc_shallow(x);
  return tc_entry(y); // tail call after the frame is released
}
//@ run tc_after_frame 4
