#include "input.h"

int64_t add(int64_t a, int64_t b) { return a + b; }

int64_t wait_sum(const int64_t *xs, size_t n) {
  int64_t s = 0;
  for (size_t i = 0; i < n; i++)
    s += xs[i];
  return s;
}

double mix(int64_t a, int64_t b, int64_t c, int64_t d, int64_t e, int64_t f, int64_t g,
           int64_t h, int64_t i, int64_t j, double x) {
  return (double)(a + b + c + d + e + f + g + h + i + j) * x;
}

int64_t depth(int64_t n) { return n <= 0 ? 0 : 1 + depth(n - 1) * 2; }

double mix_wait(int64_t a, int64_t b, int64_t c, int64_t d, int64_t e, int64_t f, int64_t g,
                int64_t h, int64_t i, int64_t j, double x) {
  return (double)(a + b + c + d + e + f + g + h + i + j) * x;
}

int64_t deep_wait(int64_t n) { return n <= 0 ? 0 : 1 + deep_wait(n - 1) * 3; }

void nap(uint32_t ms) { __asm__ volatile("" : : "r"(ms) : "memory"); }

int64_t wide(int64_t n) {
  volatile char buf[20480];
  buf[n & 16383] = (char)n;
  return buf[(n * 7) & 16383];
}

int64_t wide_direct(int64_t n) {
  volatile char buf[20480];
  buf[n & 16383] = (char)n;
  return buf[(n * 7) & 16383];
}
