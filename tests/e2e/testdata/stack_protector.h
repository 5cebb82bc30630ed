/* Native code built with the stack protector that calls nothing of glibc's
 * (e2e.libc_stack_protector). */
#ifndef STACK_PROTECTOR_H
#define STACK_PROTECTOR_H

/* The sum of v[0..n), passed through a local array: the canary guards it. */
int sp_sum(const int *v, int n);

/* Writes n bytes into a 16-byte local array: above 16 it overwrites the
 * canary, and the function calls __stack_chk_fail instead of returning. */
int sp_smash(int n);

#endif
