#include "ctor.h"

static volatile int64_t ready; /* volatile: clang cannot fold the constructor */

__attribute__((constructor)) static void ctor_setup(void) { ready = 1; }

int64_t ctor_ready(void) { return ready; }
