/* bcmp for gotramp-packed native code: see shim.h. Zero when the ranges are
 * equal, non-zero otherwise (clang emits bcmp for memcmp(...) == 0). */
#include "shim.h"

GOTRAMP_SHIM int bcmp(const void *a, const void *b, gotramp_size_t n) {
  const unsigned char *x = a, *y = b;
  for (; n >= GOTRAMP_WORD; n -= GOTRAMP_WORD, x += GOTRAMP_WORD, y += GOTRAMP_WORD)
    if (*(const gotramp_word_t *)x != *(const gotramp_word_t *)y)
      return 1;
  for (; n; --n, ++x, ++y)
    if (*x != *y)
      return 1;
  return 0;
}
