#include "input.h"

ii ret_ii(int32_t a, int32_t b) { ii r = {a, b}; return r; }
double sum_d1(d1 v) { return v.d; }
dl swap_ld(ld v) { dl r = {v.d, v.l}; return r; }
d2 add_d2(d2 a, d2 b) { d2 r = {a.x + b.x, a.y + b.y}; return r; }
f3 scale_f3(f3 v, float k) { f3 r = {v.x * k, v.y * k, v.z * k}; return r; }
float dot_f4(f4 a, f4 b) { return a.v[0] * b.v[0] + a.v[1] * b.v[1] + a.v[2] * b.v[2] + a.v[3] * b.v[3]; }
d4 neg_d4(d4 v) { d4 r = {{-v.v[0], -v.v[1], -v.v[2], -v.v[3]}}; return r; }
l3 rot_l3(l3 v) { l3 r = {v.b, v.c, v.a}; return r; }
int32_t pk_int(pk v) { return v.i + v.c; }
pk make_pk(char c, int32_t i) { pk r; r.c = c; r.i = i; return r; }
c3 rev_c3(c3 v) { c3 r = {{v.c[2], v.c[1], v.c[0]}}; return r; }
fi bits_fi(fi v) { fi r; r.i = v.i ^ 1; return r; }
float first_uf(uf v) { return v.f[0] + v.f[1]; }
nested wrap(dl inner, int32_t tag) { nested r = {inner, tag}; return r; }
mix make_mix(bool ok, uint8_t kind, uint16_t n, float w) { mix r = {ok, kind, n, w}; return r; }
int64_t spill_ii(ii a, ii b, ii c, ii d, ii e, ii f, ii g) { return a.a + b.a + c.a + d.a + e.a + f.a + g.a + g.b; }
double spill_d2(d2 a, d2 b, d2 c, d2 d, d2 e, double f) { return a.x + b.x + c.x + d.x + e.x + e.y + f; }
l3 ret_big(int64_t a, int64_t b, int64_t c, int64_t d, int64_t e, int64_t f) { l3 r = {a + b, c + d, e + f}; return r; }
