/* memcpy for gotramp-packed native code: see shim.h. */
#include "shim.h"

GOTRAMP_SHIM void *memcpy(void *restrict dst, const void *restrict src, gotramp_size_t n) {
  unsigned char *d = dst;
  const unsigned char *s = src;
  for (; n >= GOTRAMP_WORD; n -= GOTRAMP_WORD, d += GOTRAMP_WORD, s += GOTRAMP_WORD)
    *(gotramp_word_t *)d = *(const gotramp_word_t *)s;
  while (n--)
    *d++ = *s++;
  return dst;
}
