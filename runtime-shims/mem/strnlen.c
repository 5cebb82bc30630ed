/* strnlen for gotramp-packed native code: see shim.h and strlen.c. Reads
 * only blocks that hold one of the first n bytes. */
#include "shim.h"

GOTRAMP_SHIM gotramp_size_t strnlen(const char *s, gotramp_size_t n) {
  if (n == 0)
    return 0;
  const unsigned char *start = (const unsigned char *)s, *p = gotramp_block(s);
  gotramp_v16 zero = gotramp_splat16(0);
  unsigned long m = gotramp_from(gotramp_mask(gotramp_eq(gotramp_load16a(p), zero)), gotramp_skew(s));
  for (;;) {
    if (m) {
      gotramp_size_t i = (gotramp_size_t)(p + gotramp_first(m) - start);
      return i < n ? i : n;
    }
    p += 16;
    if ((gotramp_size_t)(p - start) >= n)
      return n;
    m = gotramp_mask(gotramp_eq(gotramp_load16a(p), zero));
  }
}
