#include "input.h"
int64_t ub_fib(int64_t n) { return n < 2 ? n : ub_fib(n - 1) + ub_fib(n - 2); }
int64_t ub_leaf(int64_t x) { return x + 7; }
