/*
 * gotramp.h: annotations for C headers bound by gotramp.
 *
 * They set per-function settings in the header itself. They are local
 * overrides of the same settings as the config file's
 * "functions.overrides.NAME", and the config wins where both say something.
 * With any other compiler they expand to nothing.
 *
 *   #include "gotramp.h"
 *   GOTRAMP_BLOCKING int read_block(int fd, void *buf, size_t n);
 *   GOTRAMP_OWN_STACK int parse_json(const char *text);
 *   GOTRAMP_RETAIN("buf") void set_buffer(void *buf, size_t n);
 */
#ifndef GOTRAMP_H
#define GOTRAMP_H

#if defined(__clang__)
#define GOTRAMP_ANNOTATE(what) __attribute__((annotate(what)))
#else
#define GOTRAMP_ANNOTATE(what)
#endif

/* Runs between entersyscall and exitsyscall: for calls that block or run long. */
#define GOTRAMP_BLOCKING GOTRAMP_ANNOTATE("gotramp:call_path=blocking")
/* Runs on a native stack with a guard region, outside syscall state: for
 * unbounded stack use in calls that neither block nor run long. */
#define GOTRAMP_OWN_STACK GOTRAMP_ANNOTATE("gotramp:call_path=own_stack")
/* The same in syscall state (a pooled stack, between entersyscall and
 * exitsyscall): for unbounded stack use in calls that may block or run long. */
#define GOTRAMP_BLOCKING_OWN_STACK GOTRAMP_ANNOTATE("gotramp:call_path=blocking_own_stack")
/* On a callback stack, outside syscall state, the goroutine locked to its
 * thread: for calls whose native code may call Go callbacks (the default
 * for functions that take a function pointer). */
#define GOTRAMP_CALLBACK GOTRAMP_ANNOTATE("gotramp:call_path=callback")
/* The usual path: on the goroutine stack, sized by the stack analysis. */
#define GOTRAMP_DIRECT GOTRAMP_ANNOTATE("gotramp:call_path=direct")
/* The native side keeps the pointer parameter PARAM after returning. */
#define GOTRAMP_RETAIN(param) GOTRAMP_ANNOTATE("gotramp:retain=" param)

#endif
