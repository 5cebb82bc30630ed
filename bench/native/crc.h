/* The one function of zlib.h that the "Calls into a shared library" rows
 * call, declared as Debian's libz.so.1 exports it: paths/gotrampzlib and
 * paths/gotrampzlibdirect are generated from this header with
 * "shared_libraries": ["libz.so.1"], so no object defines it and every call
 * goes into the library. */
#ifndef GOTRAMP_BENCH_CRC_H
#define GOTRAMP_BENCH_CRC_H

/** crc32(crc, buf, len): zlib's CRC-32 of the len bytes at buf, continuing crc. */
unsigned long crc32(unsigned long crc, const unsigned char *buf, unsigned int len);

#endif
