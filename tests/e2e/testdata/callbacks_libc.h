/* e2e.callbacks, libc mode: glibc's qsort and a thread Go did not start. */
#include <stddef.h>
#include <stdint.h>

typedef int (*cbl_cmp_fn)(const void *a, const void *b);
typedef int64_t (*cbl_int_fn)(int64_t x);

/* glibc's qsort with cmp. */
void cbl_qsort(void *base, size_t n, size_t size, cbl_cmp_fn cmp);
/* fn(x) on a new pthread, joined: a callback there ends the process. */
int64_t cbl_on_thread(cbl_int_fn fn, int64_t x);
