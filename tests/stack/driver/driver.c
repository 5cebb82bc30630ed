// Stack-measurement driver: a static program without libc (raw system
// calls), built for x86-64 and AArch64 by gotramp-stack-harness and run
// natively or under qemu-user.
//
//   driver JOBFILE
//
// The job file (written by the harness, little-endian u64 fields):
//   "GTSTACK1"  u64 text_size  text bytes (padded to 8)  u64 njobs
//   per job: u64 offset  u64 paint_bytes  u64 nargs  6 x (u64 kind, u64 value)
//            kind 0: integer value; 1: pointer to the data buffer + value;
//            2: address of text + value (a function in the blob)
//
// The text is the packed blob's .text, byte for byte what the stack analysis
// read; it is mapped at a page boundary (the blob's page offsets are part of
// arm64 ADRP arithmetic) and made read-only executable. For each job and for
// two paint patterns, the driver maps a fresh stack whose lowest page is
// PROT_NONE, paints the paint_bytes below its top, switches SP to the top
// (16-byte aligned), calls the function with up to six arguments, and scans
// the paint from below for the lowest byte that changed. Using the stack
// below the painted area faults on the guard page instead of going unseen.
// Output, one line per job: "J INDEX USED RESULT" (decimal, hex result),
// after "S INDEX" printed before the first call, so a crash names its job.

typedef unsigned long u64;
typedef unsigned char u8;

// ---- system calls ----------------------------------------------------------
#if defined(__x86_64__)
enum { SYS_read = 0, SYS_write = 1, SYS_close = 3, SYS_mmap = 9,
       SYS_mprotect = 10, SYS_munmap = 11, SYS_exit_group = 231,
       SYS_openat = 257 };
static long sys6(long n, long a, long b, long c, long d, long e, long f) {
  register long r10 __asm__("r10") = d;
  register long r8 __asm__("r8") = e;
  register long r9 __asm__("r9") = f;
  long ret;
  __asm__ volatile("syscall"
                   : "=a"(ret)
                   : "a"(n), "D"(a), "S"(b), "d"(c), "r"(r10), "r"(r8), "r"(r9)
                   : "rcx", "r11", "memory");
  return ret;
}
__asm__(".text\n"
        ".globl _start\n"
        "_start:\n"
        "  xor %ebp, %ebp\n"
        "  mov %rsp, %rdi\n"
        "  and $-16, %rsp\n"
        "  call cmain\n"
        "  ud2\n"
        // u64 call_on(u64 fn, const u64 *args, u64 top)
        ".globl call_on\n"
        "call_on:\n"
        "  push %rbp\n"
        "  mov %rsp, %rbp\n"
        "  push %rbx\n"
        "  push %r12\n"
        "  push %r13\n"
        "  push %r14\n"
        "  push %r15\n"
        "  sub $8, %rsp\n"
        "  mov %rdi, %rax\n"
        "  mov %rsi, %r11\n"
        "  mov %rdx, %rsp\n"
        "  mov 0(%r11), %rdi\n"
        "  mov 8(%r11), %rsi\n"
        "  mov 16(%r11), %rdx\n"
        "  mov 24(%r11), %rcx\n"
        "  mov 32(%r11), %r8\n"
        "  mov 40(%r11), %r9\n"
        "  call *%rax\n"
        "  lea -40(%rbp), %rsp\n"
        "  pop %r15\n"
        "  pop %r14\n"
        "  pop %r13\n"
        "  pop %r12\n"
        "  pop %rbx\n"
        "  pop %rbp\n"
        "  ret\n");
#elif defined(__aarch64__)
enum { SYS_read = 63, SYS_write = 64, SYS_close = 57, SYS_mmap = 222,
       SYS_mprotect = 226, SYS_munmap = 215, SYS_exit_group = 94,
       SYS_openat = 56 };
static long sys6(long n, long a, long b, long c, long d, long e, long f) {
  register long x8 __asm__("x8") = n;
  register long x0 __asm__("x0") = a;
  register long x1 __asm__("x1") = b;
  register long x2 __asm__("x2") = c;
  register long x3 __asm__("x3") = d;
  register long x4 __asm__("x4") = e;
  register long x5 __asm__("x5") = f;
  __asm__ volatile("svc #0"
                   : "+r"(x0)
                   : "r"(x8), "r"(x1), "r"(x2), "r"(x3), "r"(x4), "r"(x5)
                   : "memory");
  return x0;
}
__asm__(".text\n"
        ".globl _start\n"
        "_start:\n"
        "  mov x29, #0\n"
        "  mov x0, sp\n"
        "  bl cmain\n"
        "  brk #1\n"
        // u64 call_on(u64 fn, const u64 *args, u64 top)
        ".globl call_on\n"
        "call_on:\n"
        "  stp x29, x30, [sp, #-96]!\n"
        "  mov x29, sp\n"
        "  stp x19, x20, [sp, #16]\n"
        "  stp x21, x22, [sp, #32]\n"
        "  stp x23, x24, [sp, #48]\n"
        "  stp x25, x26, [sp, #64]\n"
        "  stp x27, x28, [sp, #80]\n"
        "  mov x9, x0\n"
        "  mov x10, x1\n"
        "  mov sp, x2\n"
        "  ldp x0, x1, [x10]\n"
        "  ldp x2, x3, [x10, #16]\n"
        "  ldp x4, x5, [x10, #32]\n"
        "  blr x9\n"
        "  mov sp, x29\n"
        "  ldp x19, x20, [sp, #16]\n"
        "  ldp x21, x22, [sp, #32]\n"
        "  ldp x23, x24, [sp, #48]\n"
        "  ldp x25, x26, [sp, #64]\n"
        "  ldp x27, x28, [sp, #80]\n"
        "  ldp x29, x30, [sp], #96\n"
        "  ret\n");
#else
#error "unsupported architecture"
#endif

u64 call_on(u64 fn, const u64 *args, u64 top);

enum { PROT_NONE = 0, PROT_READ = 1, PROT_WRITE = 2, PROT_EXEC = 4 };
enum { MAP_PRIVATE = 2, MAP_ANONYMOUS = 0x20 };
#define PAGE 4096ul
#define AT_FDCWD (-100)

static void outfd(int fd, const char *s, u64 n) { sys6(SYS_write, fd, (long)s, (long)n, 0, 0, 0); }
static void out(const char *s, u64 n) { outfd(1, s, n); }
static u64 slen(const char *s) { u64 n = 0; while (s[n]) ++n; return n; }
static void puts_(const char *s) { out(s, slen(s)); }
static void putu(u64 v, int base) {
  char b[32];
  int i = 32;
  do { b[--i] = "0123456789abcdef"[v % base]; v /= base; } while (v);
  out(b + i, 32 - i);
}
static __attribute__((noreturn)) void die(const char *msg) {
  outfd(2, "driver: ", 8);
  outfd(2, msg, slen(msg));
  outfd(2, "\n", 1);
  sys6(SYS_exit_group, 2, 0, 0, 0, 0, 0);
  __builtin_unreachable();
}
static void *map(u64 size, int prot) {
  long p = sys6(SYS_mmap, 0, (long)size, prot, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (p < 0 && p > -4096) die("mmap failed");
  return (void *)p;
}
static void fill(u8 *p, u8 v, u64 n) { for (u64 i = 0; i < n; ++i) p[i] = v; }

struct job { u64 offset, paint, nargs, kind[6], value[6]; };

static u64 rd64(const u8 *p) {
  u64 v = 0;
  for (int i = 7; i >= 0; --i) v = (v << 8) | p[i];
  return v;
}

#define DATA_BYTES 65536ul
static u8 *data;
static void fill_data(void) {
  u64 x = 0x243f6a8885a308d3ul;
  for (u64 i = 0; i < DATA_BYTES; ++i) {
    x ^= x << 13; x ^= x >> 7; x ^= x << 17;
    data[i] = (u8)x;
  }
}

__attribute__((used)) void cmain(long *sp) {
  long argc = sp[0];
  char **argv = (char **)(sp + 1);
  if (argc != 2) die("usage: driver JOBFILE");

  // Read the whole job file.
  long fd = sys6(SYS_openat, AT_FDCWD, (long)argv[1], 0, 0, 0, 0);
  if (fd < 0) die("cannot open the job file");
  u64 cap = 64ul << 20, len = 0;
  u8 *file = map(cap, PROT_READ | PROT_WRITE);
  for (;;) {
    long n = sys6(SYS_read, fd, (long)(file + len), (long)(cap - len), 0, 0, 0);
    if (n < 0) die("read failed");
    if (n == 0) break;
    len += (u64)n;
    if (len == cap) die("job file too large");
  }
  sys6(SYS_close, fd, 0, 0, 0, 0, 0);
  if (len < 24 || rd64(file) != rd64((const u8 *)"GTSTACK1")) die("bad job file");
  u64 text_size = rd64(file + 8);
  const u8 *text_src = file + 16;
  u64 pos = 16 + ((text_size + 7) & ~7ul);
  if (pos + 8 > len) die("truncated job file");
  u64 njobs = rd64(file + pos);
  pos += 8;
  if (pos + njobs * 15 * 8 > len) die("truncated job list");

  u64 text_map = (text_size + PAGE - 1) & ~(PAGE - 1);
  u8 *text = map(text_map ? text_map : PAGE, PROT_READ | PROT_WRITE);
  for (u64 i = 0; i < text_size; ++i) text[i] = text_src[i];
  if (sys6(SYS_mprotect, (long)text, (long)(text_map ? text_map : PAGE), PROT_READ | PROT_EXEC, 0, 0, 0))
    die("mprotect text failed");
  data = map(DATA_BYTES + PAGE, PROT_READ | PROT_WRITE);

  for (u64 j = 0; j < njobs; ++j) {
    const u8 *jp = file + pos + j * 15 * 8;
    struct job jb;
    jb.offset = rd64(jp);
    jb.paint = rd64(jp + 8);
    jb.nargs = rd64(jp + 16);
    for (int k = 0; k < 6; ++k) {
      jb.kind[k] = rd64(jp + 24 + 16 * k);
      jb.value[k] = rd64(jp + 32 + 16 * k);
    }
    if (jb.offset >= text_size) die("job offset outside the text");
    puts_("S ");
    putu(j, 10);
    puts_("\n");

    u64 paint = (jb.paint + PAGE - 1) & ~(PAGE - 1);
    u64 used = 0, result = 0;
    static const u8 patterns[2] = {0xa5, 0x5a};
    for (int pass = 0; pass < 2; ++pass) {
      // [guard page][paint bytes] -- top is the end of the painted area.
      u64 total = paint + PAGE;
      u8 *base = map(total, PROT_READ | PROT_WRITE);
      if (sys6(SYS_mprotect, (long)base, (long)PAGE, PROT_NONE, 0, 0, 0))
        die("mprotect guard failed");
      u8 *lo = base + PAGE;
      u64 top = (u64)(lo + paint);
      fill(lo, patterns[pass], paint);
      fill_data();
      u64 args[6] = {0, 0, 0, 0, 0, 0};
      for (u64 k = 0; k < jb.nargs && k < 6; ++k) {
        if (jb.kind[k] == 0) args[k] = jb.value[k];
        else if (jb.kind[k] == 1) args[k] = (u64)data + jb.value[k];
        else args[k] = (u64)text + jb.value[k];
      }
      u64 r = call_on((u64)text + jb.offset, args, top);
      u64 k = 0;
      while (k < paint && lo[k] == patterns[pass]) ++k;
      u64 u = paint - k;
      if (u > used) used = u;
      if (pass == 0) result = r;
      else if (r != result) die("result differs between passes");
      sys6(SYS_munmap, (long)base, (long)total, 0, 0, 0, 0);
    }
    puts_("J ");
    putu(j, 10);
    puts_(" ");
    putu(used, 10);
    puts_(" ");
    putu(result, 16);
    puts_("\n");
  }
  sys6(SYS_exit_group, 0, 0, 0, 0, 0, 0);
  __builtin_unreachable();
}
