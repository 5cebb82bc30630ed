#include <stdint.h>

int XXH64_digest(int type, int func, int ret, int g);
int __leading_underscores(int, int);
int renamed(int x) __asm__("renamed_v2");
int mixed_Case_name(int range);
