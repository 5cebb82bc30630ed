/* Minimal freestanding declarations for the stack corpus (-nostdlibinc). */
#pragma once
#include <stddef.h>
void *malloc(size_t);
void free(void *);
