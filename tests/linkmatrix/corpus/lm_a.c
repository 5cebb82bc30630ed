#include "corpus.h"

long lm_square(long x); /* lm_b.c */

long lm_fib(long n) { return n < 2 ? n : lm_fib(n - 1) + lm_fib(n - 2); }

long lm_ackermann(long m, long n) {
  if (m == 0)
    return n + 1;
  if (n == 0)
    return lm_ackermann(m - 1, 1);
  return lm_ackermann(m - 1, lm_ackermann(m, n - 1));
}

long lm_sum_squares(long n) {
  long s = 0;
  for (long i = 1; i <= n; ++i)
    s += lm_square(i);
  return s;
}

__attribute__((noinline)) static long add3(long x) { return x + 3; }
__attribute__((noinline)) static long times5(long x) { return x * 5; }
__attribute__((noinline)) static long negate(long x) { return -x; }
__attribute__((noinline)) static long halve(long x) { return x / 2; }

long lm_apply_all(long x) {
  /* Filled one entry at a time: an initializer list would become a
   * constant array of absolute addresses in .data.rel.ro. */
  long (*volatile table[4])(long);
  table[0] = add3;
  table[1] = times5;
  table[2] = negate;
  table[3] = halve;
  long s = 0;
  for (int i = 0; i < 4; ++i)
    s += table[i](x) * (i + 1);
  return s;
}
