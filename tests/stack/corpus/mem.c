// Freestanding memory routines the other corpus files (and xxHash) call,
// plus allocator stubs so single-section objects link. Byte loops on
// purpose: part of the analysed call graph.
#include <stddef.h>

void *memcpy(void *restrict d, const void *restrict s, size_t n) {
  unsigned char *dp = d;
  const unsigned char *sp = s;
  while (n--) *dp++ = *sp++;
  return d;
}
void *memmove(void *d, const void *s, size_t n) {
  unsigned char *dp = d;
  const unsigned char *sp = s;
  if (dp < sp)
    while (n--) *dp++ = *sp++;
  else
    while (n--) dp[n] = sp[n];
  return d;
}
void *memset(void *d, int c, size_t n) {
  unsigned char *dp = d;
  while (n--) *dp++ = (unsigned char)c;
  return d;
}
int memcmp(const void *a, const void *b, size_t n) {
  const unsigned char *x = a, *y = b;
  for (; n; --n, ++x, ++y)
    if (*x != *y) return *x - *y;
  return 0;
}
void *malloc(size_t n) { (void)n; return 0; }
void free(void *p) { (void)p; }
