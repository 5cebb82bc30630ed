/* Common definitions of gotramp's freestanding mem* routines.
 *
 * The packer compiles a routine from this directory, for the package's target,
 * only when the native code it packs references it, with
 *   -O2 -fPIC -ffreestanding -fno-builtin -fno-stack-protector
 *   -fno-asynchronous-unwind-tables (and -ffixed-x28 on arm64)
 * and links it into the package's blob, where it is a local symbol: it never
 * clashes with libc's routine in a cgo or externally linked binary.
 *
 * -fno-builtin, and no_builtin on every function, keep clang from turning a
 * copy loop back into a call to the very function being defined. Loads and
 * stores of machine words go through a may_alias, byte-aligned type: unaligned
 * access is allowed on x86-64 and on AArch64 (normal memory). */
#ifndef GOTRAMP_SHIM_H
#define GOTRAMP_SHIM_H

typedef __SIZE_TYPE__ gotramp_size_t;
typedef unsigned long gotramp_word_t __attribute__((may_alias, aligned(1)));

#define GOTRAMP_SHIM __attribute__((no_builtin, used))
#define GOTRAMP_WORD ((gotramp_size_t)sizeof(gotramp_word_t))

#endif
