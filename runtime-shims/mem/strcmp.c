/* strcmp for gotramp-packed native code: see shim.h and compare.h. */
#include "compare.h"

GOTRAMP_SHIM int strcmp(const char *a, const char *b) {
  return gotramp_strncompare((const unsigned char *)a, (const unsigned char *)b,
                             ~(gotramp_size_t)0);
}
