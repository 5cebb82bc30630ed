#pragma once
#include <stddef.h>
#include <stdint.h>
#define NOINLINE __attribute__((noinline))
/* Keeps the compiler from deleting stores into locals. */
#define TOUCH(p) __asm__ volatile("" : : "r"(p) : "memory")
