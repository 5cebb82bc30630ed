//go:build linux && (amd64 || arm64)

package shim

import (
	"bytes"
	"io"
	"os"
	"os/exec"
	"regexp"
	"runtime"
	"runtime/pprof"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
	"unsafe"
)

func TestOwnSlots(t *testing.T) {
	lo, hi := OwnStackRange()
	if lo == 0 || hi-lo != ownRegionBytes {
		t.Fatalf("own stack range [%#x, %#x): want %d bytes reserved at init", lo, hi, ownRegionBytes)
	}
	top, slot := ownAcquireRelease()
	if top%16 != 0 || top <= lo || top > hi || (top-lo)%OwnSlotBytes != 0 {
		t.Fatalf("top %#x: want the 16-byte aligned top of a slot in [%#x, %#x]", top, lo, hi)
	}
	i := int((top-lo)/OwnSlotBytes) - 1
	if want := uintptr(unsafePointerOf(&ownBusy[i].busy)); slot != want {
		t.Errorf("slot word %#x, want ownBusy[%d] at %#x", slot, i, want)
	}
	if g0, g1 := OwnGuardRange(i); g1 != top-OwnStackBytes || g1-g0 != OwnGuardBytes {
		t.Errorf("guard of slot %d [%#x, %#x): want the %d bytes below the stack", i, g0, g1, OwnGuardBytes)
	}
	if n := OwnSlotsBusy(); n != 0 {
		t.Fatalf("%d slots busy after a round trip, want 0", n)
	}
	// Both helper sequences run the native code and give the slot back.
	spin, _, _ := testNativePCs()
	for _, call := range []func(fn, arg uintptr) uintptr{ownCall, ownCall1} {
		if got := call(spin, 1000); got != 1000 {
			t.Errorf("spin(1000) on an own stack = %d", got)
		}
		if n := OwnSlotsBusy(); n != 0 {
			t.Errorf("%d slots busy after a call, want 0", n)
		}
	}
	// Held slots are distinct, and each is free again once given back.
	seen := map[uintptr]bool{}
	var held []int
	for k := 0; k < OwnSlots; k++ {
		tp, sl := ownAcquire()
		if seen[tp] {
			t.Fatalf("acquire %d returned the held stack %#x again", k, tp)
		}
		seen[tp] = true
		j := int((tp-lo)/OwnSlotBytes) - 1
		if sl != unsafePointerOf(&ownBusy[j].busy) {
			t.Fatalf("acquire %d: slot word %#x does not belong to the stack %#x", k, sl, tp)
		}
		held = append(held, j)
	}
	if n := OwnSlotsBusy(); n != OwnSlots {
		t.Errorf("%d slots busy, want all %d", n, OwnSlots)
	}
	for _, j := range held {
		atomic.StoreUint32(&ownBusy[j].busy, 0)
	}
	if n := OwnSlotsBusy(); n != 0 {
		t.Errorf("%d slots busy after releasing them all", n)
	}
}

// TestCanaryOwnStackRunning checks what the own_stack path relies on in the
// runtime (ownstack.go): native code running with SP on a fast own stack,
// the goroutine _Grunning, while the GC asks for preemption (SIGURG) and
// the CPU profiler interrupts it (SIGPROF). Go must inject nothing (a
// sigpanic or asyncPreempt frame on the native stack would crash or
// corrupt the count), and stop-the-world must wait for the call, as it
// does for a direct call.
func TestCanaryOwnStackRunning(t *testing.T) {
	if runtime.GOMAXPROCS(0) < 2 {
		t.Skip("needs GOMAXPROCS >= 2")
	}
	spin, _, _ := testNativePCs()
	// Calibrate a call of roughly 200 ms.
	n := uintptr(1 << 20)
	for {
		start := time.Now()
		if got := ownCall(spin, n); got != n {
			t.Fatalf("spin(%d) = %d", n, got)
		}
		if d := time.Since(start); d > 20*time.Millisecond || n > 1<<40 {
			n = uintptr(float64(n) * float64(200*time.Millisecond) / float64(d))
			break
		}
		n *= 4
	}
	if err := pprof.StartCPUProfile(io.Discard); err != nil {
		t.Fatal(err)
	}
	defer pprof.StopCPUProfile()
	var wg sync.WaitGroup
	errs := make(chan string, 4)
	// The calls' wall-clock intervals: on a loaded machine a call can take
	// much more or less than calibrated, so the check below compares the
	// GC with the call it overlapped rather than with a fixed duration.
	var spans [4][2]time.Time
	started := make(chan bool)
	// One caller: with GOMAXPROCS 2 a second one would hold the other P, and
	// this goroutine would wait for a P rather than for stop-the-world.
	wg.Add(1)
	go func() {
		defer wg.Done()
		for k := 0; k < 4; k++ {
			call := ownCall
			if k%2 == 1 {
				call = ownCall1
			}
			spans[k][0] = time.Now()
			if k == 0 {
				close(started)
			}
			got := call(spin, n)
			spans[k][1] = time.Now()
			if got != n {
				errs <- "spin on the own stack returned a wrong count"
				return
			}
		}
	}()
	<-started
	time.Sleep(5 * time.Millisecond) // well inside the first call
	t0 := time.Now()
	runtime.GC()
	t1 := time.Now()
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
	t.Logf("%s: runtime.GC took %v while own-stack calls of ~200 ms ran", runtime.Version(), t1.Sub(t0))
	overlapped := false
	for k, s := range spans {
		// The call that was running when the GC began must have ended
		// before the GC did: stop-the-world waited for it. s[1] is taken
		// after the call returns, so a caller descheduled right then (qemu
		// on a busy machine: 93 µs seen) records it after t1; a GC that did
		// not wait ends close to where it began, most of the call before
		// its end, so allow a quarter of the call.
		if s[0].Before(t0) && t0.Before(s[1]) {
			overlapped = true
			if s[1].Sub(t1) > s[1].Sub(s[0])/4 {
				t.Errorf("runtime.GC ended %v before own-stack call %d did: it did not wait for the "+
					"running call; was the goroutine preempted on the native stack?", s[1].Sub(t1), k)
			}
		}
	}
	if !overlapped {
		t.Errorf("no own-stack call was running when the GC began (calls %v); the check says nothing", spans)
	}
	if b := OwnSlotsBusy(); b != 0 {
		t.Errorf("%d slots busy after the calls", b)
	}
}

// The helper process of TestCanaryOwnStackFault.
func ownFaultHelper(kind string) {
	_, load, overflow := testNativePCs()
	println("faulting:", kind)
	switch kind {
	case "load":
		ownCall1(load, 0)
	case "overflow":
		ownCall(overflow, OwnStackBytes+4096)
	}
	println("UNREACHABLE")
	os.Exit(0)
}

// TestCanaryOwnStackFault: a fault with SP on a fast own stack prints one
// line and kills the process by the signal; Go's handler (which would run
// a sigpanic on the native stack) never runs.
func TestCanaryOwnStackFault(t *testing.T) {
	if kind := os.Getenv("GOTRAMP_SHIM_OWN_FAULT"); kind != "" {
		ownFaultHelper(kind)
		return
	}
	for kind, want := range map[string]string{
		"load": `(?m)^gotramp: signal SIGSEGV \(addr 0x0\) at pc 0x[0-9a-f]+ \(no registered native code\), ` +
			`on an own stack \(call path own_stack\); the process ends$`,
		"overflow": `(?m)^gotramp: signal SIGSEGV \(addr 0x[0-9a-f]+\) at pc 0x[0-9a-f]+ \(no registered native code\): ` +
			`native stack overflow of the own stack \(1048576 bytes, call path own_stack\); the process ends$`,
	} {
		out, err := runSelf(t, "TestCanaryOwnStackFault", "GOTRAMP_SHIM_OWN_FAULT="+kind)
		text := string(out)
		t.Logf("%s: helper output:\n%s", kind, text)
		if !regexp.MustCompile(want).MatchString(text) {
			t.Errorf("%s: no line matching %q", kind, want)
		}
		for _, bad := range []string{"UNREACHABLE", "SIGSEGV: segmentation violation", "goroutine ", "panic"} {
			if bytes.Contains(out, []byte(bad)) {
				t.Errorf("%s: output contains %q", kind, bad)
			}
		}
		ee, ok := err.(*exec.ExitError)
		if !ok {
			t.Errorf("%s: exit %v, want death by SIGSEGV", kind, err)
			continue
		}
		if ws, ok := ee.Sys().(syscall.WaitStatus); !ok || !ws.Signaled() || ws.Signal() != syscall.SIGSEGV {
			t.Errorf("%s: exit %v, want death by SIGSEGV", kind, err)
		}
	}
}

func unsafePointerOf(p *uint32) uintptr { return uintptr(unsafe.Pointer(p)) }

// BenchmarkOwnAcquireRelease: the cost of taking and giving back a fast own
// stack, the own_stack path's overhead over a direct call besides the two
// helper calls.
func BenchmarkOwnAcquireRelease(b *testing.B) {
	for i := 0; i < b.N; i++ {
		ownAcquireRelease()
	}
}

// BenchmarkOwnCall1: a whole own_stack call without stack arguments, to a
// leaf that returns at once.
func BenchmarkOwnCall1(b *testing.B) {
	spin, _, _ := testNativePCs()
	for i := 0; i < b.N; i++ {
		ownCall1(spin, 1)
	}
}
