/* Enums whose underlying type is unsigned 64-bit or unsigned 32-bit, and a
   signed 64-bit one for contrast. */
enum huge { HUGE_ALL = 0xFFFFFFFFFFFFFFFFull, HUGE_TOP = 0x8000000000000000ull, HUGE_ONE = 1 };
enum u32 { U32_MAX = 0xFFFFFFFFu, U32_ONE = 1 };
enum wide { WIDE_MIN = -9223372036854775807LL - 1, WIDE_MAX = 9223372036854775807LL };

/* The C value of each constant, by index, for the Go side to compare. */
unsigned long long enum_huge(int i);
unsigned long long enum_u32(int i);
long long enum_wide(int i);
/* Round trips, so the enum types appear in signatures (DWARF mode needs that). */
enum huge huge_id(enum huge h);
enum u32 u32_id(enum u32 h);
enum wide wide_id(enum wide w);
