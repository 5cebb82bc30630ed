/* strlen for gotramp-packed native code: see shim.h. Scans aligned 16-byte
 * blocks, which never cross into a page the string does not reach, then
 * 64-byte groups of them. */
#include "shim.h"

GOTRAMP_SHIM gotramp_size_t strlen(const char *s) {
  const unsigned char *p = gotramp_block(s);
  gotramp_v16 zero = gotramp_splat16(0);
  unsigned long m = gotramp_from(gotramp_mask(gotramp_eq(gotramp_load16a(p), zero)), gotramp_skew(s));
  while (!m) {
    p += 16;
    if (gotramp_at_group(p)) {
      for (;; p += 64) {
        gotramp_v16 a = gotramp_eq(gotramp_load16a(p), zero), b = gotramp_eq(gotramp_load16a(p + 16), zero);
        gotramp_v16 c = gotramp_eq(gotramp_load16a(p + 32), zero), d = gotramp_eq(gotramp_load16a(p + 48), zero);
        if (gotramp_mask(a | b | c | d))
          break;
      }
      while (!(m = gotramp_mask(gotramp_eq(gotramp_load16a(p), zero))))
        p += 16;
      break;
    }
    m = gotramp_mask(gotramp_eq(gotramp_load16a(p), zero));
  }
  return (gotramp_size_t)(p + gotramp_first(m) - (const unsigned char *)s);
}
