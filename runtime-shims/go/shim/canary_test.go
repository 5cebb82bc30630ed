//go:build linux && (amd64 || arm64)

package shim

import (
	"os"
	"os/exec"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestCanaryEnterExitSyscall fails loudly (at link time, or here) the day a
// Go release stops letting assembly outside the runtime call
// runtime·entersyscall / runtime·exitsyscall, or changes what they do.
// If this package stops linking with "relocation target
// runtime.entersyscall not defined for ABI0" or a linkname/assembly
// reference error, the blocking and own-stack call paths are broken on
// that Go: see the package comment.
func TestCanaryEnterExitSyscall(t *testing.T) {
	t.Logf("%s: runtime·entersyscall and runtime·exitsyscall link and run from assembly", runtime.Version())
	for i := 0; i < 1000; i++ {
		enterExit()
	}
	// The call must leave the goroutine able to allocate, grow its stack
	// and be scheduled normally (exitsyscall cleared throwsplit).
	var grow func(int) int
	grow = func(n int) int {
		var pad [256]byte
		pad[n%256] = byte(n)
		if n == 0 {
			return int(pad[0])
		}
		return grow(n-1) + int(pad[n%256]&0)
	}
	enterExit()
	_ = grow(2000)
	done := make(chan struct{})
	go func() { enterExit(); close(done) }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("a goroutine that called entersyscall/exitsyscall did not finish")
	}
}

func TestStackPool(t *testing.T) {
	before := MappedStacks()
	top := acquireRelease()
	if top == 0 || top%16 != 0 {
		t.Fatalf("stack top %#x: want a non-zero, 16-byte aligned address", top)
	}
	if got := acquireRelease(); got != top {
		t.Errorf("second acquire got %#x, want the pooled %#x", got, top)
	}
	if MappedStacks() > before+1 {
		t.Errorf("mapped stacks grew from %d to %d for sequential use", before, MappedStacks())
	}
	// Concurrent use needs at most one stack per user.
	tops := make([]uintptr, PoolSlots+8)
	for i := range tops {
		tops[i] = acquireStack()
	}
	for _, tp := range tops {
		releaseStack(tp)
	}
	if n := MappedStacks(); n != PoolSlots {
		t.Errorf("after releasing %d stacks, %d stay mapped, want %d (the pool size)", len(tops), n, PoolSlots)
	}
}

// The helper process of TestCanaryFaultReport: registers faultLoad (Go
// assembly, so Go's handler can still turn its fault into a recoverable
// panic) as a package's native code, recovers a Go nil dereference (no
// report expected), then faults in faultLoad and recovers that too.
func faultHelper() {
	start := faultLoadPC()
	if !RegisterNativeCode("shimtest", start, 64, []NativeSymbol{
		{Offset: 0, Size: 32, Name: "fault_load", Symbol: "gotrampshim_test_fault_load"},
	}) {
		println("RegisterNativeCode refused the range")
		os.Exit(3)
	}
	println("installed:", len(InstalledHandlers()), "start:", start)
	func() {
		defer func() { println("go nil:", recover() != nil) }()
		var p *int
		println(*p)
	}()
	defer func() {
		println("native recovered:", recover() != nil)
		os.Exit(0)
	}()
	faultLoad(0)
}

// TestCanaryFaultReport checks what the crash report relies on (fault.go):
// Go's fault handlers are installed with SA_SIGINFO|SA_ONSTACK before
// package init and stay; the PC sits where the kernel's ucontext puts it;
// a tail jump to Go's handler with the original (sig, info, ctx) is handled
// exactly as the kernel's call would be (here: a recoverable panic); and a
// fault elsewhere prints nothing.
func TestCanaryFaultReport(t *testing.T) {
	if os.Getenv("GOTRAMP_SHIM_FAULT") == "1" {
		faultHelper()
		return
	}
	for _, sig := range faultSignals {
		var cur sigactiont
		if errno := rtSigaction(sig, nil, &cur); errno != 0 {
			t.Fatalf("rt_sigaction(%d): %v", sig, errno)
		}
		if cur.handler < 2 || cur.flags&saSiginfo == 0 || cur.flags&0x08000000 == 0 { // SA_ONSTACK
			t.Errorf("%s: Go's handler %#x flags %#x: want a SA_SIGINFO|SA_ONSTACK handler "+
				"(the crash report chains to it)", runtime.Version(), cur.handler, cur.flags)
		}
	}
	out, err := runSelf(t, "TestCanaryFaultReport", "GOTRAMP_SHIM_FAULT=1")
	text := string(out)
	t.Logf("helper output:\n%s", text)
	if err != nil {
		t.Fatalf("helper: %v (want exit 0 after recovering the fault)", err)
	}
	for _, want := range []string{"installed: 4 ", "go nil: true", "native recovered: true"} {
		if !strings.Contains(text, want) {
			t.Errorf("helper output lacks %q", want)
		}
	}
	re := regexp.MustCompile(`(?m)^gotramp: signal SIGSEGV \(addr 0x0\) at pc 0x([0-9a-f]+) in native code: ` +
		`fault_load\+0x([0-9a-f]+) \[gotrampshim_test_fault_load\], Go package shimtest$`)
	m := re.FindAllStringSubmatch(text, -1)
	if len(m) != 1 {
		t.Fatalf("want exactly one report line matching %q (none for the Go nil dereference)", re)
	}
	pc, _ := strconv.ParseUint(m[0][1], 16, 64)
	off, _ := strconv.ParseUint(m[0][2], 16, 64)
	start := regexp.MustCompile(`start: (\d+)`).FindStringSubmatch(text)
	if start == nil {
		t.Fatal("helper did not print faultLoad's address")
	}
	base, _ := strconv.ParseUint(start[1], 10, 64)
	if pc != base+off || off >= 32 {
		t.Errorf("report pc %#x, offset %#x: want faultLoad (%#x) + a small offset", pc, off, base)
	}
}

// TestCanaryFaultLineCallsNothing disassembles the Go code of the crash
// report, which runs on the signal stack without a usable g: a call to
// anything but itself (a stack check's morestack, a panic, an
// instrumentation hook a new Go adds, a runtime helper) would make it
// unsafe, so this fails loudly when a Go release compiles it differently.
func TestCanaryFaultLineCallsNothing(t *testing.T) {
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command to disassemble with")
	}
	// go test strips the binary it runs: build one with symbols.
	exe := t.TempDir() + "/shim.test"
	build := exec.Command(goTool, "test", "-c", "-o", exe, ".")
	build.Env = append(os.Environ(), "GOARCH="+runtime.GOARCH, "GOOS="+runtime.GOOS)
	if out, err := build.CombinedOutput(); err != nil {
		t.Skipf("go test -c: %v\n%s", err, out)
	}
	const ours = `shim\.(faultLine|ownLine|nativeName|symAt|rawWrite|\(\*lineWriter\)\.(byte1|flush|str|hex|dec))`
	out, err := exec.Command(goTool, "tool", "objdump", "-s", ours+`$`, exe).CombinedOutput()
	if err != nil {
		t.Fatalf("go tool objdump: %v\n%s", err, out)
	}
	text := string(out)
	if !strings.Contains(text, "TEXT github.com/gotramp/gotramp/runtime-shims/go/shim.faultLine(SB)") {
		t.Fatalf("faultLine not found in the test binary:\n%s", text)
	}
	allowed := regexp.MustCompile(ours + `(\.abi0)?\(SB\)`)
	var bad []string
	for _, line := range strings.Split(text, "\n") {
		f := strings.Fields(line)
		if len(f) < 4 || strings.HasPrefix(line, "TEXT ") {
			continue
		}
		insn := strings.Join(f[3:], " ")
		isCall := strings.HasPrefix(insn, "CALL ") || strings.HasPrefix(insn, "BL ")
		if strings.Contains(insn, "runtime.") || (isCall && !allowed.MatchString(insn)) {
			bad = append(bad, strings.TrimSpace(line))
		}
	}
	if len(bad) > 0 {
		t.Errorf("%s compiles the crash report with calls or runtime references, unsafe in a "+
			"signal handler without g:\n%s", runtime.Version(), strings.Join(bad, "\n"))
	}
}

// runSelf runs this test binary again (under $CALLPATHS_EXEC, qemu, when
// set) for the test named test alone, with env added to the environment,
// and returns its combined output and how it ended.
func runSelf(t *testing.T, test, env string) ([]byte, error) {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	args := []string{"-test.run=^" + test + "$"}
	cmd := exec.Command(exe, args...)
	if wrapper := os.Getenv("CALLPATHS_EXEC"); wrapper != "" {
		cmd = exec.Command(wrapper, append([]string{exe}, args...)...)
	}
	cmd.Env = append(os.Environ(), env)
	return cmd.CombinedOutput()
}
