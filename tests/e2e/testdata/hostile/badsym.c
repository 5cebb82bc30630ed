#include "badsym.h"
int bad_symbol(int x) { return x; }
int good_symbol(int x) { return x + 1; }
