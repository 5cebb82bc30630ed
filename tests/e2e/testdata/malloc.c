#include "malloc.h"

void *malloc(unsigned long size);

void *malloc_block(void) { return malloc(64); }
