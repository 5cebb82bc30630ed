/* The link matrix's libc-mode corpus, generated with "libc": "dynamic":
 * malloc, free, snprintf, strtol and errno from glibc (imported at run time),
 * memcpy and strlen from runtime-shims/mem, the stack protector's canary
 * (compiled with -fstack-protector-strong), and a writable table of function
 * pointers. The glibc imports make the package a relocatable object with
 * dynamic-import glue, so cmd/link (or the dynamic loader, for PIE) applies
 * the table's relocations next to the imports; no init-time relocation. */
#ifndef LM_LIBC_H
#define LM_LIBC_H

/** Formats "a+b=sum" through a stack buffer and a malloc'd copy into out
 * (cap bytes, NUL-terminated); returns the length, or -1 when it does not fit. */
long lc_format(long a, long b, char *out, unsigned long cap);
/** strtol of s in base 10; *err is errno afterwards (ERANGE on overflow). */
long lc_parse(const char *s, int *err);
/** The address of this thread's errno: glibc's TLS, different on every thread
 * that glibc set up. */
unsigned long lc_errno_address(void);
/** Sets errno to v, allocates and frees n blocks, and returns errno. */
int lc_errno_roundtrip(int v, int n);
/** Applies entry op (mod 4) of a writable function-pointer table to s. */
long lc_apply(int op, const char *s);
/** Swaps entries i and j (mod 4) of that table. */
void lc_swap(int i, int j);
/** atol of s, called through a writable table that holds glibc's atol (the
 * packer's thunk: cmd/link cannot put an import's address in data). */
long lc_apply_glibc(const char *s);
/** Adds n to a counter that starts at 500 (.data) and returns it. */
long lc_counter_add(long n);

#endif
