#include "libc_bad.h"

int gotramp_no_such_function(int x);
uint32_t arc4random(void);

int lb_missing(int x) { return gotramp_no_such_function(x) + 1; }
uint32_t lb_too_new(void) { return arc4random(); }
int lb_plain(int x) { return x * 3; }
