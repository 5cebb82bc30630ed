#include <stddef.h>
#include <stdint.h>

struct opaque;

/// Sums n values.
int64_t sum(const int64_t *xs, size_t n);
size_t length(const char *s);
void *identity(void *p);
struct opaque *open_thing(uintptr_t handle);
void fill(uint8_t *dst, size_t n, uint8_t v);
double apply(double (*fn)(double), double x);
char **argv_next(char **argv);
ptrdiff_t distance(const char *a, const char *b);
