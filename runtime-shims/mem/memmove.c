/* memmove for gotramp-packed native code: see shim.h. Copies forwards when
 * the destination starts below the source, backwards otherwise, so that
 * overlapping ranges are handled; each word is loaded before it is stored. */
#include "shim.h"

GOTRAMP_SHIM void *memmove(void *dst, const void *src, gotramp_size_t n) {
  unsigned char *d = dst;
  const unsigned char *s = src;
  if (d == s || n == 0)
    return dst;
  if ((__UINTPTR_TYPE__)d < (__UINTPTR_TYPE__)s) {
    for (; n >= GOTRAMP_WORD; n -= GOTRAMP_WORD, d += GOTRAMP_WORD, s += GOTRAMP_WORD) {
      gotramp_word_t w = *(const gotramp_word_t *)s;
      *(gotramp_word_t *)d = w;
    }
    while (n--)
      *d++ = *s++;
  } else {
    d += n;
    s += n;
    for (; n >= GOTRAMP_WORD; n -= GOTRAMP_WORD) {
      d -= GOTRAMP_WORD;
      s -= GOTRAMP_WORD;
      gotramp_word_t w = *(const gotramp_word_t *)s;
      *(gotramp_word_t *)d = w;
    }
    while (n--)
      *--d = *--s;
  }
  return dst;
}
