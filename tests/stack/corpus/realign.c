// Over-aligned locals force a realigned frame (and rsp,-N / and sp,xN,#-N).
#include "common.h"

NOINLINE uint64_t sink(volatile uint8_t *p, uint64_t n) {
  uint64_t s = 0;
  for (uint64_t i = 0; i < n; i += 8) s += p[i];
  return s;
}

NOINLINE uint64_t aligned64(uint64_t x) {
  __attribute__((aligned(64))) volatile uint8_t a[200];
  for (unsigned i = 0; i < 200; i += 8) a[i] = (uint8_t)(x + i);
  return sink(a, 200) + a[(x % 25) * 8];
}
//@ run aligned64 3

NOINLINE uint64_t aligned256(uint64_t x) {
  __attribute__((aligned(256))) volatile uint8_t a[1000];
  for (unsigned i = 0; i < 1000; i += 8) a[i] = (uint8_t)(x ^ i);
  return sink(a, 1000) + aligned64(x);
}
//@ run aligned256 9

NOINLINE uint64_t aligned_leaf(uint64_t x) {
  __attribute__((aligned(128))) volatile uint64_t a[20];
  for (unsigned i = 0; i < 20; ++i) a[i] = x * i;
  return a[x % 20];
}
//@ run aligned_leaf 13

NOINLINE uint64_t aligned4k(uint64_t x) {
  __attribute__((aligned(4096))) volatile uint8_t a[64];
  for (unsigned i = 0; i < 64; ++i) a[i] = (uint8_t)(x + i);
  return sink(a, 64) + a[63];
}
//@ run aligned4k 1
