#include "glue.h"

typedef unsigned long size_t;
size_t strlen(const char *);

/* A writable section of its own: the blob lays out only .data and .bss. */
__attribute__((section("gl_state"))) long gl_counter = 100;
static long gl_buffer[4096];

long gl_counter_add(long n) { return gl_counter += n; }
void gl_buffer_put(long i, long v) { gl_buffer[i & 4095] = v; }
long gl_buffer_sum(void) {
  long s = 0;
  for (int i = 0; i < 4096; ++i)
    s += gl_buffer[i];
  return s;
}

static long op_inc(long x) { return x + 1; }
static long op_dbl(long x) { return x * 2; }
static long op_sq(long x) { return x * x; }
static long op_neg(long x) { return -x; }
long (*const gl_ops[4])(long) = {op_inc, op_dbl, op_sq, op_neg};

long gl_apply(int op, long x) { return gl_ops[op & 3](x); }

const char *const gl_names[] = {"alpha", "beta", "gamma-delta"};

unsigned long gl_name_len(int i) { return strlen(gl_names[i % 3]); }
