/* strncmp for gotramp-packed native code: see shim.h and strcmp.c. */
#include "shim.h"

GOTRAMP_SHIM int strncmp(const char *a, const char *b, gotramp_size_t n) {
  const unsigned char *x = (const unsigned char *)a, *y = (const unsigned char *)b;
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
