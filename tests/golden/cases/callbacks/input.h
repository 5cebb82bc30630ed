#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../../../../runtime-shims/c/gotramp.h"

typedef struct point { int32_t x, y; } point;
enum color { RED, GREEN = -2 };

/** Compares two elements: negative, zero or positive. */
typedef int (*cmp_fn)(const void *a, const void *b);

/** Every scalar kind a callback decodes, and a bool result. */
typedef bool (*kinds_fn)(bool flag, int8_t i8, uint16_t u16, char c, enum color col, size_t n,
                         float f32, double f64, point *p, cmp_fn next);

/** Ten integers: the last four on amd64's stack, the last two on arm64's. */
typedef int8_t (*ten_fn)(int64_t a, int64_t b, int64_t c, int64_t d, int64_t e, int64_t f,
                         int64_t g, int64_t h, int32_t i, uint8_t j);

/** Ten doubles and a float: the last three on the stack of both targets. */
typedef float (*floats_fn)(double a, double b, double c, double d, double e, double f, double g,
                           double h, double i, double j, float k);

typedef void *(*alloc_fn)(void *opaque, size_t size);
typedef uint32_t (*hash_fn)(const uint8_t *p, size_t n);

/* Unsupported for a constructor: a struct by value, a struct result, variadic. */
typedef int (*by_value_fn)(point p);
typedef point (*point_fn)(int x);
typedef int (*log_fn)(const char *fmt, ...);

/** A type whose parameter is itself a function pointer: its caller is on the callback path. */
typedef void (*register_fn)(void (*handler)(int sig), int flags);

/** An allocator passed by value: its fields are function pointers. */
typedef struct allocator {
  alloc_fn alloc;
  void *opaque;
} allocator;

/** Sorts with a comparator spelled inline, as qsort does. */
void sort_ints(int *xs, size_t n, int (*compar)(const void *, const void *));

/** Typedef'd callback and a context. */
int each(const int *xs, size_t n, int (*visit)(void *ctx, int value, int index), void *ctx);

/** The allocator's field makes this a callback-path function. */
void *make_buffer(allocator a, size_t n);

/** Stack arguments on both targets, on the callback path. */
int64_t fold10(int64_t a, int64_t b, int64_t c, int64_t d, int64_t e, int64_t f, int64_t g,
               int64_t h, int64_t i, int64_t j, ten_fn fn);

/** The config keeps it direct: its pointer is never a Go callback. */
uint32_t hash_with(hash_fn h, const uint8_t *p, size_t n);

/** No function pointer, but it calls one registered earlier: the config puts it on the callback path. */
int run_registered(int x);

/** The header annotation puts it on the callback path. */
GOTRAMP_CALLBACK int run_annotated(int x);

/** Its constructor's Go name would be NewCmpFn, which this function holds. */
int new_cmp_fn(int x);

/** Variadic, with a function pointer among the fixed parameters (call shapes in the config). */
int log_with(log_fn log, const char *fmt, ...);

/** Parameters named like the locals of the Go function around a callback-path trampoline. */
int name_clash(int r, int barrier, int barrier_, cmp_fn fn);
