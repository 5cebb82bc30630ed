package cp

import (
	"bytes"
	"fmt"
	"io"
	"math/rand"
	"os"
	"os/exec"
	"regexp"
	"runtime"
	"runtime/debug"
	"runtime/pprof"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// path is one call path's set of bindings for the same native code.
type path struct {
	name  string
	add   func(a, b int64) int64
	sum   func(xs *int64, n uintptr) int64
	many  func(a, b, c, d, e, f, g, h, i, j int64, x, y float64) int64
	spin  func(ms int64) int64
	holds bool // stop-the-world waits for a call on this path
}

var paths = []path{
	{"direct", AddDirect, SumDirect, ManyDirect, SpinMsDirect, true},
	{"blocking", AddBlocking, SumBlocking, ManyBlocking, SpinMsBlocking, false},
	{"own_stack", AddOwn, SumOwn, ManyOwn, SpinMsOwn, true},
	{"blocking_own_stack", AddBown, SumBown, ManyBown, SpinMsBown, false},
}

func manyRef(a, b, c, d, e, f, g, h, i, j int64, x, y float64) int64 {
	return a + 2*b + 3*c + 4*d + 5*e + 6*f + 7*g + 8*h + 9*i + 10*j + int64(x*100) + int64(y*1000)
}

// The helper process of TestOwnStackOverflowCrashes.
func TestMain(m *testing.M) {
	switch os.Getenv("CALLPATHS_OVERFLOW") {
	case "own_stack", "blocking_own_stack":
		recurse := map[string]func(int64) int64{
			"own_stack": RecurseOwn, "blocking_own_stack": RecurseBown,
		}[os.Getenv("CALLPATHS_OVERFLOW")]
		fmt.Println("recursing on the own stack")
		recurse(1 << 20) // ~256 MiB of native stack: far past the 1 MiB own stack
		fmt.Println("UNREACHABLE: the recursion returned")
		os.Exit(0)
	}
	switch os.Getenv("CALLPATHS_FAULT") {
	case "direct":
		LoadDirect(nil)
	case "blocking":
		LoadBlocking(nil)
	case "own_stack":
		LoadOwn(nil)
	case "blocking_own_stack":
		LoadBown(nil)
	case "go_nil":
		goNilRecovered()
	}
	os.Exit(m.Run())
}

func TestResults(t *testing.T) {
	xs := []int64{1, -2, 3, 1 << 40, 5}
	for _, p := range paths {
		if got := p.add(40, 2); got != 42 {
			t.Errorf("%s: add(40, 2) = %d", p.name, got)
		}
		if got := p.add(-1<<62, -1<<62); got != -1<<63 {
			t.Errorf("%s: add wraps wrong: %d", p.name, got)
		}
		if got := p.sum(&xs[0], uintptr(len(xs))); got != 7+1<<40 {
			t.Errorf("%s: sum = %d", p.name, got)
		}
		got := p.many(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 0.5, -0.25)
		if want := manyRef(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 0.5, -0.25); got != want {
			t.Errorf("%s: many = %d, want %d", p.name, got, want)
		}
		if n := p.spin(1); n <= 0 {
			t.Errorf("%s: spin(1) looped %d times", p.name, n)
		}
	}
	// 4096 levels of ~256+ bytes: about 1.2 MiB would overflow a goroutine's
	// 8 KiB start; on the own stack it fits (1 MiB budget, ~272 bytes a level
	// at -O2 → stay at 2048 levels to keep a margin on both targets).
	if got := RecurseOwn(2048); got != 2049 {
		t.Errorf("RecurseOwn(2048) = %d, want 2049", got)
	}
	if got := RecurseBown(2048); got != 2049 {
		t.Errorf("RecurseBown(2048) = %d, want 2049", got)
	}
}

// Passing the address of a local or of a stack array must not allocate on
// any path: the declarations are //go:noescape. (Direct calls: a call
// through a func value hides noescape from escape analysis.)
func TestNoAllocs(t *testing.T) {
	var local int64 = 7
	sums := map[string]func() int64{
		"direct": func() int64 {
			var arr [16]int64
			arr[3] = 4
			s := arr[:]
			return SumDirect(&s[0], uintptr(len(s))) + SumDirect(&local, 1)
		},
		"blocking": func() int64 {
			var arr [16]int64
			arr[3] = 4
			s := arr[:]
			return SumBlocking(&s[0], uintptr(len(s))) + SumBlocking(&local, 1)
		},
		"own_stack": func() int64 {
			var arr [16]int64
			arr[3] = 4
			s := arr[:]
			return SumOwn(&s[0], uintptr(len(s))) + SumOwn(&local, 1)
		},
		"blocking_own_stack": func() int64 {
			var arr [16]int64
			arr[3] = 4
			s := arr[:]
			return SumBown(&s[0], uintptr(len(s))) + SumBown(&local, 1)
		},
	}
	for _, p := range paths {
		f := sums[p.name]
		allocs := testing.AllocsPerRun(1000, func() {
			if f() != 11 {
				panic("wrong sum")
			}
		})
		t.Logf("%-18s %v allocations per call", p.name, allocs)
		if allocs != 0 {
			t.Errorf("%s: %v allocations per call, want 0", p.name, allocs)
		}
	}
}

func callsPerGoroutine(t *testing.T) int {
	if s := os.Getenv("CALLPATHS_CALLS"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	if testing.Short() {
		return 10000
	}
	return 1000000
}

// 8 goroutines × N calls per path while GOGC=1 keeps the collector running,
// the CPU profiler's SIGPROF lands mid-call and an allocating goroutine
// invites async preemption (SIGURG). Each call reads a heap slice that only
// the call's argument keeps alive.
func TestStress(t *testing.T) {
	n := callsPerGoroutine(t)
	t.Logf("%d goroutines x %d calls per path on %s/%s, GOGC=1, CPU profiler on", 8, n,
		runtime.GOOS, runtime.GOARCH)
	defer debug.SetGCPercent(debug.SetGCPercent(1))
	if err := pprof.StartCPUProfile(io.Discard); err != nil {
		t.Fatal(err)
	}
	defer pprof.StopCPUProfile()
	stop := make(chan struct{})
	var churn sync.WaitGroup
	churn.Add(1)
	go func() { // garbage and long Go loops: GC cycles and preemption requests
		defer churn.Done()
		var keep [][]byte
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			keep = append(keep, make([]byte, 1024))
			if len(keep) > 256 {
				keep = nil
			}
		}
	}()
	for _, p := range paths {
		start := time.Now()
		gcBefore := gcCount()
		var wg sync.WaitGroup
		errs := make(chan string, 8)
		for g := 0; g < 8; g++ {
			wg.Add(1)
			go func(g int) {
				defer wg.Done()
				r := rand.New(rand.NewSource(int64(g)))
				for i := 0; i < n; i++ {
					if i%64 == 0 {
						m := 1 + r.Intn(32)
						xs := make([]int64, m) // only the argument keeps it alive
						for k := range xs {
							xs[k] = int64(k + 1)
						}
						if got := p.sum(&xs[0], uintptr(m)); got != int64(m*(m+1)/2) {
							errs <- fmt.Sprintf("%s: sum of 1..%d = %d", p.name, m, got)
							return
						}
						continue
					}
					if got := p.add(int64(i), int64(g)); got != int64(i+g) {
						errs <- fmt.Sprintf("%s: add(%d, %d) = %d", p.name, i, g, got)
						return
					}
				}
			}(g)
		}
		wg.Wait()
		close(errs)
		for e := range errs {
			t.Error(e)
		}
		t.Logf("%-18s %d calls in %v, %d GC cycles meanwhile", p.name, 8*n,
			time.Since(start).Round(time.Millisecond), gcCount()-gcBefore)
	}
	close(stop)
	churn.Wait()
}

func gcCount() uint32 {
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.NumGC
}

// Stop-the-world latency while one goroutine sits in a 200 ms native call:
// the direct and own_stack paths hold it up until the call returns (the
// goroutine keeps its P and cannot be preempted in native code, whatever
// stack it runs on); blocking and blocking_own_stack calls run in syscall
// state, so stop-the-world takes their P at once.
func TestStopTheWorldLatency(t *testing.T) {
	if runtime.GOMAXPROCS(0) < 2 {
		t.Skip("needs GOMAXPROCS >= 2")
	}
	const callMs = 200
	// during runs f while one goroutine sits in a callMs native call on p.
	during := func(p path, f func()) time.Duration {
		started := make(chan struct{})
		done := make(chan struct{})
		go func() {
			close(started)
			p.spin(callMs)
			close(done)
		}()
		<-started
		time.Sleep(20 * time.Millisecond) // let the call begin
		t0 := time.Now()
		f()
		d := time.Since(t0)
		<-done
		return d
	}
	for _, p := range paths {
		stw := during(p, func() {
			var ms runtime.MemStats
			runtime.ReadMemStats(&ms) // a stop-the-world and little else
		})
		gc := during(p, runtime.GC)
		t.Logf("%-18s during a %d ms native call: stop-the-world (ReadMemStats) %v, runtime.GC %v",
			p.name, callMs, stw.Round(10*time.Microsecond), gc.Round(10*time.Microsecond))
		if p.holds {
			// The goroutine is _Grunning in native code: nothing can stop it
			// before the call returns. One measurement may come out short
			// (go1.23.12 once let ReadMemStats through in 90 µs on the
			// direct path, with runtime.GC still waiting 180 ms), so only
			// both short is an error.
			if stw < 100*time.Millisecond && gc < 100*time.Millisecond {
				t.Errorf("%s: stop-the-world took only %v and runtime.GC %v: expected them to wait "+
					"for the native call", p.name, stw, gc)
			} else if stw < 100*time.Millisecond {
				t.Logf("%s: stop-the-world took only %v: expected it to wait for the native call", p.name, stw)
			}
			continue
		}
		if limit := 50 * time.Millisecond; stw > limit || gc > limit {
			t.Errorf("%s: stop-the-world took %v and runtime.GC %v during a native call, want < %v",
				p.name, stw, gc, limit)
		}
	}
}

// A native stack overflow on blocking_own_stack faults in the guard page
// and ends the process with Go's fatal signal report (the goroutine is in
// syscall state, so Go throws), not memory corruption.
func TestBlockingOwnStackOverflowCrashes(t *testing.T) {
	text, err := helper(t, "CALLPATHS_OVERFLOW=blocking_own_stack")
	t.Logf("helper output:\n%s", firstLines(text, 12))
	if err == nil || strings.Contains(text, "UNREACHABLE") {
		t.Fatalf("the overflowing call did not crash: %v", err)
	}
	for _, re := range []string{
		`(?m)^SIGSEGV: segmentation violation$`,
		`PC=0x[0-9a-f]+ m=\d+ sigcode=2 addr=0x[0-9a-f]+`, // SEGV_ACCERR: the guard page
		`\[syscall\]`,
		`cp\.RecurseBown\(`,
	} {
		if !regexp.MustCompile(re).MatchString(text) {
			t.Errorf("crash report does not match %q", re)
		}
	}
	if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 2 {
		t.Errorf("exit: %v, want exit status 2 (Go's fatal error)", err)
	}
}

// A native stack overflow on own_stack (running, not in syscall state)
// faults in the guard region. Go's handler must not run: it would push a
// sigpanic frame on the exhausted native stack. The shim's handler prints
// one line naming the function and the overflow, and the process dies by
// SIGSEGV (SIG_DFL, re-raised) without any Go code running.
func TestOwnStackOverflowCrashes(t *testing.T) {
	text, err := helper(t, "CALLPATHS_OVERFLOW=own_stack")
	t.Logf("helper output:\n%s", firstLines(text, 12))
	if err == nil || strings.Contains(text, "UNREACHABLE") {
		t.Fatalf("the overflowing call did not crash: %v", err)
	}
	if !strings.Contains(text, "recursing on the own stack") {
		t.Errorf("the helper did not start")
	}
	line := regexp.MustCompile(`(?m)^gotramp: signal SIGSEGV \(addr 0x[0-9a-f]+\) at pc 0x[0-9a-f]+ in native code: ` +
		`recurse_own\+0x[0-9a-f]+ \[gotramp_cp_recurse_own\], Go package cp: native stack overflow of the own stack ` +
		`\(1048576 bytes, call path own_stack\); the process ends$`)
	if !line.MatchString(text) {
		t.Errorf("no line matching %q", line)
	}
	if n := strings.Count(text, "gotramp: signal"); n != 1 {
		t.Errorf("%d gotramp report lines, want 1", n)
	}
	// No Go code ran after the fault: no Go report, no panic, no traceback.
	for _, bad := range []string{"SIGSEGV: segmentation violation", "panic", "goroutine ", "fatal error"} {
		if strings.Contains(text, bad) {
			t.Errorf("output contains %q: Go's handler ran", bad)
		}
	}
	wantSignal(t, err, syscall.SIGSEGV)
}

// wantSignal checks that the helper died by sig (under qemu-user, qemu
// re-raises the guest's fatal signal on itself).
func wantSignal(t *testing.T, err error, sig syscall.Signal) {
	t.Helper()
	ee, ok := err.(*exec.ExitError)
	if !ok {
		t.Errorf("exit: %v, want death by %v", err, sig)
		return
	}
	ws, ok := ee.Sys().(syscall.WaitStatus)
	if !ok || !ws.Signaled() || ws.Signal() != sig {
		t.Errorf("exit: %v, want death by %v", err, sig)
	}
}

// A null dereference in native code ends the process with a report that
// names the faulting PC and the binding that called the native code.
func TestNativeFaultReport(t *testing.T) {
	for _, p := range paths {
		text, err := helper(t, "CALLPATHS_FAULT="+p.name)
		t.Logf("%s: helper output:\n%s", p.name, firstLines(text, 8))
		if err == nil {
			t.Errorf("%s: a null dereference in native code did not crash", p.name)
			continue
		}
		fn := map[string]string{"direct": "load_direct", "blocking": "load_blocking",
			"own_stack": "load_own", "blocking_own_stack": "load_bown"}[p.name]
		// The shim's handler (registered by cp_symbols_linux_GOARCH.go)
		// names the native function first, on every path.
		suffix := ""
		if p.name == "own_stack" {
			suffix = `, on an own stack \(call path own_stack\); the process ends`
		}
		report := regexp.MustCompile(`(?m)^gotramp: signal SIGSEGV \(addr 0x0\) at pc 0x[0-9a-f]+ in native code: ` +
			fn + `\+0x[0-9a-f]+ \[gotramp_cp_` + fn + `\], Go package cp` + suffix + `$`)
		if p.name == "own_stack" {
			// SP is on a native stack: no Go code may run, the process dies
			// by the signal after the one line.
			wantSignal(t, err, syscall.SIGSEGV)
		} else if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 2 {
			t.Errorf("%s: exit: %v, want exit status 2 (Go's fatal error)", p.name, err)
		}
		var res []string
		var goReport string
		if p.name == "own_stack" {
			goReport = `^$` // none
		} else if p.name == "direct" {
			// Then Go: outside syscall state its signal handler turns the
			// fault into a panic (sigpanic), whose unwinder cannot get past
			// the native frame: the process dies with "fatal error:
			// traceback did not unwind completely".
			goReport = `fatal error: traceback did not unwind completely`
			res = []string{goReport}
		} else {
			// In syscall state (throwsplit) Go's handler throws instead: its
			// signal report with the faulting PC and a traceback from the
			// binding.
			goReport = `(?m)^SIGSEGV: segmentation violation$`
			res = []string{goReport, `PC=0x[0-9a-f]+ m=\d+ sigcode=1 addr=0x0\b`,
				`cp\.Load(Blocking|Bown)\(0x0\)`, `\[syscall\]`}
		}
		for _, re := range res {
			if !regexp.MustCompile(re).MatchString(text) {
				t.Errorf("%s: crash report does not match %q", p.name, re)
			}
		}
		at := report.FindStringIndex(text)
		if at == nil {
			t.Errorf("%s: no line matching %q naming the native function", p.name, report)
			continue
		}
		if n := strings.Count(text, "gotramp: signal"); n != 1 {
			t.Errorf("%s: %d gotramp report lines, want 1", p.name, n)
		}
		if p.name == "own_stack" && (strings.Contains(text, "SIGSEGV: segmentation violation") ||
			strings.Contains(text, "goroutine ")) {
			t.Errorf("%s: Go's handler ran on the native stack", p.name)
		}
		if g := regexp.MustCompile(goReport).FindStringIndex(text); g != nil && g[0] < at[0] {
			t.Errorf("%s: the gotramp line comes after Go's report", p.name)
		}
	}
}

// goNilRecovered is the helper of TestGoNilPanicUnaffected: with the
// crash-report handler installed, a Go nil dereference is still a
// recoverable panic, reported by nothing but the recover.
func goNilRecovered() {
	for i := 0; i < 3; i++ {
		func() {
			defer func() {
				if r := recover(); r != nil {
					fmt.Println("recovered:", r)
				}
			}()
			var p *[4]int64
			sink += p[i]
		}()
	}
	fmt.Println("native after recover:", LoadDirect(&sink) == sink)
	os.Exit(0)
}

func TestGoNilPanicUnaffected(t *testing.T) {
	text, err := helper(t, "CALLPATHS_FAULT=go_nil")
	t.Logf("helper output:\n%s", firstLines(text, 8))
	if err != nil {
		t.Fatalf("helper: %v, want exit 0", err)
	}
	if n := strings.Count(text, "recovered: runtime error: invalid memory address or nil pointer dereference"); n != 3 {
		t.Errorf("%d recovered nil dereferences, want 3", n)
	}
	if !strings.Contains(text, "native after recover: true") {
		t.Errorf("native call after the recovered panics failed")
	}
	if strings.Contains(text, "gotramp:") {
		t.Errorf("the crash-report handler printed for a Go fault")
	}
}

func helper(t *testing.T, env string) (string, error) {
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(exe, "-test.run=^$")
	if wrapper := os.Getenv("CALLPATHS_EXEC"); wrapper != "" { // qemu-aarch64-static
		cmd = exec.Command(wrapper, exe, "-test.run=^$")
	}
	cmd.Env = append(os.Environ(), env, "GOTRACEBACK=single")
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err = cmd.Run()
	return out.String(), err
}

func firstLines(s string, n int) string {
	lines := bytes.SplitN([]byte(s), []byte("\n"), n+1)
	if len(lines) > n {
		lines = lines[:n]
	}
	return string(bytes.Join(lines, []byte("\n")))
}

//go:noinline
func goAdd(a, b int64) int64 { return a + b }

var sink int64

// Per-call cost of each path, side by side; direct calls, as user code
// makes them.
func BenchmarkAdd(b *testing.B) {
	b.Run("go_noinline", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			sink += goAdd(int64(i), 1)
		}
	})
	b.Run("direct", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			sink += AddDirect(int64(i), 1)
		}
	})
	b.Run("blocking", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			sink += AddBlocking(int64(i), 1)
		}
	})
	b.Run("own_stack", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			sink += AddOwn(int64(i), 1)
		}
	})
	b.Run("blocking_own_stack", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			sink += AddBown(int64(i), 1)
		}
	})
	if cgoAdd != nil { // bench_cgo_test.go, in a CGO_ENABLED=1 build
		b.Run("cgo", func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				sink += cgoAdd(int64(i), 1)
			}
		})
	}
}

// cgoAdd is the same C addition through cgo, when the test is built with
// cgo (bench_cgo_test.go); nil otherwise.
var cgoAdd func(a, b int64) int64

// The same with 8 goroutines (GOMAXPROCS permitting): pool and P hand-off
// contention.
func BenchmarkAddParallel(b *testing.B) {
	for _, p := range paths {
		add := p.add
		b.Run(p.name, func(b *testing.B) {
			b.SetParallelism(8)
			b.RunParallel(func(pb *testing.PB) {
				var s int64
				for pb.Next() {
					s += add(s, 1)
				}
				_ = s
			})
		})
	}
}
