/* The link matrix's DynamicGlue corpus: a writable global in a section of
 * its own (which a blob cannot carry), with absolute addresses (a global
 * table of function pointers, a table of string pointers), keeps relocations
 * that the Go side's linker must apply. */
#ifndef LM_GLUE_H
#define LM_GLUE_H

/** Adds n to a counter that starts at 100 (gl_state) and returns it. */
long gl_counter_add(long n);
/** Stores v at index i (mod 4096) of a zeroed buffer (.bss). */
void gl_buffer_put(long i, long v);
/** Sum of the buffer. */
long gl_buffer_sum(void);
/** Applies operation op (0-3) through a global const function-pointer table. */
long gl_apply(int op, long x);
/** strlen of the i-th name in a global table of string pointers. */
unsigned long gl_name_len(int i);

#endif
