#include "corpus.h"

long lm_square(long x) { return x * x; }

__attribute__((noinline)) static long tri(long x) { return x * (x + 1) / 2; }

long lm_dispatch(int op, long x) {
  switch (op) {
  case 0: return x + 11;
  case 1: return lm_square(x) - 7;
  case 2: return x * 13 + 1;
  case 3: return tri(x);
  case 4: return x ^ 0x5a5a;
  case 5: return lm_square(x + 1);
  case 6: return x << 3;
  case 7: return tri(x + 2) - x;
  case 8: return -x * 9;
  default: return -1;
  }
}
