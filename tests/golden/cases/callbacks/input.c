#include "input.h"

void sort_ints(int *xs, size_t n, int (*compar)(const void *, const void *)) {
  for (size_t i = 1; i < n; i++)
    for (size_t j = i; j > 0 && compar(&xs[j - 1], &xs[j]) > 0; j--) {
      int t = xs[j];
      xs[j] = xs[j - 1];
      xs[j - 1] = t;
    }
}

int each(const int *xs, size_t n, int (*visit)(void *ctx, int value, int index), void *ctx) {
  int s = 0;
  for (size_t i = 0; i < n; i++)
    s += visit(ctx, xs[i], (int)i);
  return s;
}

void *make_buffer(allocator a, size_t n) { return a.alloc(a.opaque, n); }

int64_t fold10(int64_t a, int64_t b, int64_t c, int64_t d, int64_t e, int64_t f, int64_t g,
               int64_t h, int64_t i, int64_t j, ten_fn fn) {
  return fn(a, b, c, d, e, f, g, h, (int32_t)i, (uint8_t)j);
}

uint32_t hash_with(hash_fn h, const uint8_t *p, size_t n) { return h(p, n); }

static int (*registered)(int);
int run_registered(int x) { return registered ? registered(x) : x; }
int run_annotated(int x) { return registered ? registered(x) : -x; }
int new_cmp_fn(int x) { return x; }

int log_with(log_fn log, const char *fmt, ...) { return log(fmt); }
int name_clash(int r, int barrier, int barrier_, cmp_fn fn) { return fn(&r, &barrier) + barrier_; }
