/* e2e.hostile_names: see hostile.c. */
long hostile_entry(long x);
