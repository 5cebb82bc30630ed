/* bcmp for gotramp-packed native code: see shim.h and compare.h. Zero when
 * the ranges are equal, non-zero otherwise (clang emits bcmp for
 * memcmp(...) == 0). */
#include "compare.h"

GOTRAMP_SHIM int bcmp(const void *a, const void *b, gotramp_size_t n) {
  return gotramp_compare(a, b, n);
}
