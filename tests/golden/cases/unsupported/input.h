#include <stdint.h>

struct flags { unsigned a : 3, b : 5; };

int ok(int x);
long double ld(long double x);
int by_value(struct flags f);
int sum_all(int n, ...);
__int128 wide(__int128 x);
_Complex double cplx(_Complex double z);
static inline int helper(int x) { return x; }
int no_proto();
