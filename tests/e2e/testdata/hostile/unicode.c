#include "unicode.h"
int café(int x) { return x + 1; }
int crème(int x) { return x + 2; }
int a·b(int x) { return x + 3; }
int unicode_params(int é, int x, int p0) { return é + 2 * x + 3 * p0; }
int unicode_rec_sum(const struct unicode_rec *r) { return r->naïve + 2 * r->plain; }
int unicode_plain(int x) { return x + 4; }
