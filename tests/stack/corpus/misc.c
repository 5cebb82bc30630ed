// Variadic functions (register save area), floating point, struct copies.
#include "common.h"
#include <stdarg.h>

NOINLINE uint64_t vsum(int n, ...) {
  va_list ap;
  va_start(ap, n);
  uint64_t s = 0;
  for (int i = 0; i < n; ++i) s += va_arg(ap, uint64_t);
  va_end(ap);
  return s;
}
NOINLINE uint64_t call_vsum(uint64_t x) {
  return vsum(5, x, x + 1, x + 2, x + 3, x + 4) + vsum(9, 1ull, 2ull, 3ull, 4ull, 5ull, 6ull, 7ull, 8ull, x);
}
//@ run call_vsum 100

NOINLINE double dpoly(double x, int n) {
  double r = 0, p = 1;
  volatile double coef[16];
  for (int i = 0; i < 16; ++i) coef[i] = 1.0 / (i + 1);
  for (int i = 0; i < n && i < 16; ++i) {
    r += coef[i] * p;
    p *= x;
  }
  return r;
}
NOINLINE uint64_t use_dpoly(uint64_t x) {
  return (uint64_t)(dpoly((double)x / 8.0, 12) * 1000000.0);
}
//@ run use_dpoly 3

struct rec { uint64_t a, b, c, d, e; uint8_t name[64]; };
NOINLINE uint64_t by_value(struct rec r) { return r.a + r.e + r.name[r.b % 64]; }
NOINLINE uint64_t pass_struct(uint64_t x) {
  struct rec r = {x, x + 1, x + 2, x + 3, x + 4, {0}};
  for (int i = 0; i < 64; ++i) r.name[i] = (uint8_t)(i * x);
  return by_value(r) + by_value(r);
}
//@ run pass_struct 6
