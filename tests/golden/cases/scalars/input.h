#include <stdbool.h>
#include <stdint.h>

/// Every integer width, signed and unsigned: narrow ones are widened.
int64_t ints(int8_t a, uint8_t b, int16_t c, uint16_t d, int32_t e, uint32_t f);

/// Plain char follows the target's signedness.
char chars(char c, signed char s, unsigned char u);

bool negate(bool b);

/** Floats and integers interleaved. */
float mixed(double a, int32_t b, float c, int64_t d);

double eight(double a, double b, double c, double d, double e, double f, double g, double h);

void nothing(void);

uint16_t half(uint32_t x);
