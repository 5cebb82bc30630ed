/* strcmp for gotramp-packed native code: see shim.h. Compares 16 bytes at a
 * time while neither load would leave its page, else one byte. */
#include "shim.h"

GOTRAMP_SHIM int strcmp(const char *a, const char *b) {
  const unsigned char *x = (const unsigned char *)a, *y = (const unsigned char *)b;
  gotramp_v16 zero = gotramp_splat16(0);
  for (;;) {
    if (gotramp_fits_page(x) && gotramp_fits_page(y)) {
      gotramp_v16 u = gotramp_load16(x), v = gotramp_load16(y);
      unsigned long m = gotramp_mask(gotramp_ne(u, v) | gotramp_eq(u, zero));
      if (m) {
        gotramp_size_t i = gotramp_first(m);
        return (int)x[i] - (int)y[i];
      }
      x += 16;
      y += 16;
    } else {
      if (*x != *y || *x == 0)
        return (int)*x - (int)*y;
      ++x;
      ++y;
    }
  }
}
