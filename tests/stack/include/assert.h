/* Minimal freestanding assert for the stack corpus (-nostdlibinc). */
#pragma once
#define assert(x) ((void)0)
#ifndef __cplusplus
#define static_assert _Static_assert
#endif
