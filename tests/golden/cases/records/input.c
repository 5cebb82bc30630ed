#include "input.h"

int64_t list_len(const list *l) { int64_t n = 0; for (; l; l = (const list *)l->next) n++; return n; }
double padded_value(padded p) { return p.value + p.tag; }
int32_t header_len(const header *h) { return (int32_t)h->len; }
int32_t bits_count(bits *b) { return b->count + (int32_t)b->flags; }
uint64_t word_bits(word w) { return w.u; }
int64_t wide_lo(const wide *w) { return w->lo; }
int32_t bits_by_value(bits b) { return b.count; }
int64_t wide_by_value(wide w) { return w.hi; }
