int bad_symbol(int x) __asm__("caf\xe9");
int good_symbol(int x);
