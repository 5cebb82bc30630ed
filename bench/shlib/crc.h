/* The one function of zlib.h the benchmark calls, as libz.so.1 exports it. */
unsigned long crc32(unsigned long crc, const unsigned char *buf, unsigned int len);
