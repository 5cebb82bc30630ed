#include <stddef.h>
#include <stdint.h>

#include "../../../../runtime-shims/c/gotramp.h"

/// Blocks: runs between entersyscall and exitsyscall.
GOTRAMP_BLOCKING int64_t ann_wait(int64_t ms);
/// Recursive: its own stack, no bound needed.
GOTRAMP_OWN_STACK int64_t ann_depth(int64_t n);
/// Keeps buf: not noescape.
GOTRAMP_RETAIN("buf") void ann_keep(uint8_t *buf, size_t n);
/// Annotated blocking, but the config makes it direct (the config wins).
GOTRAMP_BLOCKING int64_t ann_overridden(int64_t x);
/// Recursive and may run long: its own stack, in syscall state.
GOTRAMP_BLOCKING_OWN_STACK int64_t ann_deep_wait(int64_t n);
