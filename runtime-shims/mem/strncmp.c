/* strncmp for gotramp-packed native code: see shim.h and compare.h. */
#include "compare.h"

GOTRAMP_SHIM int strncmp(const char *a, const char *b, gotramp_size_t n) {
  return gotramp_strncompare((const unsigned char *)a, (const unsigned char *)b, n);
}
