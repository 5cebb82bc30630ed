/* DWARF mode (-g, no header): a K&R definition takes its float promoted
   to double, so it is skipped; the prototyped functions next to it are
   bound. */
float kr_twice(f)
float f;
{
  return f * 2;
}

short kr_add(a, b)
short a, b;
{
  return a + b;
}

/* No parameters: nothing is promoted, so it is bound. */
int kr_seven() { return 7; }

float proto_twice(float f) { return f * 2; }

short proto_add(short a, short b) { return a + b; }
