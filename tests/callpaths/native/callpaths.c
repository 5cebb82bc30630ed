#include "callpaths.h"

struct ts {
  long sec, nsec;
};

static int64_t now_ns(void) {
  struct ts t;
#if defined(__x86_64__)
  long r;
  __asm__ volatile("syscall" : "=a"(r) : "a"(228L), "D"(1L), "S"(&t) : "rcx", "r11", "memory");
#elif defined(__aarch64__)
  register long x8 __asm__("x8") = 113; /* clock_gettime */
  register long x0 __asm__("x0") = 1;   /* CLOCK_MONOTONIC */
  register long x1 __asm__("x1") = (long)&t;
  __asm__ volatile("svc 0" : "+r"(x0) : "r"(x8), "r"(x1) : "memory");
#endif
  return (int64_t)t.sec * 1000000000 + t.nsec;
}

#define DEFINE(P)                                                                          \
  int64_t add_##P(int64_t a, int64_t b) { return a + b; }                                  \
  int64_t sum_##P(const int64_t *xs, size_t n) {                                           \
    int64_t s = 0;                                                                         \
    for (size_t i = 0; i < n; i++)                                                         \
      s += xs[i];                                                                          \
    return s;                                                                              \
  }                                                                                        \
  int64_t many_##P(int64_t a, int64_t b, int64_t c, int64_t d, int64_t e, int64_t f,       \
                   int64_t g, int64_t h, int64_t i, int64_t j, double x, double y) {       \
    return a + 2 * b + 3 * c + 4 * d + 5 * e + 6 * f + 7 * g + 8 * h + 9 * i + 10 * j +   \
           (int64_t)(x * 100) + (int64_t)(y * 1000);                                       \
  }                                                                                        \
  int64_t load_##P(const int64_t *p) { return *(const volatile int64_t *)p; }              \
  int64_t spin_ms_##P(int64_t ms) {                                                        \
    /* At least one pass: under qemu the thread may lose the whole interval. */            \
    int64_t end = now_ns() + ms * 1000000, n = 0;                                          \
    do                                                                                     \
      n++;                                                                                 \
    while (now_ns() < end);                                                                \
    return n;                                                                              \
  }

DEFINE(direct)
DEFINE(blocking)
DEFINE(own)
DEFINE(bown)

int64_t recurse_own(int64_t n) {
  volatile char buf[256];
  buf[0] = (char)n;
  buf[255] = 1;
  if (n <= 0)
    return buf[255];
  return recurse_own(n - 1) + buf[255];
}

int64_t recurse_bown(int64_t n) {
  volatile char buf[256];
  buf[0] = (char)n;
  buf[255] = 1;
  if (n <= 0)
    return buf[255];
  return recurse_bown(n - 1) + buf[255];
}
