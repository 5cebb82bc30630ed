/* See memtest.h. Compiled with -fno-builtin, so every call below stays a
 * call: packed by gotramp it reaches runtime-shims/mem, compiled by cgo it
 * reaches glibc. The routines are declared here rather than taken from
 * <string.h>, which a freestanding build does not have. */
#include "memtest.h"

void *memcpy(void *, const void *, size_t);
void *memmove(void *, const void *, size_t);
void *memset(void *, int, size_t);
int memcmp(const void *, const void *, size_t);
int bcmp(const void *, const void *, size_t);
size_t strlen(const char *);
size_t strnlen(const char *, size_t);
void *memchr(const void *, int, size_t);
char *strchr(const char *, int);
int strcmp(const char *, const char *);
int strncmp(const char *, const char *, size_t);

void t_memcpy(uint8_t *dst, const uint8_t *src, size_t n) { memcpy(dst, src, n); }
void t_memmove(uint8_t *dst, const uint8_t *src, size_t n) { memmove(dst, src, n); }
void t_memset(uint8_t *dst, int c, size_t n) { memset(dst, c, n); }
int t_memcmp(const uint8_t *a, const uint8_t *b, size_t n) { return memcmp(a, b, n); }
int t_bcmp(const uint8_t *a, const uint8_t *b, size_t n) { return bcmp(a, b, n); }
size_t t_strlen(const uint8_t *s) { return strlen((const char *)s); }
size_t t_strnlen(const uint8_t *s, size_t n) { return strnlen((const char *)s, n); }
ptrdiff_t t_memchr(const uint8_t *s, int c, size_t n) {
  const uint8_t *p = memchr(s, c, n);
  return p ? p - s : -1;
}
ptrdiff_t t_strchr(const uint8_t *s, int c) {
  const char *p = strchr((const char *)s, c);
  return p ? p - (const char *)s : -1;
}
int t_strcmp(const uint8_t *a, const uint8_t *b) { return strcmp((const char *)a, (const char *)b); }
int t_strncmp(const uint8_t *a, const uint8_t *b, size_t n) {
  return strncmp((const char *)a, (const char *)b, n);
}

uint64_t loop_memcpy(uint8_t *dst, const uint8_t *src, size_t n, uint64_t iters) {
  uint64_t sum = 0;
  for (uint64_t i = 0; i < iters; i++)
    sum += (uintptr_t)memcpy(dst, src, n) & 1;
  return sum + dst[n / 2];
}
uint64_t loop_memmove(uint8_t *dst, const uint8_t *src, size_t n, uint64_t iters) {
  uint64_t sum = 0;
  for (uint64_t i = 0; i < iters; i++)
    sum += (uintptr_t)memmove(dst, src, n) & 1;
  return sum + dst[n / 2];
}
uint64_t loop_memset(uint8_t *dst, size_t n, uint64_t iters) {
  uint64_t sum = 0;
  for (uint64_t i = 0; i < iters; i++)
    sum += (uintptr_t)memset(dst, (int)i, n) & 1;
  return sum + dst[n / 2];
}
uint64_t loop_memcmp(const uint8_t *a, const uint8_t *b, size_t n, uint64_t iters) {
  uint64_t sum = 0;
  for (uint64_t i = 0; i < iters; i++)
    sum += (uint64_t)memcmp(a, b, n);
  return sum;
}
uint64_t loop_strlen(const uint8_t *s, uint64_t iters) {
  uint64_t sum = 0;
  for (uint64_t i = 0; i < iters; i++)
    sum += strlen((const char *)s);
  return sum;
}
uint64_t loop_memchr(const uint8_t *s, size_t n, uint64_t iters) {
  uint64_t sum = 0;
  for (uint64_t i = 0; i < iters; i++)
    sum += (uintptr_t)memchr(s, 0xff, n);
  return sum;
}
uint64_t loop_strcmp(const uint8_t *a, const uint8_t *b, uint64_t iters) {
  uint64_t sum = 0;
  for (uint64_t i = 0; i < iters; i++)
    sum += (uint64_t)strcmp((const char *)a, (const char *)b);
  return sum;
}
