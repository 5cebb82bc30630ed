#include <stdint.h>
int64_t big_direct(int64_t n);
int64_t big_own(int64_t n);
int64_t small_direct(int64_t n);
