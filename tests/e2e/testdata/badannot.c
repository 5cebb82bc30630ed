#include "badannot.h"
int badannot_f(int x) { return x; }
