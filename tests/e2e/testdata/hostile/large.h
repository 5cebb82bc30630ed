#include <stdint.h>

int64_t large_pick(int64_t i);
