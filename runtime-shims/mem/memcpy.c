/* memcpy for gotramp-packed native code: see shim.h and copy.h. */
#include "copy.h"

GOTRAMP_SHIM void *memcpy(void *restrict dst, const void *restrict src, gotramp_size_t n) {
  if (n <= 64)
    gotramp_copy_small(dst, src, n);
  else
    gotramp_copy_forward(dst, src, n);
  return dst;
}
