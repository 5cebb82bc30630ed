#include "input.h"
int64_t ints(int8_t a, uint8_t b, int16_t c, uint16_t d, int32_t e, uint32_t f) { return a + b + c + d + e + f; }
char chars(char c, signed char s, unsigned char u) { return (char)(c + s + u); }
bool negate(bool b) { return !b; }
float mixed(double a, int32_t b, float c, int64_t d) { return (float)(a + b + c + d); }
uint64_t eight_ints(uint8_t a, int16_t b, uint32_t c, int64_t d, uint64_t e, int8_t f, uint16_t g, int32_t h) { return a + b + c + d + e + f + g + h; }
double eight(double a, double b, double c, double d, double e, double f, double g, double h) { return a + b + c + d + e + f + g + h; }
void nothing(void) {}
uint16_t half(uint32_t x) { return (uint16_t)(x >> 1); }
int8_t narrow_result(int64_t x) { return (int8_t)x; }
size_t length(const char *s) { size_t n = 0; while (s[n]) n++; return n; }
void *identity(void *p) { return p; }
