#include "input.h"
int64_t leaf(int64_t x) { return x * 3 + 1; }
__attribute__((noinline)) int64_t big_buffer(int64_t seed) {
  volatile int64_t buf[512];
  for (int i = 0; i < 512; i++) buf[i] = seed + i;
  int64_t s = 0;
  for (int i = 0; i < 512; i++) s += buf[i];
  return s;
}
int64_t chain(int64_t seed) { return big_buffer(seed) + 1; }
int64_t depth(int64_t n) { return n <= 0 ? 0 : 1 + depth(n - 1); }
