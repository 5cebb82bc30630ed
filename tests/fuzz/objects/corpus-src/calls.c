/* Seed for the object fuzzer: a call graph with a static helper, a tail
 * call, recursion, an indirect call and a dynamic stack adjustment. */
typedef long (*fz_fn)(long);

__attribute__((noinline)) static long fz_helper(long x) {
  volatile long a[8];
  a[x & 7] = x;
  return a[0] + a[7];
}

long fz_leaf(long x) { return x * 3 + 1; }
long fz_calls(long x) { return fz_helper(x) + fz_leaf(x); }
long fz_tail(long x) { return fz_leaf(x + 1); }
long fz_rec(long n) { return n <= 1 ? 1 : n * fz_rec(n - 1); }
long fz_indirect(fz_fn f, long x) { return f(x) + 1; }

long fz_alloca(unsigned long n) {
  volatile char *p = __builtin_alloca(n);
  p[0] = 1;
  return p[0];
}

extern long fz_external(long);
long fz_needs_external(long x) { return fz_external(x) + 2; }
