/* The link matrix's relocated-data corpus: writable globals, static locals,
 * .bss arrays, function-pointer and string-pointer tables in .data.rel.ro,
 * and a load through a GOT slot (the pattern rustc emits). The blob carries
 * them on pages of their own; the package's init relocates the address
 * slots, so every link mode, the static one included, runs them. */
#ifndef LM_DATA_H
#define LM_DATA_H

/** Adds n to a counter that starts at 100 (.data) and returns it. */
long dt_counter_add(long n);
/** Stores v at index i (mod 4096) of a zeroed buffer (.bss). */
void dt_buffer_put(long i, long v);
/** Sum of the buffer. */
long dt_buffer_sum(void);
/** Counts its calls in a function-scope static (.bss). */
long dt_calls(void);
/** Applies operation op (0-3) through a global const function-pointer table. */
long dt_apply(int op, long x);
/** strlen of the i-th name in a global table of string pointers. */
unsigned long dt_name_len(int i);
/** Reads dt_seed (starts at 42, .data) through a GOT slot, then adds n to it. */
long dt_seed_add(long n);

/** Addresses for the page-protection check: the .bss buffer, the function
 * table (.data.rel.ro), and code (dt_counter_add). */
void *dt_buffer_address(void);
const void *dt_table_address(void);
const void *dt_code_address(void);

#endif
