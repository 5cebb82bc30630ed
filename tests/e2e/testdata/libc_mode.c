// glibc, declared here rather than included so that both targets compile it
// without a sysroot.
#include "libc_mode.h"

void *malloc(size_t n);
void free(void *p);
int snprintf(char *buf, size_t n, const char *fmt, ...);
double strtod(const char *s, char **end);
size_t strlen(const char *s);
void *memcpy(void *dst, const void *src, size_t n);
int *__errno_location(void);
#define errno (*__errno_location())

int lm_format(double x, int prec, char *out, size_t cap) {
  char *buf = malloc(64);
  if (!buf)
    return -1;
  int n = snprintf(buf, 64, "%.*f", prec, x);
  if (n < 0 || (size_t)n >= cap) {
    free(buf);
    return -1;
  }
  memcpy(out, buf, (size_t)n + 1);
  free(buf);
  return n;
}

double lm_parse(const char *s, int *err) {
  char *end;
  errno = 0;
  double v = strtod(s, &end);
  *err = errno;
  if (end == s || *end)
    *err = -1;
  return v;
}

int lm_errno_roundtrip(int v, int n) {
  errno = v;
  for (int i = 0; i < n; i++) {
    volatile char *p = malloc(16 + (size_t)i % 512);
    if (p) {
      p[0] = (char)i;
      free((void *)p);
    }
  }
  return errno;
}

uint64_t lm_sum_lengths(int n) {
  char **strs = malloc(sizeof(char *) * (size_t)(n > 0 ? n : 1));
  if (!strs)
    return 0;
  uint64_t sum = 0;
  for (int i = 0; i < n; i++) {
    char local[32]; // -fstack-protector-strong guards this frame
    int len = snprintf(local, sizeof local, "%d", i);
    strs[i] = malloc((size_t)len + 1);
    memcpy(strs[i], local, (size_t)len + 1);
  }
  for (int i = 0; i < n; i++) {
    sum += strlen(strs[i]);
    free(strs[i]);
  }
  free(strs);
  return sum;
}

// glibc's functions in a writable table, as SQLite keeps its system calls:
// data relocations against imported functions (Syso.cpp gives each a thunk).
// Not static, so that the compiler cannot fold the calls into direct ones.
struct {
  const char *name;
  void *(*alloc)(size_t);
  void (*release)(void *);
} lm_allocator = {"glibc", malloc, free};

int64_t lm_table_copy(const char *s, int times) {
  int64_t total = 0;
  for (int i = 0; i < times; i++) {
    size_t n = strlen(s) + 1;
    char *copy = lm_allocator.alloc(n);
    if (!copy)
      return -1;
    memcpy(copy, s, n);
    total += (int64_t)strlen(copy);
    lm_allocator.release(copy);
  }
  return total;
}
