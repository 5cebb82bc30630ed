/* The comparisons shared by memcmp and bcmp, and by strcmp and strncmp: see
 * shim.h. */
#ifndef GOTRAMP_COMPARE_H
#define GOTRAMP_COMPARE_H
#include "shim.h"

/* <0, 0 or >0 as the first differing byte (unsigned) of x is below, absent or
 * above y's. 64 bytes at a time, then 16; the last block overlaps the one
 * before (those bytes compare equal again); sizes below 16 go by words, loaded as
 * big-endian numbers so that comparing them orders the bytes. */
GOTRAMP_INLINE int gotramp_compare(const unsigned char *x, const unsigned char *y, gotramp_size_t n) {
  if (n >= 16) {
    gotramp_size_t i = 0;
    for (; i + 64 <= n; i += 64) {
      gotramp_v16 a = gotramp_ne(gotramp_load16(x + i), gotramp_load16(y + i));
      gotramp_v16 b = gotramp_ne(gotramp_load16(x + i + 16), gotramp_load16(y + i + 16));
      gotramp_v16 c = gotramp_ne(gotramp_load16(x + i + 32), gotramp_load16(y + i + 32));
      gotramp_v16 d = gotramp_ne(gotramp_load16(x + i + 48), gotramp_load16(y + i + 48));
      if (gotramp_mask(a | b | c | d))
        break;
    }
    if (i == n)
      return 0;
    if (i + 16 > n)
      i = n - 16;
    for (;;) {
      unsigned long ne = gotramp_mask(gotramp_ne(gotramp_load16(x + i), gotramp_load16(y + i)));
      if (ne) {
        gotramp_size_t k = i + gotramp_first(ne);
        return (int)x[k] - (int)y[k];
      }
      if (i + 16 == n)
        return 0;
      i = i + 32 <= n ? i + 16 : n - 16;
    }
  }
  if (n >= 8) {
    unsigned long long a = __builtin_bswap64(*(const gotramp_u64 *)x);
    unsigned long long b = __builtin_bswap64(*(const gotramp_u64 *)y);
    if (a == b) {
      a = __builtin_bswap64(*(const gotramp_u64 *)(x + n - 8));
      b = __builtin_bswap64(*(const gotramp_u64 *)(y + n - 8));
    }
    return a == b ? 0 : a < b ? -1 : 1;
  }
  if (n >= 4) {
    unsigned a = __builtin_bswap32(*(const gotramp_u32 *)x);
    unsigned b = __builtin_bswap32(*(const gotramp_u32 *)y);
    if (a == b) {
      a = __builtin_bswap32(*(const gotramp_u32 *)(x + n - 4));
      b = __builtin_bswap32(*(const gotramp_u32 *)(y + n - 4));
    }
    return a == b ? 0 : a < b ? -1 : 1;
  }
  for (; n; --n, ++x, ++y)
    if (*x != *y)
      return (int)*x - (int)*y;
  return 0;
}

/* strncmp's comparison (strcmp passes the largest n): 16 bytes at a time
 * while at least 16 are left and neither load would leave its page, else
 * one byte; a difference or a terminator decides. */
GOTRAMP_INLINE int gotramp_strncompare(const unsigned char *x, const unsigned char *y,
                                       gotramp_size_t n) {
  gotramp_v16 zero = gotramp_splat16(0);
  while (n) {
    if (n >= 16 && gotramp_fits_page(x) && gotramp_fits_page(y)) {
      gotramp_v16 u = gotramp_load16(x), v = gotramp_load16(y);
      unsigned long m = gotramp_mask(gotramp_ne(u, v) | gotramp_eq(u, zero));
      if (m) {
        gotramp_size_t i = gotramp_first(m);
        return (int)x[i] - (int)y[i];
      }
      x += 16;
      y += 16;
      n -= 16;
    } else {
      if (*x != *y || *x == 0)
        return (int)*x - (int)*y;
      ++x;
      ++y;
      --n;
    }
  }
  return 0;
}

#endif
