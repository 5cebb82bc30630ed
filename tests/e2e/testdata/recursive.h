#include <stdint.h>

int64_t rec_sum(int64_t n);
int64_t rec_leaf(int64_t n);
