#include <stdint.h>

int64_t frame_deep(int64_t x);
int64_t frame_leaf(int64_t x);
