#include "input.h"
int ok(int x) { return x + 1; }
