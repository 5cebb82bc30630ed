#include "userlib.h"

int64_t userlib_add(int64_t a, int64_t b) { return a + b; }

uint32_t userlib_fnv1a(const uint8_t *p, size_t n) {
  uint32_t h = 2166136261u;
  for (size_t i = 0; i < n; i++) {
    h ^= p[i];
    h *= 16777619u;
  }
  return h;
}

double userlib_norm2(double x, double y) { return x * x + y * y; }

/* The total number of Collatz steps of 1..limit: a loop the compiler cannot
   fold, long enough to be worth the blocking path. */
uint64_t userlib_collatz_steps(uint64_t limit) {
  uint64_t total = 0;
  for (uint64_t i = 1; i <= limit; i++) {
    uint64_t v = i;
    while (v != 1) {
      v = (v & 1) ? 3 * v + 1 : v / 2;
      total++;
    }
  }
  return total;
}
