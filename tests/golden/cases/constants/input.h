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

/// Sets the level; returns the previous one.
log_level set_level(log_level l);
