/* memset for gotramp-packed native code: see shim.h. Overlapping stores
 * cover small sizes without a loop; larger ones store the first and last 64
 * bytes unaligned and everything between with 16-byte aligned stores. */
#include "shim.h"

/* Above this size x86-64 uses `rep stosb`: see README.md for the measurement. */
#define GOTRAMP_REP_STOSB_MIN 2048

GOTRAMP_SHIM void *memset(void *dst, int c, gotramp_size_t n) {
  unsigned char *d = dst;
  unsigned char b = (unsigned char)c;
  if (n <= 16) {
    if (n >= 8) {
      unsigned long long w = b * 0x0101010101010101ull;
      *(gotramp_u64 *)d = w;
      *(gotramp_u64 *)(d + n - 8) = w;
    } else if (n >= 4) {
      unsigned w = b * 0x01010101u;
      *(gotramp_u32 *)d = w;
      *(gotramp_u32 *)(d + n - 4) = w;
    } else if (n) {
      d[0] = b;
      d[n / 2] = b;
      d[n - 1] = b;
    }
    return dst;
  }
  gotramp_v16 v = gotramp_splat16(b);
  if (n <= 32) {
    gotramp_store16(d, v);
    gotramp_store16(d + n - 16, v);
    return dst;
  }
  if (n <= 64) {
    gotramp_store16(d, v);
    gotramp_store16(d + 16, v);
    gotramp_store16(d + n - 32, v);
    gotramp_store16(d + n - 16, v);
    return dst;
  }
#if defined(__x86_64__)
  if (n >= GOTRAMP_REP_STOSB_MIN) {
    __asm__ volatile("rep stosb" : "+D"(d), "+c"(n) : "a"(b) : "memory");
    return dst;
  }
#endif
  gotramp_store16(d, v);
  gotramp_store16(d + 16, v);
  gotramp_store16(d + 32, v);
  gotramp_store16(d + 48, v);
  unsigned char *p = d + 64 - ((gotramp_uintptr_t)d & 15), *end = d + n - 64;
  for (; p < end; p += 64) {
    *(gotramp_v16a *)p = v;
    *(gotramp_v16a *)(p + 16) = v;
    *(gotramp_v16a *)(p + 32) = v;
    *(gotramp_v16a *)(p + 48) = v;
  }
  gotramp_store16(end, v);
  gotramp_store16(end + 16, v);
  gotramp_store16(end + 32, v);
  gotramp_store16(end + 48, v);
  return dst;
}
