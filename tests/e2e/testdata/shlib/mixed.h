/* A package with both kinds of function: crc32 is called in libz.so.1
 * (no object defines it), the other two are packed from mixed.c, and
 * mixed_crc_twice itself calls libz's crc32. */
unsigned long crc32(unsigned long crc, const unsigned char *buf, unsigned int len);
unsigned long mixed_crc_twice(const unsigned char *buf, unsigned int len);
int mixed_add(int a, int b);
