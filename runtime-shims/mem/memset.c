/* memset for gotramp-packed native code: see shim.h. */
#include "shim.h"

GOTRAMP_SHIM void *memset(void *dst, int c, gotramp_size_t n) {
  unsigned char *d = dst;
  gotramp_word_t w = (unsigned char)c;
  w *= (gotramp_word_t)0x0101010101010101ull; /* the byte in every lane */
  for (; n >= GOTRAMP_WORD; n -= GOTRAMP_WORD, d += GOTRAMP_WORD)
    *(gotramp_word_t *)d = w;
  while (n--)
    *d++ = (unsigned char)c;
  return dst;
}
