/* memcmp for gotramp-packed native code: see shim.h and compare.h. */
#include "compare.h"

GOTRAMP_SHIM int memcmp(const void *a, const void *b, gotramp_size_t n) {
  return gotramp_compare(a, b, n);
}
