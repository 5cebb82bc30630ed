/* A user's own small library, bound by tests/e2e/user_project.sh. */
#ifndef USERLIB_H
#define USERLIB_H

#include <stddef.h>
#include <stdint.h>

int64_t userlib_add(int64_t a, int64_t b);
/* FNV-1a over n bytes. */
uint32_t userlib_fnv1a(const uint8_t *p, size_t n);
double userlib_norm2(double x, double y);
/* Long-running: the config gives it the blocking call path. */
uint64_t userlib_collatz_steps(uint64_t limit);

#endif
