// Native code that libc mode cannot bind (tests/e2e/libc_mode.sh).
#include <stdint.h>

/** Calls a function no object defines and glibc does not export. */
int lb_missing(int x);

/** Calls arc4random, which glibc exports only from 2.36 on. */
uint32_t lb_too_new(void);

/** Calls nothing: always bindable. */
int lb_plain(int x);
