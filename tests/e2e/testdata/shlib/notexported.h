unsigned long crc32(unsigned long crc, const unsigned char *buf, unsigned int len);
int gotramp_not_in_zlib(int x);
