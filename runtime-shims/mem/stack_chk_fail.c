/* __stack_chk_fail for gotramp-packed native code in libc mode: see shim.h
 * for how it is compiled and README.md for why it is not glibc's.
 *
 * Code built with the stack protector calls it when a function's canary was
 * overwritten. glibc's version prints a message and aborts; its stack use is
 * unknown to gotramp's analysis, so importing it left every such function
 * without a stack bound. This one does the same with raw system calls and a
 * frame the analysis bounds: it writes glibc's message to fd 2 and sends
 * SIGABRT to its own thread (Go's handler then prints the crash report and
 * exits). Should a handler return (a program that called signal.Notify for
 * SIGABRT), it restores the default action and sends SIGABRT again, as
 * glibc's abort does, and ends the process if that also returns. */

typedef long gotramp_long;

#if defined(__x86_64__)
enum {
  GOTRAMP_SYS_WRITE = 1,
  GOTRAMP_SYS_RT_SIGACTION = 13,
  GOTRAMP_SYS_GETPID = 39,
  GOTRAMP_SYS_GETTID = 186,
  GOTRAMP_SYS_EXIT_GROUP = 231,
  GOTRAMP_SYS_TGKILL = 234,
};
static inline __attribute__((always_inline)) gotramp_long
gotramp_syscall4(gotramp_long n, gotramp_long a, gotramp_long b, gotramp_long c, gotramp_long d) {
  register gotramp_long r10 __asm__("r10") = d;
  gotramp_long ret;
  __asm__ volatile("syscall"
                   : "=a"(ret)
                   : "a"(n), "D"(a), "S"(b), "d"(c), "r"(r10)
                   : "rcx", "r11", "memory");
  return ret;
}
#elif defined(__aarch64__)
enum {
  GOTRAMP_SYS_WRITE = 64,
  GOTRAMP_SYS_EXIT_GROUP = 94,
  GOTRAMP_SYS_TGKILL = 131,
  GOTRAMP_SYS_RT_SIGACTION = 134,
  GOTRAMP_SYS_GETPID = 172,
  GOTRAMP_SYS_GETTID = 178,
};
static inline __attribute__((always_inline)) gotramp_long
gotramp_syscall4(gotramp_long n, gotramp_long a, gotramp_long b, gotramp_long c, gotramp_long d) {
  register gotramp_long x8 __asm__("x8") = n;
  register gotramp_long x0 __asm__("x0") = a;
  register gotramp_long x1 __asm__("x1") = b;
  register gotramp_long x2 __asm__("x2") = c;
  register gotramp_long x3 __asm__("x3") = d;
  __asm__ volatile("svc #0" : "+r"(x0) : "r"(x8), "r"(x1), "r"(x2), "r"(x3) : "memory");
  return x0;
}
#else
#error "gotramp's __stack_chk_fail supports x86-64 and AArch64"
#endif

#define GOTRAMP_SIGABRT 6

/* The kernel's struct sigaction on both targets: handler, flags, restorer,
 * mask. All zero is SIG_DFL with an empty mask. */
struct gotramp_kernel_sigaction {
  gotramp_long handler, flags, restorer, mask;
};

static void gotramp_raise_abort(void) {
  gotramp_long pid = gotramp_syscall4(GOTRAMP_SYS_GETPID, 0, 0, 0, 0);
  gotramp_long tid = gotramp_syscall4(GOTRAMP_SYS_GETTID, 0, 0, 0, 0);
  gotramp_syscall4(GOTRAMP_SYS_TGKILL, pid, tid, GOTRAMP_SIGABRT, 0);
}

__attribute__((noreturn, used)) void __stack_chk_fail(void) {
  /* glibc's exact words (debug/stack_chk_fail.c, through __fortify_fail). */
  static const char Message[] = "*** stack smashing detected ***: terminated\n";
  gotramp_syscall4(GOTRAMP_SYS_WRITE, 2, (gotramp_long)Message, sizeof Message - 1, 0);
  gotramp_raise_abort();
  struct gotramp_kernel_sigaction Default = {0, 0, 0, 0};
  gotramp_syscall4(GOTRAMP_SYS_RT_SIGACTION, GOTRAMP_SIGABRT, (gotramp_long)&Default, 0,
                   sizeof Default.mask);
  gotramp_raise_abort();
  gotramp_syscall4(GOTRAMP_SYS_EXIT_GROUP, 127, 0, 0, 0);
  __builtin_trap();
}
