/* Identifiers beyond ASCII, which clang accepts in C. */
int café(int x);
int crème(int x) __asm__("creme");
int a·b(int x);
int unicode_params(int é, int x, int p0);
struct unicode_rec { int naïve; int plain; };
int unicode_rec_sum(const struct unicode_rec *r);
int unicode_plain(int x);
