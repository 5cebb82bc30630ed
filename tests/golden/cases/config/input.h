#include <stddef.h>
#include <stdint.h>

#define CFG_KEEP 1
#define CFG_DROP 2
#define cfg_lower 3

enum cfg_mode { CFG_MODE_A = 1 };

/// Kept: the native side stores buf, so it must not be declared noescape.
void cfg_register(uint8_t *buf, size_t n);
/// Kept with a larger frame and a new Go name.
int64_t cfg_deep(int64_t depth);
int cfg_internal_helper(int x);
int cfg_debug_dump(const char *s);
