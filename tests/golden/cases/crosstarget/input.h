#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The scalar cases of `scalars` and `pointers` on both targets: arm64
 * widens every narrow integer to 64 bits, char is unsigned there. */

/// Every integer width, signed and unsigned.
int64_t ints(int8_t a, uint8_t b, int16_t c, uint16_t d, int32_t e, uint32_t f);

/// Plain char follows the target's signedness.
char chars(char c, signed char s, unsigned char u);

bool negate(bool b);

/** Floats and integers interleaved. */
float mixed(double a, int32_t b, float c, int64_t d);

/// All eight integer argument registers of AAPCS64 (two on the stack for System V).
uint64_t eight_ints(uint8_t a, int16_t b, uint32_t c, int64_t d, uint64_t e, int8_t f, uint16_t g, int32_t h);

double eight(double a, double b, double c, double d, double e, double f, double g, double h);

void nothing(void);

uint16_t half(uint32_t x);

int8_t narrow_result(int64_t x);

size_t length(const char *s);

void *identity(void *p);
