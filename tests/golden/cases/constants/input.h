#include <stdint.h>

/// The API version.
#define LIB_VERSION 7
#define LIB_NEGATIVE (-3)
#define LIB_HEX 0x7fu
#define LIB_ALL_ONES 0xFFFFFFFFFFFFFFFFull
#define LIB_STRING "ignored"
#define LIB_FUNC_LIKE(x) (x)

/// How loud to be.
typedef enum {
  /// Everything.
  log_debug = -1,
  log_info = 0,
  LOG_ERROR = 5,
} log_level;

enum flags { FLAG_A = 1, FLAG_B = 2 };

/* Unsigned 64-bit: the constants are uint64 values, not -1. */
enum huge { HUGE_ALL = 0xFFFFFFFFFFFFFFFFull, HUGE_TOP = 0x8000000000000000ull, HUGE_ONE = 1 };
enum wide { WIDE_MIN = -9223372036854775807LL - 1, WIDE_MAX = 9223372036854775807LL };
enum u32 { U32_MAX = 0xFFFFFFFFu };

/// Sets the level; returns the previous one.
log_level set_level(log_level l);
