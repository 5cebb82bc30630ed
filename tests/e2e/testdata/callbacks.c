#include "callbacks.h"

static void swap_bytes(unsigned char *a, unsigned char *b, size_t size) {
  for (size_t k = 0; k < size; k++) {
    unsigned char t = a[k];
    a[k] = b[k];
    b[k] = t;
  }
}

void cb_sort(void *base, size_t n, size_t size, cb_cmp_fn cmp) {
  unsigned char *p = base;
  for (size_t gap = n / 2; gap > 0; gap /= 2)
    for (size_t i = gap; i < n; i++)
      for (size_t j = i; j >= gap && cmp(p + (j - gap) * size, p + j * size) > 0; j -= gap)
        swap_bytes(p + (j - gap) * size, p + j * size, size);
}

int64_t cb_apply(cb_int_fn fn, int64_t x) { return fn(x); }

int64_t cb_sum(cb_int_fn fn, int64_t n) {
  int64_t s = 0;
  for (int64_t i = 0; i < n; i++)
    s += fn(i);
  return s;
}

double cb_mix(cb_mix_fn fn, const char *s, void *p) {
  return fn(-5, 65000, -100000, -5000000000LL, s, p, 7, 8, 9, 250, 1.5f, -2.25);
}

float cb_float(cb_float_fn fn, float x) { return fn(x) * 2.0f; }

int32_t cb_small(cb_small_fn fn, int8_t x) {
  int8_t r = fn(x);
  int32_t wide = r; /* must equal the Go function's int8 result */
  return wide == (int32_t)(int8_t)(x - 1) ? 1 : 0;
}

void cb_visit(cb_visit_fn fn, void *ctx, int32_t n) {
  for (int32_t i = 0; i < n; i++)
    fn(ctx, i);
}

static cb_int_fn registered;

void cb_register(cb_int_fn fn) { registered = fn; }
int64_t cb_invoke(int64_t x) { return registered(x); }
int64_t cb_invoke_direct(int64_t x) { return registered(x) + 1; }
int64_t cb_invoke_own(int64_t x) { return registered(x) + 2; }
