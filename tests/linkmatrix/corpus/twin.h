/* Compiled twice, with TWIN_SEED 1 and 2, into two Go packages of one
 * binary: both define the same C symbols (and the same local helper). */
#ifndef LM_TWIN_H
#define LM_TWIN_H

/** TWIN_SEED * 1000 + 7. */
long tw_value(void);
/** x * TWIN_SEED + tw_value(), through a local helper. */
long tw_mix(long x);

#endif
