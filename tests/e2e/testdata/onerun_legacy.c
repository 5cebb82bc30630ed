/* Compiled without -ffunction-sections: both functions share one .text. */
#include "onerun.h"

void free(void *p);

int64_t onerun_legacy(int64_t x) { return x - 1; }

void onerun_legacy_free(void *p) { free(p); }
