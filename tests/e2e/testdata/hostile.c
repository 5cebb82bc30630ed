/* e2e.hostile_names: hostile_names.sh rewrites the bytes "QQ" of the local
 * helper's symbol and section name to 0xff 0xfe, which is not UTF-8. */
__attribute__((noinline)) static long hostile_helper_QQ(long x) {
  volatile long a[4];
  a[0] = x;
  return a[0] * 3;
}

long hostile_entry(long x) { return hostile_helper_QQ(x) + 1; }
