#include <stdint.h>

/// Recursive: the analysis cannot bound it, so it runs on its own stack.
int64_t ub_fib(int64_t n);
/// A leaf: bounded, stays direct (and NOSPLIT).
int64_t ub_leaf(int64_t x);
