#include "input.h"
static uint8_t *kept;
int64_t ann_wait(int64_t ms) { return ms; }
int64_t ann_depth(int64_t n) { return n <= 1 ? n : ann_depth(n - 1) + ann_depth(n - 2); }
void ann_keep(uint8_t *buf, size_t n) { (void)n; kept = buf; }
int64_t ann_overridden(int64_t x) { return x + 1; }
int64_t ann_deep_wait(int64_t n) { return n <= 0 ? 0 : 1 + ann_deep_wait(n - 1); }
