/* xxHash through gotramp: thin wrappers over Debian's xxhash.h (libxxhash-dev),
 * compiled from the header itself (xxh.c) because Debian's libxxhash.a is not
 * freestanding (see bench/README.md). */
#ifndef GOTRAMP_BENCH_XXH_H
#define GOTRAMP_BENCH_XXH_H

#include <stddef.h>
#include <stdint.h>

/** XXH64(p, n, seed): the 64-bit xxHash of the n bytes at p. */
uint64_t tb_xxh64(const uint8_t *p, size_t n, uint64_t seed);

/** XXH3_64bits(p, n): the 64-bit XXH3 hash of the n bytes at p. */
uint64_t tb_xxh3(const uint8_t *p, size_t n);

#endif
