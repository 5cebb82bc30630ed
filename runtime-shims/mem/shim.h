/* Common definitions of gotramp's freestanding mem* and str* routines.
 *
 * The packer compiles a routine from this directory, for the package's target,
 * only when the native code it packs references it, with
 *   -O2 -fPIC -ffreestanding -fno-builtin -fno-stack-protector
 *   -fno-asynchronous-unwind-tables (and -ffixed-x28 on arm64)
 * and links it into the package's blob, where it is a local symbol: it never
 * clashes with libc's routine in a cgo or externally linked binary.
 *
 * -fno-builtin, and no_builtin on every function, keep clang from turning a
 * copy loop back into a call to the very function being defined.
 *
 * The routines work on 16-byte vectors, which both targets' baselines have
 * (SSE2 on x86-64, Advanced SIMD on AArch64). Loads and stores go through
 * may_alias types of alignment 1: unaligned access is allowed on both targets
 * (normal memory). Routines that scan for a terminator (strlen, strchr, ...)
 * read whole aligned 16-byte blocks, which never cross a page: they may read
 * bytes past the terminator, but never from a page the string does not touch. */
#ifndef GOTRAMP_SHIM_H
#define GOTRAMP_SHIM_H

typedef __SIZE_TYPE__ gotramp_size_t;
typedef __UINTPTR_TYPE__ gotramp_uintptr_t;
typedef unsigned long long gotramp_u64 __attribute__((may_alias, aligned(1)));
typedef unsigned int gotramp_u32 __attribute__((may_alias, aligned(1)));
typedef unsigned short gotramp_u16 __attribute__((may_alias, aligned(1)));
typedef unsigned char gotramp_v16 __attribute__((vector_size(16), may_alias, aligned(1)));
/* The same, for 16-byte aligned addresses. */
typedef unsigned char gotramp_v16a __attribute__((vector_size(16), may_alias));
typedef char gotramp_v16c __attribute__((vector_size(16)));

#define GOTRAMP_SHIM __attribute__((no_builtin, used))
#define GOTRAMP_INLINE static inline __attribute__((always_inline))

GOTRAMP_INLINE gotramp_v16 gotramp_load16(const unsigned char *p) { return *(const gotramp_v16 *)p; }
GOTRAMP_INLINE void gotramp_store16(unsigned char *p, gotramp_v16 v) { *(gotramp_v16 *)p = v; }
GOTRAMP_INLINE gotramp_v16 gotramp_load16a(const unsigned char *p) { return *(const gotramp_v16a *)p; }
GOTRAMP_INLINE gotramp_v16 gotramp_splat16(unsigned char c) { return (gotramp_v16){0} + c; }

/* gotramp_mask(eq), for a vector whose bytes are 0x00 or 0xff: a word with
 * GOTRAMP_MASK_BITS bits per byte, byte i at bits [i*B, i*B+B), so that
 * ctz(mask) / B is the first 0xff byte. x86-64: pmovmskb (1 bit per byte);
 * AArch64: shrn #4 packs 4 bits per byte into 64 bits, the usual NEON idiom. */
#if defined(__x86_64__)
#define GOTRAMP_MASK_BITS 1
GOTRAMP_INLINE unsigned long gotramp_mask(gotramp_v16 eq) {
  return (unsigned)__builtin_ia32_pmovmskb128((gotramp_v16c)eq);
}
#elif defined(__aarch64__)
#include <arm_neon.h>
#define GOTRAMP_MASK_BITS 4
GOTRAMP_INLINE unsigned long gotramp_mask(gotramp_v16 eq) {
  uint8x8_t Packed = vshrn_n_u16(vreinterpretq_u16_u8((uint8x16_t)eq), 4);
  return vget_lane_u64(vreinterpret_u64_u8(Packed), 0);
}
#else
#error "gotramp's mem routines support x86-64 and AArch64"
#endif

/* The byte index of the lowest byte flagged in a non-zero mask. */
GOTRAMP_INLINE gotramp_size_t gotramp_first(unsigned long mask) {
  return (gotramp_size_t)__builtin_ctzl(mask) / GOTRAMP_MASK_BITS;
}
/* The mask without its bytes below index k (0 <= k < 16). */
GOTRAMP_INLINE unsigned long gotramp_from(unsigned long mask, gotramp_size_t k) {
  return mask & (~0ul << (k * GOTRAMP_MASK_BITS));
}
/* 0xff where a == b: vector comparisons give 0 or -1 per byte. */
GOTRAMP_INLINE gotramp_v16 gotramp_eq(gotramp_v16 a, gotramp_v16 b) { return (gotramp_v16)(a == b); }
GOTRAMP_INLINE gotramp_v16 gotramp_ne(gotramp_v16 a, gotramp_v16 b) { return (gotramp_v16)(a != b); }

/* The aligned 16-byte block holding p, and p's index in it. */
GOTRAMP_INLINE const unsigned char *gotramp_block(const void *p) {
  return (const unsigned char *)((gotramp_uintptr_t)p & ~(gotramp_uintptr_t)15);
}
GOTRAMP_INLINE gotramp_size_t gotramp_skew(const void *p) { return (gotramp_uintptr_t)p & 15; }
/* The scanning routines read 64 bytes, four aligned blocks, per step once
 * they reach a 64-byte boundary: a group never crosses a page either. */
GOTRAMP_INLINE int gotramp_at_group(const unsigned char *p) { return ((gotramp_uintptr_t)p & 63) == 0; }

/* Whether a 16-byte load at p stays inside p's 4 KiB page (pages are at
 * least that large on both targets). */
GOTRAMP_INLINE int gotramp_fits_page(const void *p) {
  return ((gotramp_uintptr_t)p & 4095) <= 4096 - 16;
}

#endif
