int XXH64_digest(int type, int func, int ret, int g) { return type + func + ret + g; }
int __leading_underscores(int a, int b) { return a - b; }
int renamed(int x) __asm__("renamed_v2");
int renamed(int x) { return -x; }
int mixed_Case_name(int range) { return range; }
