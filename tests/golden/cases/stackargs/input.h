#include <stdbool.h>
#include <stdint.h>

/* Stack arguments: System V takes 6 integer and 8 floating-point arguments
 * in registers, AAPCS64 8 and 8; the rest go to 8-byte stack slots in
 * argument order, whatever their class. */

/// Seven integers: the 7th is System V's first stack slot.
int seven(int a, int b, int c, int d, int e, int f, int g);

/// Nine doubles: the 9th is on the stack on both targets.
double nine(double a, double b, double c, double d, double e, double f, double g, double h, double i);

/// Ten integers and ten doubles interleaved: both classes overflow.
int64_t mix20(int64_t i0, double d0, int64_t i1, double d1, int64_t i2, double d2, int64_t i3,
              double d3, int64_t i4, double d4, int64_t i5, double d5, int64_t i6, double d6,
              int64_t i7, double d7, int64_t i8, double d8, int64_t i9, double d9);

/// Every narrow type in a stack slot on both targets, widened to the slot.
int64_t narrow(int64_t r0, int64_t r1, int64_t r2, int64_t r3, int64_t r4, int64_t r5,
               int64_t r6, int64_t r7, int8_t a, uint8_t b, int16_t c, uint16_t d, int32_t e,
               uint32_t f, bool g, char h, float x, double y);

/// Floats on the stack keep their bits: the low 4 bytes of the slot.
float floats_on_stack(float a, float b, float c, float d, float e, float f, float g, float h,
                      float i, double j);
