/* strchr for gotramp-packed native code: see shim.h and strlen.c. The first
 * byte equal to c or to the terminator decides; strchr(s, 0) finds the
 * terminator. */
#include "shim.h"

GOTRAMP_INLINE gotramp_v16 gotramp_stop(gotramp_v16 v, gotramp_v16 want) {
  return gotramp_eq(v, want) | gotramp_eq(v, gotramp_splat16(0));
}

GOTRAMP_SHIM char *strchr(const char *s, int c) {
  const unsigned char *p = gotramp_block(s);
  gotramp_v16 want = gotramp_splat16((unsigned char)c);
  unsigned long m = gotramp_from(gotramp_mask(gotramp_stop(gotramp_load16a(p), want)), gotramp_skew(s));
  while (!m) {
    p += 16;
    if (gotramp_at_group(p)) {
      for (;; p += 64) {
        gotramp_v16 a = gotramp_stop(gotramp_load16a(p), want), b = gotramp_stop(gotramp_load16a(p + 16), want);
        gotramp_v16 e = gotramp_stop(gotramp_load16a(p + 32), want), f = gotramp_stop(gotramp_load16a(p + 48), want);
        if (gotramp_mask(a | b | e | f))
          break;
      }
      while (!(m = gotramp_mask(gotramp_stop(gotramp_load16a(p), want))))
        p += 16;
      break;
    }
    m = gotramp_mask(gotramp_stop(gotramp_load16a(p), want));
  }
  p += gotramp_first(m);
  return *p == (unsigned char)c ? (char *)p : 0;
}
