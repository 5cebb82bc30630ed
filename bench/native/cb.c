#include "cb.h"

int64_t tb_cb_call_n(tb_cb_fn fn, int64_t n) {
  int64_t s = 0;
  for (int64_t i = 0; i < n; i++)
    s += fn(i);
  return s;
}

int64_t tb_cb_call1(tb_cb_fn fn, int64_t x) { return fn(x); }
