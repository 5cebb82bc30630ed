#include "input.h"
#include <stdarg.h>

static int cmp_i64(const void *a, const void *b) {
  int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
  return (x > y) - (x < y);
}
compare_fn default_compare(void) { return cmp_i64; }
static vec2 add(vec2 a, vec2 b) { vec2 r = {a.x + b.x, a.y + b.y}; return r; }
vec_op vec_add_op(void) { return add; }
int64_t sum_i64(int count, ...) {
  va_list ap;
  va_start(ap, count);
  int64_t s = 0;
  while (count-- > 0)
    s += va_arg(ap, int64_t);
  va_end(ap);
  return s;
}
double mix_sum(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  double s = 0;
  for (; *fmt; fmt++)
    s += *fmt == 'l' ? (double)va_arg(ap, int64_t) : va_arg(ap, double);
  va_end(ap);
  return s;
}
