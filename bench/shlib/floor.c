// The floor: crc32 of 8 bytes in libz.so.1 called from C in a loop, no Go
// at all, printed as `go test -bench` lines (bench/shlib/run.sh).
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <zlib.h>

int main(int argc, char **argv) {
  int rounds = argc > 1 ? atoi(argv[1]) : 5;
  unsigned char buf[8] = {'g', 'o', 't', 'r', 'a', 'm', 'p', '!'};
  const long calls = 10000000;
  for (int r = 0; r < rounds; r++) {
    struct timespec a, b;
    unsigned long sum = 0;
    clock_gettime(CLOCK_MONOTONIC, &a);
    for (long i = 0; i < calls; i++) {
      buf[0] = (unsigned char)i; // a new input each call, as the Go loops
      sum += crc32(0, buf, sizeof buf);
    }
    clock_gettime(CLOCK_MONOTONIC, &b);
    double ns = ((double)(b.tv_sec - a.tv_sec) * 1e9 + (double)(b.tv_nsec - a.tv_nsec)) / calls;
    // The sum keeps the calls; checked against zlib once more below.
    if (sum == 0)
      return 1;
    printf("BenchmarkCrc32CLoop-2 %ld %.2f ns/op\n", calls, ns);
  }
  unsigned char check[8] = {'g', 'o', 't', 'r', 'a', 'm', 'p', '!'};
  return crc32(0, check, sizeof check) == crc32_z(0, check, sizeof check) ? 0 : 1;
}
