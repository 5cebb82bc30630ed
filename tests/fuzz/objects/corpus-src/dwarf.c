/* Seed for the object fuzzer: signatures the DWARF frontend reads (built
 * with -g): records by value and by pointer, an enum, arrays, floats. */
#include <stdint.h>

enum fz_color { FZ_RED, FZ_GREEN = 5 };
struct fz_point { int32_t x, y; double w; };
union fz_bits { uint64_t u; double d; };
struct fz_list { struct fz_list *next; uint8_t tag[3]; };

double fz_dot(struct fz_point a, struct fz_point b) { return a.x * b.x + a.y * b.y + a.w * b.w; }
uint64_t fz_raw(union fz_bits b, enum fz_color c) { return b.u + (uint64_t)c; }
int fz_len(const struct fz_list *l) {
  int n = 0;
  for (; l; l = l->next) n++;
  return n;
}
float fz_mix(float a, double b, int8_t c, uint16_t d) { return a + (float)b + c + d; }
