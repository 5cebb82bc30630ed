#include <stddef.h>
#include <stdint.h>

/** Direct: on the goroutine stack. */
int64_t add(int64_t a, int64_t b);

/** Blocking: between entersyscall and exitsyscall. */
int64_t wait_sum(const int64_t *xs, size_t n);

/** Own stack, with stack arguments on both targets and a double result. */
double mix(int64_t a, int64_t b, int64_t c, int64_t d, int64_t e, int64_t f, int64_t g,
           int64_t h, int64_t i, int64_t j, double x);

/** Recursive, so no static bound: own stack by functions.unknown_bound's default. */
int64_t depth(int64_t n);

/** Blocking own stack (in syscall state), with stack arguments. */
double mix_wait(int64_t a, int64_t b, int64_t c, int64_t d, int64_t e, int64_t f, int64_t g,
                int64_t h, int64_t i, int64_t j, double x);

/** Marked blocking, recursive: blocking own stack. */
int64_t deep_wait(int64_t n);

/** Blocking, no result. */
void nap(uint32_t ms);

/** A 20 KiB frame: own stack, above the 16 KiB a goroutine-stack frame may take. */
int64_t wide(int64_t n);

/** The same frame, kept on the goroutine stack by the config. */
int64_t wide_direct(int64_t n);
