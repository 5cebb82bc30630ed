// Recursion: unbounded by construction.
#include "common.h"

NOINLINE uint64_t is_odd(uint64_t n);
NOINLINE uint64_t is_even(uint64_t n) {
  volatile uint64_t pad[4];
  pad[n & 3] = n;
  return n == 0 ? 1 : is_odd(n - 1) + pad[n & 3] * 0;
}
NOINLINE uint64_t is_odd(uint64_t n) {
  volatile uint64_t pad[4];
  pad[n & 3] = n;
  return n == 0 ? 0 : is_even(n - 1) + pad[n & 3] * 0;
}
//@ unknown is_even recursion
//@ unknown is_odd recursion

NOINLINE uint64_t fib(uint64_t n) {
  return n < 2 ? n : fib(n - 1) + fib(n - 2);
}
//@ unknown fib recursion

NOINLINE uint64_t calls_fib(uint64_t n) { return fib(n) + 1; }
//@ unknown calls_fib recursion
