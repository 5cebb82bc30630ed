/* e2e.cli_errors: one function the object defines, one it does not. The
 * missing one is bound under another symbol name, so that the error can be
 * checked to name both the function and the symbol. */
#ifndef MISSING_H
#define MISSING_H

#include <stdint.h>

/** Defined by missing.c. */
int64_t missing_defined(int64_t x);

/** Defined nowhere. */
int64_t missing_undefined(int64_t x) __asm__("missing_undefined_impl");

#endif
