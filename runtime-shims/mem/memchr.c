/* memchr for gotramp-packed native code: see shim.h. Reads only the aligned
 * blocks, and 64-byte groups of them, that hold one of the n bytes. */
#include "shim.h"

GOTRAMP_SHIM void *memchr(const void *s, int c, gotramp_size_t n) {
  if (n == 0)
    return 0;
  const unsigned char *start = s, *p = gotramp_block(s);
  /* memchr(s, c, SIZE_MAX) is allowed: the range then ends at the top. */
  const unsigned char *end = n > ~(gotramp_uintptr_t)start ? (const unsigned char *)~(gotramp_uintptr_t)0
                                                           : start + n;
  gotramp_v16 want = gotramp_splat16((unsigned char)c);
  unsigned long m = gotramp_from(gotramp_mask(gotramp_eq(gotramp_load16a(p), want)), gotramp_skew(s));
  for (;;) {
    if (m) {
      const unsigned char *hit = p + gotramp_first(m);
      return hit < end ? (void *)hit : 0;
    }
    p += 16;
    if (p >= end)
      return 0;
    if (gotramp_at_group(p)) {
      /* Whole groups while the group holds a byte of the range. */
      while (p < end) {
        gotramp_v16 a = gotramp_eq(gotramp_load16a(p), want), b = gotramp_eq(gotramp_load16a(p + 16), want);
        gotramp_v16 e = gotramp_eq(gotramp_load16a(p + 32), want), f = gotramp_eq(gotramp_load16a(p + 48), want);
        if (gotramp_mask(a | b | e | f))
          break;
        p += 64;
      }
      if (p >= end)
        return 0;
      /* The group holds a match: find its block (each block read holds a
       * byte of the group, which holds a byte of the range). */
      while (!(m = gotramp_mask(gotramp_eq(gotramp_load16a(p), want))))
        p += 16;
      const unsigned char *hit = p + gotramp_first(m);
      return hit < end ? (void *)hit : 0;
    }
    m = gotramp_mask(gotramp_eq(gotramp_load16a(p), want));
  }
}
