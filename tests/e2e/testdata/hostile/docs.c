#include "docs.h"
int doc_bytes(int x) { return x + 1; }
int doc_markup(int x) { return x + 2; }
int doc_links(int x) { return x + 3; }
int doc_only_links(int x) { return x + 4; }
int doc_last_heading(int x) { return x + 5; }
int doc_star(int x) { return x + 6; }
