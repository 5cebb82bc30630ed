#include <stdint.h>

int XXH64_digest(int type, int func, int ret, int g);
int __leading_underscores(int, int);
int renamed(int x) __asm__("renamed_v2");
int mixed_Case_name(int range);
/* Assembler names: registers and pseudo-registers of either target. */
int asm_names(int SP, int g, int g_, int CurrentEL, int _, int p5);
