#include <stdint.h>

/* Renames and go_name overrides on a package for both targets: the Go
 * signature is compared across targets before they apply. */

#define RN_LIMIT 42

/// Renamed by "renames".
int32_t rn_add_one(int32_t x);

/// Renamed by functions.overrides.rn_scale.go_name.
double rn_scale(double x, int32_t k);
