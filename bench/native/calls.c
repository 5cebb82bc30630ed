#include "calls.h"

int64_t tb_args0(void) { return 42; }

int64_t tb_args1(int64_t a) { return a + 1; }

int64_t tb_args4(int64_t a, int64_t b, int64_t c, int64_t d) { return a + b + c + d; }

int64_t tb_args6(int64_t a, int64_t b, int64_t c, int64_t d, int64_t e, int64_t f) {
  return a + b + c + d + e + f;
}

int64_t tb_args8(int64_t a, int64_t b, int64_t c, int64_t d, int64_t e, int64_t f, int64_t g,
                 int64_t h) {
  return a + b + c + d + e + f + g + h;
}

double tb_f64x4(double a, double b, double c, double d) { return a + b + c + d; }

double tb_f64x8(double a, double b, double c, double d, double e, double f, double g, double h) {
  return a + b + c + d + e + f + g + h;
}

int64_t tb_ptrlen(const uint8_t *p, size_t n) {
  if (n == 0)
    return 0;
  return (int64_t)n + p[0] + p[n - 1];
}

int64_t tb_struct16(struct tb_pair p) { return p.x + p.y; }
