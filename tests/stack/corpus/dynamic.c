// alloca and variable-length arrays: dynamic stack adjustment.
#include "common.h"

NOINLINE uint64_t vla(uint64_t n) {
  volatile uint8_t a[n + 1];
  a[0] = (uint8_t)n;
  a[n] = 1;
  return a[0] + a[n];
}
//@ unknown vla dynamic-stack

NOINLINE uint64_t with_alloca(uint64_t n) {
  volatile uint8_t *p = __builtin_alloca(n + 16);
  p[0] = 1;
  p[n] = 2;
  return p[0] + p[n];
}
//@ unknown with_alloca dynamic-stack

// A constant-size alloca: clang folds it into the fixed frame when
// optimising and adjusts SP by a constant at -O0; bounded either way.
NOINLINE uint64_t const_alloca(uint64_t x) {
  volatile uint8_t *p = __builtin_alloca(256);
  p[0] = (uint8_t)x;
  p[255] = 3;
  return p[0] + p[255];
}
//@ maybe const_alloca 8
