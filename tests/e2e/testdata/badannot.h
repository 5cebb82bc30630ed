/* e2e.cli_errors: a gotramp annotation gotramp does not know. */
__attribute__((annotate("gotramp:speed=fast"))) int badannot_f(int x);
