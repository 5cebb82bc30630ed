#include "enums.h"

static const enum huge huge_all[] = {HUGE_ALL, HUGE_TOP, HUGE_ONE};
static const enum u32 u32_all[] = {U32_MAX, U32_ONE};
static const enum wide wide_all[] = {WIDE_MIN, WIDE_MAX};

unsigned long long enum_huge(int i) { return huge_all[i]; }
unsigned long long enum_u32(int i) { return u32_all[i]; }
long long enum_wide(int i) { return wide_all[i]; }
enum huge huge_id(enum huge h) { return h; }
enum u32 u32_id(enum u32 h) { return h; }
enum wide wide_id(enum wide w) { return w; }
