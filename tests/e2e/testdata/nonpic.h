/* e2e.cli_errors: built without -fPIC, so the table is addressed with an
 * absolute 32-bit relocation (R_X86_64_32S) that a shared pre-link rejects. */
#ifndef NONPIC_H
#define NONPIC_H

long nonpic_lookup(long i);

#endif
