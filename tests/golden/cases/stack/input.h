#include <stdint.h>

/// Small leaf: a NOSPLIT trampoline.
int64_t leaf(int64_t x);
/// A 4 KiB local buffer: too big for NOSPLIT, sized from the analysis.
int64_t big_buffer(int64_t seed);
/// Calls big_buffer: the bound covers the whole call chain.
int64_t chain(int64_t seed);
/// Recursive: unknown bound, so the config gives one.
int64_t depth(int64_t n);
