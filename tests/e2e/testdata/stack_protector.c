#include "stack_protector.h"

int sp_sum(const int *v, int n) {
  int copy[32];
  volatile int *c = copy; /* keeps the array, and with it the canary */
  int s = 0;
  for (int i = 0; i < n; i++) {
    c[i & 31] = v[i];
    s += c[i & 31];
  }
  return s;
}

int sp_smash(int n) {
  char buf[16];
  volatile char *p = buf; /* keeps the stores the bound check would drop */
  for (int i = 0; i < n; i++)
    p[i] = 'x';
  return p[0];
}
