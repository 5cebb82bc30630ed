// Dense switches compile to jump tables: the bound must cover every case.
#include "common.h"

NOINLINE uint64_t sw_small(uint64_t x) { return x * 3; }
NOINLINE uint64_t sw_big(uint64_t x) {
  volatile uint8_t a[1500];
  a[x % 1500] = 4;
  return a[x % 1500] + x;
}
NOINLINE uint64_t sw_mid(uint64_t x) {
  volatile uint8_t a[300];
  a[x % 300] = 2;
  return a[x % 300] + x;
}

NOINLINE uint64_t dispatch(uint64_t op, uint64_t x) {
  switch (op) {
  case 0: return sw_small(x) + 1;
  case 1: return sw_mid(x) * 3;
  case 2: return x ^ 0x55;
  case 3: return sw_small(x + 2) - 7;
  case 4: return sw_big(x) + 11;
  case 5: return x << 3;
  case 6: return sw_mid(x + 5) + 1;
  case 7: return x - 99;
  case 8: return sw_small(x) * sw_small(x + 1);
  case 9: return x * x;
  case 10: return sw_mid(x) ^ 1;
  case 11: return x + 1234;
  case 12: return sw_small(x * 5);
  case 13: return x | 0xf0;
  case 14: return sw_mid(x * 7) + 2;
  case 15: return x & 0x0f;
  case 16: return sw_small(x) + sw_mid(x);
  case 17: return x / 3;
  default: return 0;
  }
}
//@ run dispatch 4 10
//@ run dispatch 1 10
//@ run dispatch 9 10
//@ run dispatch 100 10

// Byte-sized cases with fallthrough (like xxhash's finalisers).
NOINLINE uint64_t fallthrough(const uint8_t *p, uint64_t n) {
  uint64_t h = 0;
  switch (n & 15) {
  case 15: h += (uint64_t)p[14] << 48; /* fall through */
  case 14: h += (uint64_t)p[13] << 40; /* fall through */
  case 13: h += (uint64_t)p[12] << 32; /* fall through */
  case 12: h += sw_small(p[11]);       /* fall through */
  case 11: h += (uint64_t)p[10] << 16; /* fall through */
  case 10: h += (uint64_t)p[9] << 8;   /* fall through */
  case 9: h += p[8];                   /* fall through */
  case 8: h ^= sw_big(p[7]);           /* fall through */
  case 7: h += p[6];                   /* fall through */
  case 6: h += p[5];                   /* fall through */
  case 5: h += p[4];                   /* fall through */
  case 4: h += p[3];                   /* fall through */
  case 3: h += p[2];                   /* fall through */
  case 2: h += p[1];                   /* fall through */
  case 1: h += p[0]; break;
  default: h = 1;
  }
  return h;
}
//@ run fallthrough buf 15
//@ run fallthrough buf 3
