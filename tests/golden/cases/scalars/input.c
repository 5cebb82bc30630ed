#include "input.h"
int64_t ints(int8_t a, uint8_t b, int16_t c, uint16_t d, int32_t e, uint32_t f) { return a + b + c + d + e + f; }
char chars(char c, signed char s, unsigned char u) { return (char)(c + s + u); }
bool negate(bool b) { return !b; }
float mixed(double a, int32_t b, float c, int64_t d) { return (float)(a + b + c + d); }
double eight(double a, double b, double c, double d, double e, double f, double g, double h) { return a + b + c + d + e + f + g + h; }
void nothing(void) {}
uint16_t half(uint32_t x) { return (uint16_t)(x >> 1); }
