#include <stdint.h>

int64_t ctor_ready(void);
