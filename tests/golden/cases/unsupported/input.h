#include <stdint.h>

struct pair { int64_t a, b; };

int ok(int x);
long double ld(long double x);
struct pair by_value(struct pair p);
int sum_all(int n, ...);
__int128 wide(__int128 x);
_Complex double cplx(_Complex double z);
static inline int helper(int x) { return x; }
int no_proto();
