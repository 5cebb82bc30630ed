// Calls through function pointers (pointers come from code or arguments:
// a table of addresses in data would need load-time relocations, which the
// static blob does not have).
#include "common.h"

typedef uint64_t (*fn_t)(uint64_t);

// Hidden: on arm64 the address of a default-visibility function is loaded
// from the GOT, which a static blob does not have.
#define HIDDEN __attribute__((visibility("hidden")))

HIDDEN NOINLINE uint64_t fp_add1(uint64_t x) { return x + 1; }
HIDDEN NOINLINE uint64_t fp_big(uint64_t x) {
  volatile uint8_t a[700];
  a[x % 700] = 9;
  return a[x % 700] + x;
}
//@ run fp_big 3
//@ run fp_add1 3

NOINLINE uint64_t call_ptr(fn_t f, uint64_t x) { return f(x) * 2; }
//@ unknown call_ptr indirect-call|indirect-jump

// Passes a pointer on: the indirect call is in the callee.
NOINLINE uint64_t pass_ptr(uint64_t x) { return call_ptr(fp_big, x) + 1; }
//@ unknown pass_ptr indirect-call|indirect-jump

// A pointer chosen at run time between two known functions.
NOINLINE uint64_t call_select(uint64_t i, uint64_t x) {
  volatile fn_t f = (i & 1) ? fp_add1 : fp_big;
  return f(x) + 1;
}
//@ unknown call_select indirect-call|indirect-jump

// A pointer that is a constant: optimisation turns the call into a direct
// one; at -O0 it goes through a stack slot and stays indirect.
NOINLINE uint64_t call_known(uint64_t x) {
  fn_t f = fp_big;
  return f(x) + 3;
}
//@ maybe call_known 5
