/* memcmp for gotramp-packed native code: see shim.h. Compares as unsigned
 * bytes; returns the difference of the first pair that differs. */
#include "shim.h"

GOTRAMP_SHIM int memcmp(const void *a, const void *b, gotramp_size_t n) {
  const unsigned char *x = a, *y = b;
  for (; n >= GOTRAMP_WORD; n -= GOTRAMP_WORD, x += GOTRAMP_WORD, y += GOTRAMP_WORD)
    if (*(const gotramp_word_t *)x != *(const gotramp_word_t *)y)
      break;
  for (; n; --n, ++x, ++y)
    if (*x != *y)
      return *x - *y;
  return 0;
}
