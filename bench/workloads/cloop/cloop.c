/* The C loop: every workload of suite/ driven by C calling the same objects
 * (out/lib*.a, unprefixed), no Go at all: the physical limit of each case.
 *
 *   cloop DATA_DIR BENCH_NS [check]
 *   cloop DATA_DIR ops=N CASE
 *
 * DATA_DIR/text.bin is cmd/gendata's output (data.Text(65536)). Each case
 * first checks one operation (round trip, checksum, row count) and exits 1
 * if it fails; it then doubles its iteration count until a run lasts
 * BENCH_NS nanoseconds (clock_gettime, CLOCK_MONOTONIC), and prints one line
 * in `go test -bench` form, "BenchmarkW/CASE/cloop N NS ns/op", with the same
 * case names as suite/. With "check" it prints "check CASE VALUE" lines
 * instead (checksums, compressed sizes, the point query's v) for
 * TestCLoop, and times nothing. With ops=N it runs only CASE (after every
 * case's check), exactly N operations, and prints nothing: instructions.sh
 * counts the instructions of N and 2N operations under callgrind. */
#define _GNU_SOURCE
#include <malloc.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "lz4.h"
#include "sqlite3.h"
#include "zlib.h"
#include "zstd.h"

static unsigned char *text; /* data.Text(65536) */
static long long bench_ns;
static int check_only;
static const char *count_case; /* ops=N: the case to run N times */
static long count_ops;
static int count_found;

static long long now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static void fail(const char *c, const char *what) {
  fprintf(stderr, "cloop: %s: %s\n", c, what);
  exit(1);
}

/* A case: run(n) performs n operations. */
typedef void (*run_fn)(long n);

static void bench(const char *name, run_fn run) {
  if (check_only)
    return;
  if (count_case) {
    if (strcmp(name, count_case) == 0) {
      run(count_ops);
      count_found = 1;
    }
    return;
  }
  long n = 1;
  long long t;
  for (;;) {
    long long t0 = now_ns();
    run(n);
    t = now_ns() - t0;
    if (t >= bench_ns || n >= (1L << 40))
      break;
    /* As go test: aim for bench_ns from the last run, at most 100x more. */
    long next = t > 0 ? (long)((double)n * bench_ns * 1.2 / t) : n * 100;
    if (next > n * 100)
      next = n * 100;
    n = next > n ? next : n + 1;
  }
  printf("BenchmarkW/%s/cloop \t%ld\t%.2f ns/op\n", name, n, (double)t / n);
  fflush(stdout);
}

/* The state of the case being timed. */
static int size;
static unsigned char *dst, *out, *ref;
static int dstcap, reflen, level;
static ZSTD_CCtx *cctx;
static ZSTD_DCtx *dctx;
static volatile uint64_t sink;

static void lz4c(long n) {
  for (long i = 0; i < n; i++)
    sink += LZ4_compress_default((char *)text, (char *)dst, size, dstcap);
}
static void lz4d(long n) {
  for (long i = 0; i < n; i++)
    sink += LZ4_decompress_safe((char *)ref, (char *)out, reflen, size);
}
static void zstdc(long n) {
  for (long i = 0; i < n; i++)
    sink += ZSTD_compressCCtx(cctx, dst, dstcap, text, size, level);
}
static void zstdd(long n) {
  for (long i = 0; i < n; i++)
    sink += ZSTD_decompressDCtx(dctx, out, size, ref, reflen);
}
static void crc(long n) {
  for (long i = 0; i < n; i++)
    sink += crc32(0, text, size);
}
static void adler(long n) {
  for (long i = 0; i < n; i++)
    sink += adler32(1, text, size);
}
static void deflate_(long n) {
  for (long i = 0; i < n; i++) {
    uLongf len = dstcap;
    sink += compress2(dst, &len, text, size, 6);
  }
}
static void inflate_(long n) {
  for (long i = 0; i < n; i++) {
    uLongf len = size;
    sink += uncompress(out, &len, ref, reflen);
  }
}

static void roundtrip(const char *c, long got) {
  if (got != size || memcmp(out, text, size) != 0)
    fail(c, "round trip does not give the input back");
}

static void compression(int n) {
  char name[64];
  size = n;
  dstcap = n + n / 128 + 64;
  dst = malloc(dstcap);
  out = malloc(n);
  ref = malloc(dstcap);

  snprintf(name, sizeof name, "lz4.compress/%dKiB", n / 1024);
  reflen = LZ4_compress_default((char *)text, (char *)ref, n, dstcap);
  if (reflen <= 0)
    fail(name, "LZ4_compress_default failed");
  memset(out, 0, n);
  roundtrip(name, LZ4_decompress_safe((char *)ref, (char *)out, reflen, n));
  if (check_only)
    printf("check %s %d\n", name, reflen);
  bench(name, lz4c);
  snprintf(name, sizeof name, "lz4.decompress/%dKiB", n / 1024);
  bench(name, lz4d);

  cctx = ZSTD_createCCtx();
  dctx = ZSTD_createDCtx();
  for (level = 1; level <= 3; level += 2) {
    snprintf(name, sizeof name, "zstd.compress.l%d/%dKiB", level, n / 1024);
    size_t m = ZSTD_compressCCtx(cctx, ref, dstcap, text, n, level);
    if (ZSTD_isError(m))
      fail(name, "ZSTD_compressCCtx failed");
    reflen = (int)m;
    memset(out, 0, n);
    roundtrip(name, (long)ZSTD_decompressDCtx(dctx, out, n, ref, reflen));
    if (check_only)
      printf("check %s %d\n", name, reflen);
    bench(name, zstdc);
  }
  /* ref holds the level-3 frame, as suite/ decompresses. */
  snprintf(name, sizeof name, "zstd.decompress/%dKiB", n / 1024);
  bench(name, zstdd);

  snprintf(name, sizeof name, "zlib.deflate/%dKiB", n / 1024);
  uLongf len = dstcap;
  if (compress2(ref, &len, text, n, 6) != Z_OK)
    fail(name, "compress2 failed");
  reflen = (int)len;
  uLongf olen = n;
  memset(out, 0, n);
  if (uncompress(out, &olen, ref, reflen) != Z_OK)
    fail(name, "uncompress failed");
  roundtrip(name, (long)olen);
  if (check_only)
    printf("check %s %d\n", name, reflen);
  bench(name, deflate_);
  snprintf(name, sizeof name, "zlib.inflate/%dKiB", n / 1024);
  bench(name, inflate_);
  ZSTD_freeCCtx(cctx);
  ZSTD_freeDCtx(dctx);
  free(dst);
  free(out);
  free(ref);
}

static void checksums(int n) {
  char name[64];
  size = n;
  snprintf(name, sizeof name, n >= 1024 ? "zlib.crc32/%dKiB" : "zlib.crc32/%dB", n >= 1024 ? n / 1024 : n);
  if (check_only)
    printf("check %s %lu\n", name, crc32(0, text, n));
  bench(name, crc);
  snprintf(name, sizeof name, n >= 1024 ? "zlib.adler32/%dKiB" : "zlib.adler32/%dB", n >= 1024 ? n / 1024 : n);
  if (check_only)
    printf("check %s %lu\n", name, adler32(1, text, n));
  bench(name, adler);
}

/* --- SQLite, as suite/sqlite.go ------------------------------------------- */

enum { ROWS = 1000 };
static sqlite3 *db;
static sqlite3_stmt *pt, *ins, *fill, *begin_, *clear_, *commit_, *cnt;

static void row_of(int64_t id, int64_t *v, const char **s) {
  *v = id * 7 + 3;
  *s = (const char *)text + (id * 37) % (4096 - 24);
}

static void exec(const char *q) {
  if (sqlite3_exec(db, q, NULL, NULL, NULL) != SQLITE_OK)
    fail(q, sqlite3_errmsg(db));
}

static sqlite3_stmt *prepare(const char *q) {
  sqlite3_stmt *s;
  if (sqlite3_prepare_v2(db, q, -1, &s, NULL) != SQLITE_OK)
    fail(q, sqlite3_errmsg(db));
  return s;
}

static void row(sqlite3_stmt *st, int64_t id) {
  int64_t v;
  const char *s;
  row_of(id, &v, &s);
  sqlite3_bind_int64(st, 1, id);
  sqlite3_bind_int64(st, 2, v);
  sqlite3_bind_text(st, 3, s, 24, SQLITE_TRANSIENT);
  int rc = sqlite3_step(st);
  sqlite3_reset(st);
  if (rc != SQLITE_DONE)
    fail("insert", sqlite3_errmsg(db));
}

static void once(sqlite3_stmt *st) {
  int rc = sqlite3_step(st);
  sqlite3_reset(st);
  if (rc != SQLITE_DONE)
    fail("step", sqlite3_errmsg(db));
}

static int64_t point(int64_t id) {
  sqlite3_bind_int64(pt, 1, id);
  if (sqlite3_step(pt) != SQLITE_ROW)
    fail("sqlite.point", sqlite3_errmsg(db));
  int64_t v = sqlite3_column_int64(pt, 0);
  sqlite3_reset(pt);
  return v;
}

static void insert(void) {
  once(begin_);
  once(clear_);
  for (int64_t id = 0; id < ROWS; id++)
    row(ins, id);
  once(commit_);
}

static void point_run(long n) {
  for (long i = 0; i < n; i++)
    sink += point(i % ROWS);
}
static void insert_run(long n) {
  for (long i = 0; i < n; i++)
    insert();
}

static void sqlite(const char *dir) {
  char file[4096];
  snprintf(file, sizeof file, "%s/cloop.db", dir);
  remove(file);
  if (sqlite3_open_v2(file, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) != SQLITE_OK)
    fail(file, "sqlite3_open_v2 failed");
  exec("PRAGMA journal_mode=WAL");
  exec("PRAGMA synchronous=NORMAL");
  exec("CREATE TABLE pt(id INTEGER PRIMARY KEY, v INTEGER, s TEXT)");
  exec("CREATE TABLE ins(id INTEGER PRIMARY KEY, v INTEGER, s TEXT)");
  fill = prepare("INSERT INTO pt(id, v, s) VALUES(?, ?, ?)");
  exec("BEGIN");
  for (int64_t id = 0; id < ROWS; id++)
    row(fill, id);
  exec("COMMIT");
  pt = prepare("SELECT v FROM pt WHERE id = ?");
  ins = prepare("INSERT INTO ins(id, v, s) VALUES(?, ?, ?)");
  begin_ = prepare("BEGIN");
  clear_ = prepare("DELETE FROM ins");
  commit_ = prepare("COMMIT");
  cnt = prepare("SELECT count(*), sum(v), sum(length(s)) FROM ins");

  int64_t ids[] = {0, 1, 499, ROWS - 1};
  for (int i = 0; i < 4; i++) {
    int64_t v;
    const char *s;
    row_of(ids[i], &v, &s);
    if (point(ids[i]) != v)
      fail("sqlite.point", "wrong v");
    if (check_only)
      printf("check sqlite.point/%lld %lld\n", (long long)ids[i], (long long)v);
  }
  bench("sqlite.point", point_run);
  insert();
  if (sqlite3_step(cnt) != SQLITE_ROW)
    fail("sqlite.insert1000", sqlite3_errmsg(db));
  int64_t rows = sqlite3_column_int64(cnt, 0), sum = sqlite3_column_int64(cnt, 1);
  sqlite3_reset(cnt);
  int64_t want = 0;
  for (int64_t id = 0; id < ROWS; id++)
    want += id * 7 + 3;
  if (rows != ROWS || sum != want)
    fail("sqlite.insert1000", "wrong rows after the transaction");
  if (check_only)
    printf("check sqlite.insert1000 %lld %lld\n", (long long)rows, (long long)sum);
  bench("sqlite.insert1000", insert_run);
  sqlite3_close_v2(db);
  remove(file);
}

int main(int argc, char **argv) {
  if (argc < 3) {
    fprintf(stderr, "usage: cloop DATA_DIR BENCH_NS [check] | cloop DATA_DIR ops=N CASE\n");
    return 2;
  }
  if (strncmp(argv[2], "ops=", 4) == 0) {
    char *end;
    count_ops = strtol(argv[2] + 4, &end, 10);
    if (*end || count_ops < 1 || argc != 4)
      fail(argv[2], "want ops=N (N >= 1) and one CASE after it");
    count_case = argv[3];
  }
  /* compress2 and uncompress malloc and free their state on every call; in
   * a small C program that state sits at the top of the heap, and glibc
   * gives it back to the kernel on each free (four brk calls per compress2,
   * and page faults after), which the Go processes, whose heaps hold other
   * blocks above it, do not pay. Keep the heap instead. */
  mallopt(M_TRIM_THRESHOLD, 64 << 20);
  bench_ns = atoll(argv[2]);
  check_only = argc > 3 && strcmp(argv[3], "check") == 0;
  char path[4096];
  snprintf(path, sizeof path, "%s/text.bin", argv[1]);
  FILE *f = fopen(path, "rb");
  if (!f)
    fail(path, "cannot open (run cmd/gendata)");
  text = malloc(65536);
  if (fread(text, 1, 65536, f) != 65536)
    fail(path, "shorter than 65536 bytes");
  fclose(f);
  compression(1024);
  compression(65536);
  checksums(64);
  checksums(4096);
  sqlite(argv[1]);
  if (count_case && !count_found)
    fail(count_case, "no such case");
  return 0;
}
