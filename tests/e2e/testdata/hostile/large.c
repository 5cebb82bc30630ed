#include "large.h"

/* A table, so that the code addresses data: with -mcmodel=large through
   .lrodata on amd64, and absolute MOVZ/MOVK on arm64. */
static const int64_t large_table[8] = {2, 3, 5, 7, 11, 13, 17, 19};

int64_t large_pick(int64_t i) { return large_table[i & 7]; }
