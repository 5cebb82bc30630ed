/* Calls through function pointers and fixed shapes of variadic functions. */
#include <stdint.h>

typedef struct { double x, y; } vec2;
/* Compares two elements: negative, zero or positive. */
typedef int (*compare_fn)(const void *a, const void *b);
typedef vec2 (*vec_op)(vec2 a, vec2 b);
typedef void (*visit_fn)(int64_t value, void *ctx);

compare_fn default_compare(void);
vec_op vec_add_op(void);
/* Sums count int64 arguments. */
int64_t sum_i64(int count, ...);
/* printf-like: one double per 'd', one int64 per 'l' in fmt. */
double mix_sum(const char *fmt, ...);
