/* Calls to the mem and str routines gotramp packs (runtime-shims/mem), for
 * tests/mem: each wrapper makes exactly one call, so that the Go test can
 * compare the routine with a reference on every size and alignment; the
 * loop_* functions repeat one call for the benchmark against glibc. */
#ifndef GOTRAMP_MEMTEST_H
#define GOTRAMP_MEMTEST_H
#include <stddef.h>
#include <stdint.h>

void t_memcpy(uint8_t *dst, const uint8_t *src, size_t n);
void t_memmove(uint8_t *dst, const uint8_t *src, size_t n);
void t_memset(uint8_t *dst, int c, size_t n);
int t_memcmp(const uint8_t *a, const uint8_t *b, size_t n);
int t_bcmp(const uint8_t *a, const uint8_t *b, size_t n);
size_t t_strlen(const uint8_t *s);
size_t t_strnlen(const uint8_t *s, size_t n);
/* The index of the byte found, or -1. */
ptrdiff_t t_memchr(const uint8_t *s, int c, size_t n);
ptrdiff_t t_strchr(const uint8_t *s, int c);
int t_strcmp(const uint8_t *a, const uint8_t *b);
int t_strncmp(const uint8_t *a, const uint8_t *b, size_t n);

/* Each makes iters calls and returns something that depends on all of them. */
uint64_t loop_memcpy(uint8_t *dst, const uint8_t *src, size_t n, uint64_t iters);
uint64_t loop_memmove(uint8_t *dst, const uint8_t *src, size_t n, uint64_t iters);
uint64_t loop_memset(uint8_t *dst, size_t n, uint64_t iters);
uint64_t loop_memcmp(const uint8_t *a, const uint8_t *b, size_t n, uint64_t iters);
uint64_t loop_strlen(const uint8_t *s, uint64_t iters);
uint64_t loop_memchr(const uint8_t *s, size_t n, uint64_t iters);
uint64_t loop_strcmp(const uint8_t *a, const uint8_t *b, uint64_t iters);

#endif
