/* memmove for gotramp-packed native code: see shim.h and copy.h. Up to 64
 * bytes every path loads before it stores; above, it copies up unless the
 * destination starts inside the source, and down then. */
#include "copy.h"

GOTRAMP_SHIM void *memmove(void *dst, const void *src, gotramp_size_t n) {
  unsigned char *d = dst;
  const unsigned char *s = src;
  if (n <= 64)
    gotramp_copy_small(d, s, n);
  else if ((gotramp_uintptr_t)d - (gotramp_uintptr_t)s >= n) /* d <= s, or no overlap */
    gotramp_copy_forward(d, s, n);
  else
    gotramp_copy_down(d, s, n);
  return dst;
}
