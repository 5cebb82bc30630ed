/* The floor of the "Calls into a shared library" rows: the call they all
 * make, crc32 of 8 bytes in Debian's libz.so.1, from a C loop with no Go at
 * all. native/build.sh links it with -lz into native/out/crc32floor; run.sh
 * runs it once per round, after the test binaries, and saves what it prints
 * in results/raw/cloop-ROUND.txt for cmd/report.
 *
 *   crc32floor BENCHTIME   one `go test -bench` line: BENCHTIME is go test's
 *                          -benchtime, a duration ("100ms", "1s") or a
 *                          count of calls ("2000x")
 *   crc32floor -check      the crc32 of the input, in hex (suite's
 *                          TestSharedLibFloor compares it with hash/crc32)
 *
 * The input is the suite's input(8): byte i is i*7+3. The loop adds up the
 * results, as the Go loops do, and the sum is checked before anything is
 * printed. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <zlib.h>

enum { SIZE = 8 };

static unsigned char input[SIZE];

static double now_ns(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec * 1e9 + (double)t.tv_nsec;
}

/* run makes n calls and returns how long they took, in ns. */
static double run(long n, unsigned long want) {
  unsigned long sum = 0;
  double start = now_ns();
  for (long i = 0; i < n; i++)
    sum += crc32(0, input, SIZE);
  double ns = now_ns() - start;
  if (sum != want * (unsigned long)n) { /* unsigned: both wrap alike */
    fprintf(stderr, "crc32floor: %ld calls sum to %#lx, want %ld x %#lx\n", n, sum, n, want);
    exit(1);
  }
  return ns;
}

/* parse_benchtime reads "2000x" into *calls, or a duration ("100ms") into
 * *target_ns; it returns 0 when s is neither. */
static int parse_benchtime(const char *s, long *calls, double *target_ns) {
  char *end;
  size_t len = strlen(s);
  if (len > 1 && s[len - 1] == 'x') {
    *calls = strtol(s, &end, 10);
    return end == s + len - 1 && *calls > 0;
  }
  double v = strtod(s, &end);
  if (end == s || v <= 0)
    return 0;
  static const struct {
    const char *unit;
    double ns;
  } units[] = {{"ns", 1}, {"us", 1e3}, {"ms", 1e6}, {"s", 1e9}};
  for (size_t i = 0; i < sizeof units / sizeof units[0]; i++) {
    if (strcmp(end, units[i].unit) == 0) {
      *target_ns = v * units[i].ns;
      return 1;
    }
  }
  return 0;
}

int main(int argc, char **argv) {
  for (int i = 0; i < SIZE; i++)
    input[i] = (unsigned char)(i * 7 + 3);
  unsigned long want = crc32(0, input, SIZE);
  if (argc == 2 && strcmp(argv[1], "-check") == 0) {
    printf("%08lx\n", want);
    return 0;
  }
  long calls = 0;
  double target = 0;
  if (argc != 2 || !parse_benchtime(argv[1], &calls, &target)) {
    fprintf(stderr, "usage: crc32floor BENCHTIME (100ms, 1s, 2000x) | -check\n");
    return 2;
  }
  double ns;
  if (calls > 0) {
    run(calls, want); /* warm up: lazy binding, caches */
    ns = run(calls, want);
  } else {
    /* As go test does: grow n until one run takes the target time, each
     * step aiming 20% past it from the last run's time per call, at most
     * 100 times the last n. */
    calls = 1;
    for (;;) {
      ns = run(calls, want);
      if (ns >= target || calls >= 1000000000L)
        break;
      double per = ns > 0 ? ns / (double)calls : 1;
      long next = (long)(target * 1.2 / per);
      if (next > 100 * calls)
        next = 100 * calls;
      if (next <= calls)
        next = calls + 1;
      calls = next;
    }
  }
  /* No -GOMAXPROCS suffix: the loop is one thread. */
  printf("BenchmarkSharedLib/crc32/cloop\t%ld\t%.2f ns/op\n", calls, ns / (double)calls);
  return 0;
}
