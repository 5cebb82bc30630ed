#include <stdint.h>

/* Reads Go's g from FS-relative TLS (%fs:-8). */
int64_t tls_peek(void);
/* Has a stack-protector canary (%fs:0x28) when compiled with -fstack-protector-all. */
int64_t tls_guarded(int64_t x);
/* Touches no segment. */
int64_t tls_plain(int64_t x);
