/* The link matrix's main corpus: code that packs as a static blob (no
 * writable data, no absolute addresses) and exercises every kind of
 * reference the pre-link must resolve. lm_a.c, lm_b.c and lm_c.c are
 * separate objects. */
#ifndef LM_CORPUS_H
#define LM_CORPUS_H

/** Fibonacci by double recursion (lm_a.c). */
long lm_fib(long n);
/** Ackermann's function, non-tail recursion (lm_a.c). */
long lm_ackermann(long m, long n);
/** Sum of lm_square(i) for i in [1, n]: calls into lm_b.c. */
long lm_sum_squares(long n);
/** A dense switch compiled to a jump table (lm_b.c). */
long lm_dispatch(int op, long x);
/** Applies four functions through a table of function pointers built on the
 * stack (PC-relative addresses) and sums the results (lm_a.c). */
long lm_apply_all(long x);
/** CRC-32 (IEEE) with a read-only 256-entry table (lm_c.c). */
unsigned lm_crc32(const unsigned char *p, unsigned long n);
/** strlen of a read-only string chosen by index, through the strlen shim. */
unsigned long lm_message_len(int i);
/** Copies a 64-long block into a local (memcpy shim), zeroes part of it
 * (memset shim), shifts it (memmove shim) and sums it. */
long lm_block_sum(const long *src, int zero_from, int shift);
/** memcmp sign of the first n bytes (memcmp shim); with equal_only, 0 or 1
 * (bcmp shim). */
int lm_compare(const unsigned char *a, const unsigned char *b, unsigned long n, int equal_only);

#endif
