// A small library that uses glibc as any C library does (tests/e2e/libc_mode.sh).
#include <stddef.h>
#include <stdint.h>

/** Formats x with prec decimals ("%.*f") into out (cap bytes, NUL-terminated) through a malloc'd buffer; returns the length, or -1. */
int lm_format(double x, int prec, char *out, size_t cap);

/** strtod of s; *err is errno afterwards (ERANGE for "1e999"), or -1 when s is not all number. */
double lm_parse(const char *s, int *err);

/** Sets errno to v, allocates and frees n blocks, and returns errno: v when errno is per-thread. */
int lm_errno_roundtrip(int v, int n);

/** Formats the numbers 0..n-1 into n malloc'd strings (a local buffer each: stack-protected) and returns the sum of their lengths. */
uint64_t lm_sum_lengths(int n);

/** Copies s times times through malloc and free called from a writable table of function pointers; returns the sum of the copies' lengths, or -1. */
int64_t lm_table_copy(const char *s, int times);
