#include "recursive.h"
/* Tree recursion: clang cannot turn it into a loop, so the call stays. */
int64_t rec_sum(int64_t n) { return n <= 1 ? n : rec_sum(n - 1) + rec_sum(n - 2); }
int64_t rec_leaf(int64_t n) { return n + 1; }
