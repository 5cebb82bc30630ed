#include "onerun.h"

void *malloc(unsigned long size);
extern void onerun_trace_hook(void) __attribute__((weak));

int64_t onerun_add(int64_t a, int64_t b) { return a + b; }

__attribute__((noinline)) static int64_t onerun_helper(int64_t x) { return 2 * x; }
int64_t onerun_twice(int64_t x) { return onerun_helper(x); }

__attribute__((noinline)) static void *onerun_grow(uint64_t n) { return malloc(n * 2); }
__attribute__((noinline)) void *onerun_alloc_inner(uint64_t n) { return onerun_grow(n); }
void *onerun_alloc(uint64_t n) { return onerun_alloc_inner(n + 1); }

int onerun_traced(void) {
  if (onerun_trace_hook)
    onerun_trace_hook();
  return 7;
}

uint64_t onerun_fib(uint64_t n) { return n < 2 ? n : onerun_fib(n - 1) + onerun_fib(n - 2); }

long double onerun_ld(long double x) { return x / 2; }
