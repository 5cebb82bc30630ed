/* e2e.cli_errors: a function whose code calls memcpy. */
#ifndef MEMCPY_H
#define MEMCPY_H

struct memcpy_block {
  char bytes[4096];
};

/** *dst = *src: clang emits a memcpy call for the struct copy even with -fno-builtin. */
void memcpy_copy(struct memcpy_block *dst, const struct memcpy_block *src);

#endif
