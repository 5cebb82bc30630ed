#include "fs_tls.h"

int64_t tls_peek(void) {
  int64_t g;
  __asm__ volatile("movq %%fs:-8, %0" : "=r"(g));
  return g;
}

/* Defined here so that the stack protector leaves nothing undefined: the
   only trace of it is the canary read. */
void __stack_chk_fail(void) {
  for (;;)
    ;
}

int64_t tls_guarded(int64_t x) {
  char buf[64];
  volatile char *p = buf;
  for (int i = 0; i < 64; i++)
    p[i] = (char)(x + i);
  return p[x & 63];
}

int64_t tls_plain(int64_t x) { return x * 3; }
