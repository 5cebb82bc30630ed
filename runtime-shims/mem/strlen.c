/* strlen for gotramp-packed native code: see shim.h. Byte by byte: a word
 * load could cross into an unmapped page past the terminator. */
#include "shim.h"

GOTRAMP_SHIM gotramp_size_t strlen(const char *s) {
  const char *p = s;
  while (*p)
    ++p;
  return (gotramp_size_t)(p - s);
}
