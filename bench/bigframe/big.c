/* bench/bigframe: a function whose frame is FRAME_KIB KiB and touches all of
 * it, compiled twice (big_direct, big_own) to time both call paths. */
#include "big.h"
#define FRAME (FRAME_KIB * 1024)
static int64_t work(volatile char *buf, int64_t n) {
  int64_t s = 0;
  for (int64_t i = 0; i < FRAME - 64; i += 4096) buf[i + (n & 63)] = (char)(n + i);
  for (int64_t i = 0; i < FRAME - 64; i += 4096) s += buf[i + (n & 63)];
  return s;
}
__attribute__((noinline)) int64_t big_direct(int64_t n) { volatile char buf[FRAME]; return work(buf, n); }
__attribute__((noinline)) int64_t big_own(int64_t n) { volatile char buf[FRAME]; return work(buf, n); }
int64_t small_direct(int64_t n) { return n + 1; }
