// A real library from Debian's packages: xxHash 0.8 (libxxhash-dev),
// compiled from its header. Analysed end to end and measured.
#define XXH_STATIC_LINKING_ONLY
#define XXH_IMPLEMENTATION
#include <xxhash.h>

//@ run XXH32 buf 1000 7
//@ run XXH32 buf 13 7
//@ run XXH64 buf 1000 7
//@ run XXH64 buf 31 0

// XXH3 hashes long inputs through a function pointer (XXH3_hashLong64_f
// f_hashLong, a parameter of XXH3_64bits_internal): when the compiler does
// not propagate the constant (-O0: `call rax`; -Os: a tail `jmp r9`) the
// bound is honestly unknown (indirect call); at -O2 the call is direct.
//@ maybe XXH3_64bits buf 0
//@ maybe XXH3_64bits buf 100
//@ maybe XXH3_64bits buf 200
//@ maybe XXH3_64bits buf 5000
//@ maybe XXH3_64bits_withSeed buf 5000 99
//@ maybe XXH3_64bits_withSeed buf 150 99
//@ maybe XXH3_128bits_withSeed buf 3000 5
//@ maybe XXH3_128bits buf 17

// The streaming API with its state on the stack (XXH3_state_t is 64-byte
// aligned: a realigned frame).
unsigned long long xxh3_stream(const void *p, size_t n, unsigned long long seed) {
  XXH3_state_t st;
  XXH3_INITSTATE(&st);
  XXH3_64bits_reset_withSeed(&st, seed);
  size_t half = n / 2;
  XXH3_64bits_update(&st, p, half);
  XXH3_64bits_update(&st, (const char *)p + half, n - half);
  return XXH3_64bits_digest(&st);
}
//@ maybe xxh3_stream buf 4000 3
//@ maybe xxh3_stream buf 100 3

unsigned long long xxh64_stream(const void *p, size_t n, unsigned long long seed) {
  XXH64_state_t st;
  XXH64_reset(&st, seed);
  XXH64_update(&st, p, n / 3);
  XXH64_update(&st, (const char *)p + n / 3, n - n / 3);
  return XXH64_digest(&st);
}
//@ run xxh64_stream buf 1000 3
