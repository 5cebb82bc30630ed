#include <stdint.h>

int64_t tls_bump(void);
int64_t tls_none(int64_t x);
