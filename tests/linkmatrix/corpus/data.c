#include "data.h"

typedef unsigned long size_t;
size_t strlen(const char *);

long dt_counter = 100;
static long dt_buffer[4096];
long dt_seed = 42;

long dt_counter_add(long n) { return dt_counter += n; }
void dt_buffer_put(long i, long v) { dt_buffer[i & 4095] = v; }
long dt_buffer_sum(void) {
  long s = 0;
  for (int i = 0; i < 4096; ++i)
    s += dt_buffer[i];
  return s;
}

long dt_calls(void) {
  static long calls;
  return ++calls;
}

static long op_inc(long x) { return x + 1; }
static long op_dbl(long x) { return x * 2; }
static long op_sq(long x) { return x * x; }
static long op_neg(long x) { return -x; }
long (*const dt_ops[4])(long) = {op_inc, op_dbl, op_sq, op_neg};

/* A switch, not an indirect call: the stack bound stays known. */
long dt_apply(int op, long x) {
  long (*const volatile *ops)(long) = dt_ops;
  long (*f)(long) = ops[op & 3];
  if (f == op_inc)
    return op_inc(x);
  if (f == op_dbl)
    return op_dbl(x);
  if (f == op_sq)
    return op_sq(x);
  return op_neg(x);
}

const char *const dt_names[] = {"alpha", "beta", "gamma-delta"};

unsigned long dt_name_len(int i) { return strlen(dt_names[i % 3]); }

/* A GOT load that the pre-link cannot relax into a PC-relative address: on
 * amd64 an add from the slot (lld turns only mov into lea), on arm64 ADRP
 * and LDR kept apart by an instruction. */
long dt_seed_add(long n) {
  long *p;
#if defined(__x86_64__)
  __asm__("xorl %k0, %k0\n\taddq dt_seed@GOTPCREL(%%rip), %0" : "=r"(p));
#else
  __asm__("adrp %0, :got:dt_seed\n\tnop\n\tldr %0, [%0, :got_lo12:dt_seed]" : "=r"(p));
#endif
  return *p += n;
}

void *dt_buffer_address(void) { return dt_buffer; }
const void *dt_table_address(void) { return dt_ops; }
const void *dt_code_address(void) { return (const void *)dt_counter_add; }
