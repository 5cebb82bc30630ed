/* Go structs for C records: padding, alignment, packing, bit-fields,
 * unions, opaque and over-aligned types, pointers to records. */
#include <stdint.h>

struct node;                                   /* opaque */
typedef struct { char tag; double value; } padded;           /* 7 bytes of padding */
typedef struct __attribute__((aligned(8))) { int32_t a; } aligned8; /* alignment Go gets from [0]uint64 */
typedef struct __attribute__((packed)) { uint8_t kind; uint32_t len; uint16_t crc; } header; /* misaligned members as bytes */
typedef struct { unsigned flags : 3; unsigned mode : 5; int32_t count; } bits;  /* bit-fields as padding */
typedef union { uint64_t u; double d; unsigned char bytes[8]; } word;           /* union as bytes */
typedef struct __attribute__((aligned(16))) { int64_t lo, hi; } wide;           /* Go cannot align to 16 */
typedef struct { struct node *next; const char *name; padded items[2]; word w; } list;

int64_t list_len(const list *l);
double padded_value(padded p);
int32_t header_len(const header *h);
int32_t bits_count(bits *b);
uint64_t word_bits(word w);
int64_t wide_lo(const wide *w);
/* Skipped: bit-fields passed by value, over-aligned by value. */
int32_t bits_by_value(bits b);
int64_t wide_by_value(wide w);
