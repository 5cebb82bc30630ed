/*
 * callconv: native functions for tests/arm64/callconv.sh, which calls them
 * from Go on linux/amd64 and on linux/arm64 (under qemu-user).
 *
 * The echo_* functions store every argument they receive, widened to 64
 * bits (floating-point values as their bit pattern), in out[] and return a
 * fold (FNV-1a) of those words: with "graffiti" arguments, whose bytes
 * encode the argument and byte index, a wrong register, stack slot, width
 * or extension names the argument and byte that went wrong. Between them
 * they put every scalar width in registers and in stack slots on both
 * targets (System V: 6 integer and 8 vector registers; AAPCS64: 8 and 8).
 *
 * call_sp and scribble check the stack the trampoline hands over: its
 * alignment, and that the native code may use its whole budget without
 * touching anything of Go's (the frame records Go's prologue saves around
 * the trampoline's frame, the caller's locals).
 */
#ifndef CALLCONV_H
#define CALLCONV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/** 12 arguments of every width after out: stack slots from a7 (arm64) or a4 (amd64). */
uint64_t echo12(uint64_t *out, int8_t a0, uint8_t a1, int16_t a2, uint16_t a3, int32_t a4,
                uint32_t a5, int64_t a6, uint64_t a7, bool a8, float a9, double a10, char a11);

/** 10 integer and 10 floating-point arguments, interleaved: both classes overflow to the stack. */
uint64_t echo_mixed20(uint64_t *out, double d0, int8_t i0, float f1, uint16_t i1, double d2,
                      int32_t i2, float f3, uint64_t i3, double d4, bool i4, float f5, int16_t i5,
                      double d6, uint8_t i6, float f7, uint32_t i7, double d8, int64_t i8, float f9,
                      char i9);

/**
 * out and r1-r7 take every integer argument register, f0-f7 every
 * floating-point one, so every narrow type lands in a stack slot on both
 * targets.
 */
uint64_t echo_narrow_stack(uint64_t *out, int64_t r1, int64_t r2, int64_t r3, int64_t r4,
                           int64_t r5, int64_t r6, int64_t r7, double f0, double f1, double f2,
                           double f3, double f4, double f5, double f6, double f7, int8_t s0,
                           uint8_t s1, int16_t s2, uint16_t s3, int32_t s4, uint32_t s5, bool s6,
                           char s7, float s8, double s9);

/**
 * Recurses depth times, each level an ordinary C frame (frame record and
 * locals; about 80 bytes), and returns the sum of depth*7 + depth%6 over
 * the levels. depth 32 stays well within the default budget.
 */
uint64_t nest(uint32_t depth);

/** The caller's stack pointer at the call instruction (before x86-64's CALL pushes). */
uintptr_t call_sp(void);

/**
 * Fills the `bytes` bytes below the caller's stack pointer at the call with
 * the byte `pattern` (on x86-64 the return address the CALL pushed is left
 * alone; it is part of those bytes) and returns that stack pointer.
 * bytes must be a multiple of 8.
 */
uintptr_t scribble(size_t bytes, uint8_t pattern);

#endif
