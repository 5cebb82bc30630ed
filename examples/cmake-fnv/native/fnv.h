#ifndef FNV_H
#define FNV_H

#include <stddef.h>
#include <stdint.h>

/** FNV-1a 64-bit offset basis. */
#define FNV64_OFFSET 14695981039346656037ull
/** FNV-1a 64-bit prime. */
#define FNV64_PRIME 1099511628211ull

/** FNV-1a hash of n bytes at p, continuing from state h (start with FNV64_OFFSET). */
uint64_t fnv1a64_update(uint64_t h, const uint8_t *p, size_t n);

/** FNV-1a 32-bit hash of a NUL-terminated string. */
uint32_t fnv1a32_str(const char *s);

#endif
