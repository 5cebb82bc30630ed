/* Defines only missing_defined; also built for aarch64 by e2e.cli_errors. */
#include "missing.h"

int64_t missing_defined(int64_t x) { return x + 1; }
