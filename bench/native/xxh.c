/* Builds the xxHash functions from Debian's /usr/include/xxhash.h with the
 * freestanding flags gotramp needs. XXH_INLINE_ALL makes every XXH_ function
 * static, so only what the two wrappers use is compiled in: no malloc or free
 * (the streaming state API is dropped). XXH_FORCE_MEMORY_ACCESS=1 reads input
 * words through packed structs instead of memcpy(), which -fno-builtin would
 * turn into one real call per word read. The cgo comparison includes this
 * same file, so both paths run identical hashing code. */
#ifndef XXH_FORCE_MEMORY_ACCESS
#define XXH_FORCE_MEMORY_ACCESS 1
#endif
#define XXH_INLINE_ALL
#include <xxhash.h>

#include "xxh.h"

uint64_t tb_xxh64(const uint8_t *p, size_t n, uint64_t seed) { return XXH64(p, n, seed); }

uint64_t tb_xxh3(const uint8_t *p, size_t n) { return XXH3_64bits(p, n); }
