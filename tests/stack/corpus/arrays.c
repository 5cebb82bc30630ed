// Big local arrays, small leaf arrays (the x86-64 red zone), indexed
// accesses below the stack pointer.
#include "common.h"

NOINLINE uint64_t big4k(uint64_t x) {
  volatile uint8_t a[4096];
  a[0] = (uint8_t)x;
  a[4095] = (uint8_t)(x >> 8);
  a[x & 4095] = 3;
  return a[0] + a[4095] + a[x & 4095];
}
//@ run big4k 1234

NOINLINE uint64_t big64k(uint64_t x) {
  volatile uint8_t a[65536];
  for (unsigned i = 0; i < sizeof a; i += 4096) a[i] = (uint8_t)(i >> 12);
  a[65535] = (uint8_t)x;
  return a[65535] + a[(x & 15) * 4096] + a[0];
}
//@ run big64k 77

NOINLINE uint64_t big_then_call(uint64_t x) {
  volatile uint64_t a[1000];
  for (unsigned i = 0; i < 1000; i += 50) a[i] = x + i;
  return a[950] + big4k(x + a[0]);
}
//@ run big_then_call 3

// A leaf with a small array: clang keeps it in the red zone on x86-64.
NOINLINE uint64_t leaf_small(uint64_t x, uint64_t i) {
  volatile uint32_t a[24];
  for (unsigned k = 0; k < 24; ++k) a[k] = (uint32_t)(x * k);
  return a[i % 24] + a[0] + a[23];
}
//@ run leaf_small 11 7

// Indexed red-zone access (the index is only known at run time).
NOINLINE uint64_t leaf_index(uint64_t x, uint64_t i) {
  volatile uint8_t a[100];
  a[i % 100] = (uint8_t)x;
  a[0] = 1;
  return a[i % 100] + a[0];
}
//@ run leaf_index 5 99
//@ run leaf_index 5 0

// Writes into a caller-provided buffer only: no frame at all.
NOINLINE uint64_t no_frame(uint8_t *p, uint64_t n) {
  uint64_t s = 0;
  for (uint64_t i = 0; i < n; ++i) s += p[i];
  return s;
}
//@ run no_frame buf 100

// Many arguments (stack-passed on both ABIs) and many live values.
NOINLINE uint64_t many_args(uint64_t a, uint64_t b, uint64_t c, uint64_t d,
                            uint64_t e, uint64_t f, uint64_t g, uint64_t h,
                            uint64_t i, uint64_t j) {
  return a * 1 + b * 2 + c * 3 + d * 4 + e * 5 + f * 6 + g * 7 + h * 8 +
         i * 9 + j * 10;
}
NOINLINE uint64_t call_many(uint64_t x) {
  return many_args(x, x + 1, x + 2, x + 3, x + 4, x + 5, x + 6, x + 7, x + 8,
                   x + 9) +
         many_args(1, 2, 3, 4, 5, 6, 7, 8, 9, x);
}
//@ run call_many 10

struct big { uint64_t v[40]; };
NOINLINE struct big make_big(uint64_t x) {
  struct big b;
  for (int i = 0; i < 40; ++i) b.v[i] = x * i;
  TOUCH(&b);
  return b;
}
NOINLINE uint64_t use_big(uint64_t x) {
  struct big b = make_big(x);
  struct big c = make_big(x + 1);
  return b.v[39] + c.v[x % 40];
}
//@ run use_big 4
