int XXH64_digest(int type, int func, int ret, int g) { return type + func + ret + g; }
int __leading_underscores(int a, int b) { return a - b; }
int renamed(int x) __asm__("renamed_v2");
int renamed(int x) { return -x; }
int mixed_Case_name(int range) { return range; }
int asm_names(int SP, int g, int g_, int CurrentEL, int _, int p5) {
  return SP + 2 * g + 3 * g_ + 4 * CurrentEL + 5 * _ + 6 * p5;
}
