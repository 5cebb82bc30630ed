// Deep call chains with a local array per level; every level touches its
// whole array so the frame is really used.
#include "common.h"

#define LEVEL(n, next, size)                                                   \
  NOINLINE uint64_t chain_##n(uint64_t x) {                                    \
    volatile uint8_t a[size];                                                  \
    for (unsigned i = 0; i < size; i += 8) a[i] = (uint8_t)(x + i);            \
    a[size - 1] = (uint8_t)x;                                                  \
    uint64_t r = next(x * 3 + n);                                              \
    return r + a[(x & 1) * 8] + a[size - 1];                                   \
  }

NOINLINE uint64_t chain_end(uint64_t x) { return x ^ 0x9e3779b97f4a7c15ull; }
LEVEL(15, chain_end, 40)
LEVEL(14, chain_15, 100)
LEVEL(13, chain_14, 24)
LEVEL(12, chain_13, 300)
LEVEL(11, chain_12, 64)
LEVEL(10, chain_11, 512)
LEVEL(9, chain_10, 72)
LEVEL(8, chain_9, 128)
LEVEL(7, chain_8, 1000)
LEVEL(6, chain_7, 80)
LEVEL(5, chain_6, 256)
LEVEL(4, chain_5, 96)
LEVEL(3, chain_4, 2048)
LEVEL(2, chain_3, 88)
LEVEL(1, chain_2, 128)
LEVEL(0, chain_1, 200)

//@ run chain_0 5
//@ run chain_8 77
//@ run chain_15 3
//@ run chain_end 1

// Branches of different depth: the bound is the deeper one.
NOINLINE uint64_t wide(uint64_t x) {
  if (x & 1)
    return chain_12(x);
  return chain_3(x) + chain_9(x);
}
//@ run wide 6
//@ run wide 7

// Many small leaf calls at different depths.
NOINLINE uint64_t fan(uint64_t x) {
  uint64_t s = 0;
  for (uint64_t i = 0; i < 4; ++i) {
    volatile uint64_t pad[6];
    pad[i] = chain_end(x + i);
    s += pad[i] + chain_15(i);
  }
  return s;
}
//@ run fan 9
