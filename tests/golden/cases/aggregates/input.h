/* One function per classification case of System V x86-64 and AAPCS64
 * for aggregates passed and returned by value. */
#include <stdbool.h>
#include <stdint.h>

typedef struct { int32_t a, b; } ii;          /* INTEGER | X0 */
typedef struct { double d; } d1;              /* SSE | HFA(1) */
typedef struct { double d; int64_t l; } dl;   /* SSE, INTEGER | X0, X1 */
typedef struct { int64_t l; double d; } ld;   /* INTEGER, SSE | X0, X1 */
typedef struct { double x, y; } d2;           /* SSE, SSE | HFA(2) */
typedef struct { float x, y, z; } f3;         /* SSE (two floats), SSE (one) | HFA(3) */
typedef struct { float v[4]; } f4;            /* SSE, SSE | HFA(4) through an array */
typedef struct { double v[4]; } d4;           /* MEMORY (32 bytes) | HFA(4) in V0-V3 */
typedef struct { int64_t a, b, c; } l3;       /* MEMORY | by reference to a copy */
typedef struct __attribute__((packed)) { char c; int32_t i; } pk; /* unaligned: MEMORY | X0 */
typedef struct { char c[3]; } c3;             /* INTEGER, 3 bytes | X0 */
typedef union { float f; int32_t i; } fi;     /* union: INTEGER | X0 */
typedef union { float f[2]; float g; } uf;    /* union of floats: SSE | HFA(2) */
typedef struct { dl inner; int32_t tag; } nested; /* nested, 24 bytes: MEMORY | by reference */
typedef struct { bool ok; uint8_t kind; uint16_t n; float w; } mix; /* INTEGER (int + float) */

ii ret_ii(int32_t a, int32_t b);
double sum_d1(d1 v);
dl swap_ld(ld v);
d2 add_d2(d2 a, d2 b);
f3 scale_f3(f3 v, float k);
float dot_f4(f4 a, f4 b);
d4 neg_d4(d4 v);
l3 rot_l3(l3 v);
int32_t pk_int(pk v);
pk make_pk(char c, int32_t i);
c3 rev_c3(c3 v);
fi bits_fi(fi v);
float first_uf(uf v);
nested wrap(dl inner, int32_t tag);
mix make_mix(bool ok, uint8_t kind, uint16_t n, float w);
/* Registers run out: the 7th pair goes to the stack on System V; on
 * AAPCS64 the 5th and later d2 (HFAs) exhaust V0-V7. */
int64_t spill_ii(ii a, ii b, ii c, ii d, ii e, ii f, ii g);
double spill_d2(d2 a, d2 b, d2 c, d2 d, d2 e, double f);
/* System V: the hidden result pointer takes RDI, the arguments move up. */
l3 ret_big(int64_t a, int64_t b, int64_t c, int64_t d, int64_t e, int64_t f);
