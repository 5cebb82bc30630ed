/* Well-known cases of the System V x86-64 psABI and AAPCS64, for
 * gotramp-clangabi. test_clangabi.py holds what each one must arrange to on
 * linux/amd64 and linux/arm64, with the rule it follows from. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "included.h"

/* ---- Scalars ---------------------------------------------------------- */

int s_int(int a);
float s_float(float a);
double s_double(double a);
bool s_bool(bool a);
short s_small(short a, unsigned char b, int8_t c, uint16_t d);
int64_t s_i64(uint64_t a, size_t b, ptrdiff_t c);
void *s_ptr(const char *p, int (*fn)(int));
void s_void(void);
int s_noargs(void);
enum color { RED, GREEN, BLUE };
enum color s_enum(enum color c);
long double s_ldouble(long double a);
__int128 s_i128(__int128 a);
float _Complex s_cfloat(float _Complex a);
double _Complex s_cdouble(double _Complex a);

/* ---- Small structs ---------------------------------------------------- */

struct DL { double d; long l; };        /* 16: SSE + INTEGER */
struct F2 { float a, b; };              /*  8: one SSE eightbyte; HFA of 2 */
struct F3 { float a, b, c; };           /* 12: SSE, SSE; HFA of 3 */
struct F4 { float x, y, z, w; };        /* 16: SSE, SSE; HFA of 4 */
struct FA3 { float v[3]; };             /* 12: same as F3 */
struct DD { double a; double b; };      /* 16: SSE, SSE; HFA of 2 */
struct FD { float f; double d; };       /* 16: SSE, SSE; not an HFA */
struct FI { float f; int i; };          /*  8: INTEGER wins the merge */
struct C3 { char c[3]; };               /*  3: one INTEGER eightbyte */
struct LC { long a; char b; };          /* 16: INTEGER, INTEGER */
struct L1 { long a; };                  /*  8: INTEGER */
struct L2 { long a, b; };               /* 16: INTEGER, INTEGER */
struct D1 { double d; };                /*  8: SSE; HFA of 1 */
struct B8 { bool a; char b; short c; int d; }; /* 8: INTEGER */
union UDL { double d; long l; };        /*  8: INTEGER wins; not an HFA */
struct Empty {};                        /*  0 (GNU C) */
struct A16 { _Alignas(16) long a; long b; }; /* 16, 16-byte aligned */

struct DL f_dl(struct DL a);
struct F2 f_f2(struct F2 a);
struct F3 f_f3(struct F3 a);
struct F4 f_f4(struct F4 a);
struct FA3 f_fa3(struct FA3 a);
struct DD f_dd(struct DD a);
struct FD f_fd(struct FD a);
struct FI f_fi(struct FI a);
struct C3 f_c3(struct C3 a);
struct LC f_lc(struct LC a);
struct B8 f_b8(struct B8 a);
union UDL f_udl(union UDL a);
int f_empty(int a, struct Empty e, int b);
struct A16 f_a16(struct A16 a);

/* ---- Large structs ---------------------------------------------------- */

struct L3 { long a, b, c; };            /* 24 */
struct D4 { double a, b, c, d; };       /* 32; HFA of 4 */
struct F5 { float a, b, c, d, e; };     /* 20; 5 floats: not an HFA */

struct L3 f_l3(struct L3 a);
struct D4 f_d4(struct D4 a);
struct F5 f_f5(struct F5 a);

/* ---- Register exhaustion ---------------------------------------------- */

/* amd64: the 6 integer registers are gone. */
void x_l2_after6(long a0, long a1, long a2, long a3, long a4, long a5, struct L2 s);
void x_l1_after6(long a0, long a1, long a2, long a3, long a4, long a5, struct L1 s);
void x_dl_after6(long a0, long a1, long a2, long a3, long a4, long a5, struct DL s);
/* amd64: L2 needs 2 registers, 1 is left: L2 goes to memory, z takes R9. */
void x_l2_after5(long a0, long a1, long a2, long a3, long a4, struct L2 s, long z);
/* amd64: the 8 SSE registers are gone, integer registers are free. */
void x_d1_after8d(double a0, double a1, double a2, double a3, double a4, double a5, double a6,
                  double a7, struct D1 s);
/* amd64: both are gone. */
void x_d1_after8d6l(double a0, double a1, double a2, double a3, double a4, double a5,
                    double a6, double a7, long b0, long b1, long b2, long b3, long b4, long b5,
                    struct D1 s);
/* arm64: the 8 SIMD/FP registers are gone; amd64: the same. */
void x_dd_after8d(double a0, double a1, double a2, double a3, double a4, double a5, double a6,
                  double a7, struct DD s);
/* arm64: the 8 integer registers are gone. */
void x_lc_after8(long a0, long a1, long a2, long a3, long a4, long a5, long a6, long a7,
                 struct LC s);
/* arm64: LC needs 2 registers, 1 is left: LC goes to the stack and so does z
 * (NGRN is set to 8, C.13). */
void x_lc_after7(long a0, long a1, long a2, long a3, long a4, long a5, long a6, struct LC s,
                 long z);

/* amd64: __int128 needs 2 registers, 1 is left; arm64: X6, X7 (even pair). */
void x_i128_after5(long a0, long a1, long a2, long a3, long a4, __int128 x, long z);

/* ---- Not reported ----------------------------------------------------- */

int v_variadic(int n, ...);
int k_no_prototype();
struct Opaque;
void k_incomplete(struct Opaque o);
