/* e2e.cli_errors: a function whose code calls malloc, which gotramp cannot provide. */
#ifndef MALLOC_H
#define MALLOC_H

void *malloc_block(void);

#endif
