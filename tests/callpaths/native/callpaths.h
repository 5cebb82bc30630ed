/* Native side of tests/callpaths: every function exists once per call path
 * (NAME_direct, NAME_blocking, NAME_own for own_stack, NAME_bown for
 * blocking_own_stack), identical machine code, so the
 * tests and benchmarks compare the paths side by side. gotramp.json picks
 * the path of each. */
#include <stddef.h>
#include <stdint.h>

int64_t add_direct(int64_t a, int64_t b);
int64_t add_blocking(int64_t a, int64_t b);
int64_t add_own(int64_t a, int64_t b);
int64_t add_bown(int64_t a, int64_t b);

/* xs[0] + ... + xs[n-1]. */
int64_t sum_direct(const int64_t *xs, size_t n);
int64_t sum_blocking(const int64_t *xs, size_t n);
int64_t sum_own(const int64_t *xs, size_t n);
int64_t sum_bown(const int64_t *xs, size_t n);

/* Ten integer arguments and two doubles: stack arguments on both targets. */
int64_t many_direct(int64_t a, int64_t b, int64_t c, int64_t d, int64_t e, int64_t f,
                    int64_t g, int64_t h, int64_t i, int64_t j, double x, double y);
int64_t many_blocking(int64_t a, int64_t b, int64_t c, int64_t d, int64_t e, int64_t f,
                      int64_t g, int64_t h, int64_t i, int64_t j, double x, double y);
int64_t many_own(int64_t a, int64_t b, int64_t c, int64_t d, int64_t e, int64_t f,
                 int64_t g, int64_t h, int64_t i, int64_t j, double x, double y);
int64_t many_bown(int64_t a, int64_t b, int64_t c, int64_t d, int64_t e, int64_t f,
                  int64_t g, int64_t h, int64_t i, int64_t j, double x, double y);

/* Busy-waits ms milliseconds of CLOCK_MONOTONIC (raw system calls, no libc):
 * a long native call that never yields to Go. Returns the loop count. */
int64_t spin_ms_direct(int64_t ms);
int64_t spin_ms_blocking(int64_t ms);
int64_t spin_ms_own(int64_t ms);
int64_t spin_ms_bown(int64_t ms);

/* Returns *p: a null p faults in native code. */
int64_t load_direct(const int64_t *p);
int64_t load_blocking(const int64_t *p);
int64_t load_own(const int64_t *p);
int64_t load_bown(const int64_t *p);

/* Recursion n deep with about 256 bytes per level: no static stack bound. */
int64_t recurse_own(int64_t n);
int64_t recurse_bown(int64_t n);
