/* Seed for the object fuzzer: what the packer's checks look for: writable
 * data, read-only data, thread-local storage, a constructor and a weak
 * undefined reference. */
long fz_counter = 7;
const long fz_table[4] = {1, 2, 3, 4};
__thread long fz_tls;
__attribute__((weak)) extern long fz_maybe(long);

long fz_bump(long x) { return fz_counter += x + fz_table[x & 3]; }
long fz_tls_get(void) { return fz_tls; }
long fz_weak(long x) { return fz_maybe ? fz_maybe(x) : x; }
__attribute__((constructor)) static void fz_init(void) { fz_counter = 9; }
