#include "tls.h"

_Thread_local int64_t tls_count;

int64_t tls_bump(void) { return ++tls_count; }

int64_t tls_none(int64_t x) { return x - 1; }
