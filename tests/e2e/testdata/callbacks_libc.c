#include "callbacks_libc.h"
#include <pthread.h>
#include <stdlib.h>

void cbl_qsort(void *base, size_t n, size_t size, cbl_cmp_fn cmp) { qsort(base, n, size, cmp); }

struct job {
  cbl_int_fn fn;
  int64_t x, result;
};

static void *run(void *arg) {
  struct job *j = arg;
  j->result = j->fn(j->x);
  return 0;
}

int64_t cbl_on_thread(cbl_int_fn fn, int64_t x) {
  struct job j = {fn, x, 0};
  pthread_t t;
  if (pthread_create(&t, 0, run, &j) != 0)
    return -1;
  pthread_join(t, 0);
  return j.result;
}
