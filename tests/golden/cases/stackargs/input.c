#include "input.h"
int seven(int a, int b, int c, int d, int e, int f, int g) { return a + b + c + d + e + f + g; }
double nine(double a, double b, double c, double d, double e, double f, double g, double h, double i) { return a + b + c + d + e + f + g + h + i; }
int64_t mix20(int64_t i0, double d0, int64_t i1, double d1, int64_t i2, double d2, int64_t i3,
              double d3, int64_t i4, double d4, int64_t i5, double d5, int64_t i6, double d6,
              int64_t i7, double d7, int64_t i8, double d8, int64_t i9, double d9) {
  return i0 + i1 + i2 + i3 + i4 + i5 + i6 + i7 + i8 + i9 +
         (int64_t)(d0 + d1 + d2 + d3 + d4 + d5 + d6 + d7 + d8 + d9);
}
int64_t narrow(int64_t r0, int64_t r1, int64_t r2, int64_t r3, int64_t r4, int64_t r5,
               int64_t r6, int64_t r7, int8_t a, uint8_t b, int16_t c, uint16_t d, int32_t e,
               uint32_t f, bool g, char h, float x, double y) {
  return r0 + r1 + r2 + r3 + r4 + r5 + r6 + r7 + a + b + c + d + e + f + g + h + (int64_t)x + (int64_t)y;
}
float floats_on_stack(float a, float b, float c, float d, float e, float f, float g, float h,
                      float i, double j) {
  return a + b + c + d + e + f + g + h + i + (float)j;
}
