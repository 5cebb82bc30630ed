/* The copy loops shared by memcpy and memmove: see shim.h. Every size up to
 * 64 bytes loads all of its bytes before it stores any, so those paths are
 * also correct for overlapping ranges. */
#ifndef GOTRAMP_COPY_H
#define GOTRAMP_COPY_H
#include "shim.h"

/* There is no `rep movsb` path: on the AMD EPYC of the benchmark machine
 * (ERMS and FSRM) it took 20 times as long as this loop for 4 KiB to 1 MiB
 * whenever the destination was a few bytes above the source modulo 4 KiB
 * (glibc's memcpy, which uses it, shows the same; see README.md). */

/* n <= 64, any overlap. */
GOTRAMP_INLINE void gotramp_copy_small(unsigned char *d, const unsigned char *s, gotramp_size_t n) {
  if (n <= 16) {
    if (n >= 8) {
      unsigned long long a = *(const gotramp_u64 *)s, b = *(const gotramp_u64 *)(s + n - 8);
      *(gotramp_u64 *)d = a;
      *(gotramp_u64 *)(d + n - 8) = b;
    } else if (n >= 4) {
      unsigned a = *(const gotramp_u32 *)s, b = *(const gotramp_u32 *)(s + n - 4);
      *(gotramp_u32 *)d = a;
      *(gotramp_u32 *)(d + n - 4) = b;
    } else if (n) {
      /* 1..3 bytes: indices 0, n/2 and n-1 cover them all. */
      unsigned char a = s[0], b = s[n / 2], c = s[n - 1];
      d[0] = a;
      d[n / 2] = b;
      d[n - 1] = c;
    }
    return;
  }
  if (n <= 32) {
    gotramp_v16 a = gotramp_load16(s), b = gotramp_load16(s + n - 16);
    gotramp_store16(d, a);
    gotramp_store16(d + n - 16, b);
    return;
  }
  gotramp_v16 a = gotramp_load16(s), b = gotramp_load16(s + 16);
  gotramp_v16 c = gotramp_load16(s + n - 32), e = gotramp_load16(s + n - 16);
  gotramp_store16(d, a);
  gotramp_store16(d + 16, b);
  gotramp_store16(d + n - 32, c);
  gotramp_store16(d + n - 16, e);
}

/* n > 64; correct when d does not lie inside (s, s + n): the first and last
 * 64 bytes are loaded before anything is stored, and each 64-byte block is
 * loaded before it is stored, going up. Stores are 16-byte aligned. */
GOTRAMP_INLINE void gotramp_copy_forward(unsigned char *d, const unsigned char *s, gotramp_size_t n) {
  gotramp_v16 h0 = gotramp_load16(s), h1 = gotramp_load16(s + 16);
  gotramp_v16 h2 = gotramp_load16(s + 32), h3 = gotramp_load16(s + 48);
  gotramp_v16 t0 = gotramp_load16(s + n - 64), t1 = gotramp_load16(s + n - 48);
  gotramp_v16 t2 = gotramp_load16(s + n - 32), t3 = gotramp_load16(s + n - 16);
  gotramp_size_t skew = 64 - ((gotramp_uintptr_t)d & 15); /* past the head, aligned */
  unsigned char *dd = d + skew, *end = d + n - 64;
  const unsigned char *ss = s + skew;
  for (; dd < end; dd += 64, ss += 64) {
    gotramp_v16 a = gotramp_load16(ss), b = gotramp_load16(ss + 16);
    gotramp_v16 c = gotramp_load16(ss + 32), e = gotramp_load16(ss + 48);
    *(gotramp_v16a *)dd = a;
    *(gotramp_v16a *)(dd + 16) = b;
    *(gotramp_v16a *)(dd + 32) = c;
    *(gotramp_v16a *)(dd + 48) = e;
  }
  gotramp_store16(d + n - 64, t0);
  gotramp_store16(d + n - 48, t1);
  gotramp_store16(d + n - 32, t2);
  gotramp_store16(d + n - 16, t3);
  gotramp_store16(d, h0);
  gotramp_store16(d + 16, h1);
  gotramp_store16(d + 32, h2);
  gotramp_store16(d + 48, h3);
}


/* n > 64, s < d < s + n: the mirror image of gotramp_copy_forward, going
 * down with 16-byte aligned stores. */
GOTRAMP_INLINE void gotramp_copy_down(unsigned char *d, const unsigned char *s, gotramp_size_t n) {
  gotramp_v16 h0 = gotramp_load16(s), h1 = gotramp_load16(s + 16);
  gotramp_v16 h2 = gotramp_load16(s + 32), h3 = gotramp_load16(s + 48);
  gotramp_v16 t0 = gotramp_load16(s + n - 64), t1 = gotramp_load16(s + n - 48);
  gotramp_v16 t2 = gotramp_load16(s + n - 32), t3 = gotramp_load16(s + n - 16);
  gotramp_uintptr_t delta = (gotramp_uintptr_t)(d - s);
  unsigned char *de = (unsigned char *)(((gotramp_uintptr_t)(d + n) - 48) & ~(gotramp_uintptr_t)15);
  while (de > d + 64) {
    de -= 64;
    const unsigned char *ss = de - delta;
    gotramp_v16 a = gotramp_load16(ss), b = gotramp_load16(ss + 16);
    gotramp_v16 c = gotramp_load16(ss + 32), e = gotramp_load16(ss + 48);
    *(gotramp_v16a *)(de + 48) = e;
    *(gotramp_v16a *)(de + 32) = c;
    *(gotramp_v16a *)(de + 16) = b;
    *(gotramp_v16a *)de = a;
  }
  gotramp_store16(d, h0);
  gotramp_store16(d + 16, h1);
  gotramp_store16(d + 32, h2);
  gotramp_store16(d + 48, h3);
  gotramp_store16(d + n - 64, t0);
  gotramp_store16(d + n - 48, t1);
  gotramp_store16(d + n - 32, t2);
  gotramp_store16(d + n - 16, t3);
}


#endif
