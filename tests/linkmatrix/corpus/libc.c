#include "libc.h"

/* glibc, declared here rather than included so that both targets compile it
 * without a sysroot. */
typedef unsigned long size_t;
void *malloc(size_t n);
void free(void *p);
int snprintf(char *buf, size_t n, const char *fmt, ...);
long strtol(const char *s, char **end, int base);
size_t strlen(const char *s);
void *memcpy(void *dst, const void *src, size_t n);
int *__errno_location(void);
#define errno (*__errno_location())

long lc_counter = 500;

long lc_format(long a, long b, char *out, unsigned long cap) {
  char local[64]; /* an array on the stack: -fstack-protector-strong guards the frame */
  int n = snprintf(local, sizeof local, "%ld+%ld=%ld", a, b, a + b);
  if (n < 0 || (size_t)n >= cap)
    return -1;
  char *copy = malloc((size_t)n + 1);
  if (!copy)
    return -1;
  memcpy(copy, local, (size_t)n + 1);
  memcpy(out, copy, strlen(copy) + 1);
  free(copy);
  return n;
}

long lc_parse(const char *s, int *err) {
  errno = 0;
  long v = strtol(s, 0, 10);
  *err = errno;
  return v;
}

unsigned long lc_errno_address(void) { return (unsigned long)&errno; }

int lc_errno_roundtrip(int v, int n) {
  errno = v;
  for (int i = 0; i < n; i++) {
    volatile char *p = malloc(16 + (size_t)i % 256);
    if (p) {
      p[0] = (char)i;
      free((void *)p);
    }
  }
  return errno;
}

static long op_len(const char *s) { return (long)strlen(s); }
static long op_num(const char *s) { return strtol(s, 0, 10); }
static long op_hex(const char *s) { return strtol(s, 0, 16); }
static long op_count(const char *s) { return lc_counter_add(1); }

/* Writable (.data), so its four addresses are slots the init relocates. */
long (*lc_ops[4])(const char *) = {op_len, op_num, op_hex, op_count};

long lc_apply(int op, const char *s) { return lc_ops[op & 3](s); }

long atol(const char *s);
/* A glibc function in writable data, as SQLite's system-call table. */
long (*lc_glibc_ops[1])(const char *) = {atol};

long lc_apply_glibc(const char *s) { return lc_glibc_ops[0](s); }

void lc_swap(int i, int j) {
  long (*t)(const char *) = lc_ops[i & 3];
  lc_ops[i & 3] = lc_ops[j & 3];
  lc_ops[j & 3] = t;
}

long lc_counter_add(long n) { return lc_counter += n; }
