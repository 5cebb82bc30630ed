//go:build linux && (amd64 || arm64)

package shim

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"regexp"
	"runtime"
	"runtime/pprof"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
	"unsafe"
)

// testCallbackCall and testBlockingCallbackCall wrap the test trampolines
// in a panic barrier, as generated code does.
func testCallbackCall(fn, cb, x uintptr) uintptr {
	return withBarrier(testCallbackCallAsm, fn, cb, x)
}

func testBlockingCallbackCall(fn, cb, x uintptr) uintptr {
	return withBarrier(testBlockingCallbackCallAsm, fn, cb, x)
}

func withBarrier(trampoline func(fn, cb, x uintptr) uintptr, fn, cb, x uintptr) uintptr {
	var b CallbackBarrier
	defer b.Check()
	r := trampoline(fn, cb, x)
	b.Done()
	return r
}

// callNative runs the test's native function (return fn(x) + 1) on the
// callback path with the callback cb; callNativeBlocking on the
// blocking_callback path.
func callNative(cb *Callback, x uintptr) uintptr {
	return testCallbackCall(testCallbackNativePC(), cb.Pointer(), x)
}

func callNativeBlocking(cb *Callback, x uintptr) uintptr {
	return testBlockingCallbackCall(testCallbackNativePC(), cb.Pointer(), x)
}

// paths runs f for the callback and the blocking_callback path.
func paths(t *testing.T, f func(t *testing.T, call func(*Callback, uintptr) uintptr)) {
	t.Run("callback", func(t *testing.T) { f(t, callNative) })
	t.Run("blocking_callback", func(t *testing.T) { f(t, callNativeBlocking) })
}

func TestCallbackRoundTrip(t *testing.T) {
	paths(t, func(t *testing.T, call func(*Callback, uintptr) uintptr) {
		cb := NewCallback("test_fn", func(f *CallbackFrame) {
			f.SetInt(f.Int(0) * 3)
		})
		defer cb.Release()
		for x := uintptr(0); x < 1000; x++ {
			if got := call(cb, x); got != 3*x+1 {
				t.Fatalf("fn(%d) = %d, want %d", x, got, 3*x+1)
			}
		}
		if n := CallbackSlotsBusy(); n != 0 {
			t.Fatalf("%d callback stacks still busy", n)
		}
	})
}

// grow recurses with a frame that cannot be optimised away, so that the
// goroutine stack grows (and moves) by about n KiB.
//
//go:noinline
func grow(n int) int {
	var pad [1024]byte
	pad[n%1024] = byte(n)
	if n == 0 {
		return 0
	}
	return grow(n-1) + int(pad[n%1024]&1)
}

// TestCallbackStackMoves: the Go code of a callback grows the goroutine
// stack to megabytes (several copies to new places) and the GC shrinks it
// between calls; the native code and the trampoline must come back to the
// right frames each time.
func TestCallbackStackMoves(t *testing.T) {
	paths(t, func(t *testing.T, call func(*Callback, uintptr) uintptr) {
		var lo, hi uintptr
		cb := NewCallback("test_grow", func(f *CallbackFrame) {
			var x byte
			if p := uintptr(unsafe.Pointer(&x)); lo == 0 || p < lo {
				lo = p
			}
			if p := uintptr(unsafe.Pointer(&x)); p > hi {
				hi = p
			}
			n := int(f.Int(0))
			f.SetInt(uint64(grow(n*1024) + n))
			runtime.GC()
		})
		defer cb.Release()
		done := make(chan struct{})
		go func() { // a goroutine's stack starts small
			defer close(done)
			for i := uintptr(0); i < 8; i++ {
				want := uintptr(grow(int(i)*1024)) + i + 1
				if got := call(cb, i); got != want {
					t.Errorf("callback %d: got %d, want %d", i, got, want)
				}
			}
		}()
		<-done
		if hi-lo < 4<<20 {
			t.Errorf("callback frames spanned only %d bytes: the stack did not grow as planned", hi-lo)
		}
	})
}

// TestCallbackGoroutineWork: a callback allocates, runs the GC, starts
// goroutines and blocks on channels and timers, with the goroutine locked
// to its thread throughout (native code must resume on its own thread).
func TestCallbackGoroutineWork(t *testing.T) {
	paths(t, func(t *testing.T, call func(*Callback, uintptr) uintptr) {
		tid := make(chan int, 1)
		cb := NewCallback("test_work", func(f *CallbackFrame) {
			before := syscall.Gettid()
			results := make(chan uintptr)
			for i := 0; i < 4; i++ {
				go func(i int) {
					buf := make([]byte, 1<<16)
					buf[i] = byte(i)
					results <- uintptr(buf[i])
				}(i)
			}
			var sum uintptr
			for i := 0; i < 4; i++ {
				sum += <-results
			}
			time.Sleep(time.Millisecond)
			runtime.GC()
			if after := syscall.Gettid(); after != before {
				t.Errorf("callback moved from thread %d to %d", before, after)
			}
			tid <- before
			f.SetInt(uint64(sum) + f.Int(0))
		})
		defer cb.Release()
		caller := make(chan int, 1)
		got := make(chan uintptr, 1)
		go func() {
			caller <- syscall.Gettid()
			got <- call(cb, 100)
		}()
		if r := <-got; r != 100+0+1+2+3+1 {
			t.Fatalf("got %d, want %d", r, 107)
		}
		if c, in := <-caller, <-tid; c != in {
			t.Errorf("callback ran on thread %d, caller on %d", in, c)
		}
	})
}

// TestCallbackNesting: Go -> C -> Go -> C -> ... depth levels deep, each
// level on its own callback stack, all given back afterwards.
func TestCallbackNesting(t *testing.T) {
	paths(t, func(t *testing.T, call func(*Callback, uintptr) uintptr) {
		const depth = 40
		var cb *Callback
		var maxBusy int
		cb = NewCallback("test_nest", func(f *CallbackFrame) {
			n := f.Int(0)
			if b := CallbackSlotsBusy(); b > maxBusy {
				maxBusy = b
			}
			if n == 0 {
				f.SetInt(0)
				return
			}
			// native returns fn(n-1) + 1: the sum over the levels is depth.
			f.SetInt(uint64(call(cb, uintptr(n-1))))
		})
		defer cb.Release()
		if got := call(cb, depth); got != depth+1 {
			t.Fatalf("nested result %d, want %d", got, depth+1)
		}
		if maxBusy != depth+1 {
			t.Errorf("at most %d callback stacks in use, want %d", maxBusy, depth+1)
		}
		if n := CallbackSlotsBusy(); n != 0 {
			t.Errorf("%d callback stacks still busy", n)
		}
	})
}

// TestCallbackStress: goroutines make 10^6 callbacks in all while the GC
// runs, the CPU profiler samples and Go code in the callbacks is
// preempted (a tight loop); every result is checked.
func TestCallbackStress(t *testing.T) {
	paths(t, func(t *testing.T, call func(*Callback, uintptr) uintptr) {
		total := 1000000
		if testing.Short() || os.Getenv("CALLPATHS_EXEC") != "" { // under qemu
			total = 100000
		}
		var prof bytes.Buffer
		if err := pprof.StartCPUProfile(&prof); err != nil {
			t.Fatal(err)
		}
		defer pprof.StopCPUProfile()
		stop := make(chan struct{})
		var gcWG sync.WaitGroup
		gcWG.Add(1)
		go func() {
			defer gcWG.Done()
			for {
				select {
				case <-stop:
					return
				default:
					runtime.GC()
					time.Sleep(time.Millisecond)
				}
			}
		}()
		const workers = 8
		var wg sync.WaitGroup
		for w := 0; w < workers; w++ {
			wg.Add(1)
			go func(w int) {
				defer wg.Done()
				cb := NewCallback("test_stress", func(f *CallbackFrame) {
					x := f.Int(0)
					s := uint64(0)
					for i := uint64(0); i < x%64; i++ { // preemptible work
						s += i
					}
					if x%1024 == 0 {
						_ = make([]byte, 4096) // allocation inside the callback
					}
					f.SetInt(x*2 + s - s)
				})
				defer cb.Release()
				for i := 0; i < total/workers; i++ {
					x := uintptr(i + w)
					if got := call(cb, x); got != 2*x+1 {
						t.Errorf("worker %d: fn(%d) = %d", w, x, got)
						return
					}
				}
			}(w)
		}
		wg.Wait()
		close(stop)
		gcWG.Wait()
		if n := CallbackSlotsBusy(); n != 0 {
			t.Errorf("%d callback stacks still busy", n)
		}
	})
}

// TestCallbackCreateRelease: 10^6 callbacks made and released leave the
// number of stubs and the heap flat.
func TestCallbackCreateRelease(t *testing.T) {
	n := 1000000
	if os.Getenv("CALLPATHS_EXEC") != "" {
		n = 200000
	}
	var ms runtime.MemStats
	warm := NewCallback("warm", func(*CallbackFrame) {})
	warm.Release()
	runtime.GC()
	runtime.ReadMemStats(&ms)
	heap0, stubs0 := ms.HeapInuse, CallbacksAllocated()
	for i := 0; i < n; i++ {
		k := uint64(i)
		cb := NewCallback("test_churn", func(f *CallbackFrame) { f.SetInt(k) })
		if i%100000 == 0 {
			if got := callNative(cb, 0); got != uintptr(k)+1 {
				t.Fatalf("callback %d returned %d", i, got)
			}
		}
		cb.Release()
	}
	runtime.GC()
	runtime.ReadMemStats(&ms)
	t.Logf("%d callbacks made and released: stubs %d -> %d, heap in use %d -> %d KiB",
		n, stubs0, CallbacksAllocated(), heap0>>10, ms.HeapInuse>>10)
	if CallbacksAllocated() != stubs0 {
		t.Errorf("stubs grew from %d to %d", stubs0, CallbacksAllocated())
	}
	if ms.HeapInuse > heap0+8<<20 {
		t.Errorf("heap in use grew from %d to %d bytes", heap0, ms.HeapInuse)
	}
	// Many alive at once need more stubs, each distinct and working.
	live := make([]*Callback, 3000)
	seen := map[uintptr]bool{}
	for i := range live {
		k := uint64(i)
		live[i] = NewCallback("test_live", func(f *CallbackFrame) { f.SetInt(k) })
		if seen[live[i].Pointer()] {
			t.Fatalf("pointer %#x handed out twice", live[i].Pointer())
		}
		seen[live[i].Pointer()] = true
	}
	for i, cb := range live {
		if got := callNative(cb, 0); got != uintptr(i)+1 {
			t.Fatalf("live callback %d returned %d", i, got)
		}
		cb.Release()
	}
}

func TestCallbackRecoverInside(t *testing.T) {
	paths(t, func(t *testing.T, call func(*Callback, uintptr) uintptr) {
		cb := NewCallback("test_recover", func(f *CallbackFrame) {
			defer func() {
				if r := recover(); r != nil {
					f.SetInt(42)
				}
			}()
			var m map[int]int
			m[int(f.Int(0))] = 1 // panics: assignment to a nil map
		})
		defer cb.Release()
		if got := call(cb, 1); got != 43 {
			t.Fatalf("got %d, want 43", got)
		}
	})
}

func TestCallbackReleasedTwice(t *testing.T) {
	cb := NewCallback("test_twice", func(*CallbackFrame) {})
	cb.Release()
	defer func() {
		if recover() == nil {
			t.Fatal("second Release did not panic")
		}
	}()
	cb.Release()
}

// TestCallbackFatal: what ends the process, and the message it leaves.
func TestCallbackFatal(t *testing.T) {
	if kind := os.Getenv("GOTRAMP_SHIM_CB_FATAL"); kind != "" {
		callbackFatalHelper(kind)
		return
	}
	for kind, want := range map[string]string{
		"panic": `(?s)^gotramp: panic in Go callback test_panic: boom 7\n.*` +
			`recover it inside the callback\. The process ends\..*goroutine \d+ \[running, locked to thread\]:.*callbackFatalHelper`,
		"error": `(?s)^gotramp: panic in Go callback test_panic: an error value\n`,
		// The caller's recover must not see the panic: it would resume Go
		// code above native frames that never returned.
		"caller_recovers": `(?s)^gotramp: panic in Go callback test_panic: boom 5\n`,
		"blocking":        `(?s)^gotramp: panic in Go callback test_panic_blocking: boom 3\n`,
		// The barrier names the callback that panicked, at any depth.
		"nested_inner": `(?s)^gotramp: panic in Go callback test_inner: inner 4\n`,
		"nested_outer": `(?s)^gotramp: panic in Go callback test_outer: outer after 5\n`,
		"goexit":       `(?s)^gotramp: fatal: Go callback test_goexit called runtime.Goexit`,
		"released":     `(?s)^gotramp: fatal: native code called a released Go callback test_released\n`,
		"own":          `(?s)^gotramp: fatal: native code called a Go callback during a call on the own_stack call path; give the native function that calls it "call_path": "callback"\n$`,
		"direct":       `(?s)^gotramp: fatal: native code called a Go callback on a thread Go did not start, or during a call that is not on the callback call path`,
	} {
		out, err := runSelf(t, "TestCallbackFatal", "GOTRAMP_SHIM_CB_FATAL="+kind)
		text := string(out)
		if !regexp.MustCompile(want).MatchString(text) {
			t.Errorf("%s: output does not match %q:\n%s", kind, want, text)
		}
		if bytes.Contains(out, []byte("UNREACHABLE")) {
			t.Errorf("%s: the helper went on after the fatal callback", kind)
		}
		var ee *exec.ExitError
		if !errors.As(err, &ee) || ee.ExitCode() != 2 {
			t.Errorf("%s: exit %v, want status 2", kind, err)
		}
	}
}

func callbackFatalHelper(kind string) {
	native := testCallbackNativePC()
	switch kind {
	case "panic":
		cb := NewCallback("test_panic", func(f *CallbackFrame) { panic("boom " + string(rune('0'+f.Int(0)))) })
		callNative(cb, 7)
	case "error":
		cb := NewCallback("test_panic", func(f *CallbackFrame) { panic(errors.New("an error value")) })
		callNative(cb, 0)
	case "caller_recovers":
		cb := NewCallback("test_panic", func(f *CallbackFrame) { panic("boom " + string(rune('0'+f.Int(0)))) })
		func() {
			defer func() { recover() }()
			callNative(cb, 5)
		}()
	case "blocking":
		cb := NewCallback("test_panic_blocking", func(f *CallbackFrame) { panic("boom " + string(rune('0'+f.Int(0)))) })
		callNativeBlocking(cb, 3)
	case "nested_inner", "nested_outer":
		inner := NewCallback("test_inner", func(f *CallbackFrame) {
			if kind == "nested_inner" {
				panic("inner " + string(rune('0'+f.Int(0))))
			}
			f.SetInt(f.Int(0))
		})
		outer := NewCallback("test_outer", func(f *CallbackFrame) {
			r := callNative(inner, uintptr(f.Int(0))+1)
			panic("outer after " + string(rune('0'+r)))
		})
		callNative(outer, 3)
	case "goexit":
		cb := NewCallback("test_goexit", func(f *CallbackFrame) { runtime.Goexit() })
		callNative(cb, 0)
	case "released":
		cb := NewCallback("test_released", func(f *CallbackFrame) {})
		cb.Release()
		callNative(cb, 0)
	case "own":
		cb := NewCallback("test_own", func(f *CallbackFrame) {})
		testOwnCallbackCall(native, cb.Pointer(), 0)
	case "direct":
		cb := NewCallback("test_direct", func(f *CallbackFrame) {})
		testDirectCallbackCall(native, cb.Pointer(), 0)
	}
	println("UNREACHABLE")
	os.Exit(0)
}

// TestCallbackNativeFault: a native stack overflow on a callback stack is
// reported by the crash-report handler, as on a fast own stack, and the
// process dies by the signal without running Go code there.
func TestCallbackNativeFault(t *testing.T) {
	if os.Getenv("GOTRAMP_SHIM_CB_FAULT") == "1" {
		_, _, overflow := testNativePCs()
		testCallbackCall(overflow, OwnStackBytes+4096, 0)
		println("UNREACHABLE")
		os.Exit(0)
	}
	out, err := runSelf(t, "TestCallbackNativeFault", "GOTRAMP_SHIM_CB_FAULT=1")
	want := `(?m)^gotramp: signal SIGSEGV \(addr 0x[0-9a-f]+\) at pc 0x[0-9a-f]+ \(no registered native code\): ` +
		`native stack overflow of the own stack \(1048576 bytes, call path callback\); the process ends$`
	if !regexp.MustCompile(want).Match(out) {
		t.Errorf("no line matching %q in:\n%s", want, out)
	}
	var ee *exec.ExitError
	if !errors.As(err, &ee) {
		t.Fatalf("exit %v, want death by SIGSEGV", err)
	}
	if ws, ok := ee.Sys().(syscall.WaitStatus); !ok || !ws.Signaled() || ws.Signal() != syscall.SIGSEGV {
		t.Errorf("exit %v, want death by SIGSEGV", err)
	}
}

// TestCanaryCallbackGStack: the header keeps SP as an offset from
// g.stack.hi, read at offset 8 of g: g's first field must be its stack
// bounds {lo, hi}, and a stack copy must keep offsets from hi. Fails
// loudly on a Go release that changes either.
func TestCanaryCallbackGStack(t *testing.T) {
	check := func(when string) {
		lo, hi := testGStack()
		var x byte
		p := uintptr(unsafe.Pointer(&x))
		if !(lo < p && p < hi) || hi-lo < 2048 || (hi-lo)&(hi-lo-1) != 0 {
			t.Fatalf("%s: g's first two words are [%#x, %#x), which does not hold a local at %#x "+
				"as a power-of-two goroutine stack: g.stack moved on %s", when, lo, hi, p, runtime.Version())
		}
	}
	check("start")
	lo0, hi0 := testGStack()
	var y byte
	off := hi0 - uintptr(unsafe.Pointer(&y))
	grow(512) // at least 512 KiB: the stack is copied
	lo1, hi1 := testGStack()
	check("after growth")
	if lo1 == lo0 {
		t.Fatalf("the stack did not move")
	}
	if got := hi1 - uintptr(unsafe.Pointer(&y)); got != off {
		t.Fatalf("a local's offset from stack.hi changed from %d to %d across a stack copy", off, got)
	}
	_ = hi1
}

// BenchmarkCallbackRoundTrip: one callback-path call whose native code
// calls a Go callback once (the outer call and one C->Go round trip).
func BenchmarkCallbackRoundTrip(b *testing.B) {
	cb := NewCallback("bench", func(f *CallbackFrame) { f.SetInt(f.Int(0)) })
	defer cb.Release()
	for i := 0; i < b.N; i++ {
		callNative(cb, uintptr(i))
	}
}

// BenchmarkCallbackInNativeLoop: one C->Go round trip, native code calling
// a Go callback in a loop of 1000 (the outer call's cost spread over them).
func BenchmarkCallbackInNativeLoop(b *testing.B) {
	cb := NewCallback("bench", func(f *CallbackFrame) { f.SetInt(f.Int(0)) })
	defer cb.Release()
	loop := testCallbackLoopPC()
	const n = 1000
	for i := 0; i < b.N; i += n {
		if got := testCallbackCall(loop, cb.Pointer(), n); got != n*(n-1)/2 {
			b.Fatalf("sum %d", got)
		}
	}
}

// TestCanaryCallbackTraceback: Go's unwinder walks from a callback, through
// gotrampshim_cb_go and the trampoline, to the Go code that made the native
// call, in the precise mode the GC's stack scan and the stack copy use
// (runtime.Callers takes the same path). Fails loudly on a Go release
// whose unwinder no longer accepts that frame layout.
func TestCanaryCallbackTraceback(t *testing.T) {
	paths(t, func(t *testing.T, call func(*Callback, uintptr) uintptr) {
		var names []string
		cb := NewCallback("test_trace", func(f *CallbackFrame) {
			pcs := make([]uintptr, 64)
			frames := runtime.CallersFrames(pcs[:runtime.Callers(1, pcs)])
			for {
				fr, more := frames.Next()
				names = append(names, fr.Function)
				if !more {
					break
				}
			}
		})
		defer cb.Release()
		call(cb, 0)
		joined := strings.Join(names, "\n")
		for _, want := range []string{".cbDispatch", "CallbackCall", ".callNative", ".TestCanaryCallbackTraceback", "testing.tRunner"} {
			if !strings.Contains(joined, want) {
				t.Fatalf("%s: the traceback from inside a callback lacks %s:\n%s", runtime.Version(), want, joined)
			}
		}
	})
}

// TestBlockingCallbackSyscallState: between callbacks, native code on the
// blocking_callback path runs in syscall state, so a GC completes while it
// runs; on the callback path the GC waits for it, as on own_stack.
func TestBlockingCallbackSyscallState(t *testing.T) {
	if runtime.GOMAXPROCS(0) < 2 {
		t.Skip("needs GOMAXPROCS >= 2")
	}
	spin, _, _ := testNativePCs()
	n := uintptr(1 << 20)
	for { // calibrate a call of about 300 ms
		start := time.Now()
		testBlockingCallbackCall(spin, n, 0)
		if d := time.Since(start); d > 20*time.Millisecond {
			n = uintptr(float64(n) * float64(300*time.Millisecond) / float64(d))
			break
		}
		n *= 4
	}
	for _, c := range []struct {
		name  string
		call  func(fn, cb, x uintptr) uintptr
		waits bool
	}{{"blocking_callback", testBlockingCallbackCall, false}, {"callback", testCallbackCall, true}} {
		started, done := make(chan bool), make(chan time.Time)
		go func() {
			close(started)
			if got := c.call(spin, n, 0); got != n {
				t.Errorf("%s: spin returned %d, want %d", c.name, got, n)
			}
			done <- time.Now()
		}()
		<-started
		time.Sleep(20 * time.Millisecond)
		t0 := time.Now()
		runtime.GC()
		t1 := time.Now()
		end := <-done
		t.Logf("%s: GC took %v; the call ended %v after the GC began", c.name, t1.Sub(t0), end.Sub(t0))
		if end.Before(t0) {
			t.Errorf("%s: the call ended before the GC began: the check says nothing", c.name)
		} else if waited := !t1.Before(end); waited != c.waits {
			t.Errorf("%s: the GC waited for the native code: %v, want %v", c.name, waited, c.waits)
		}
	}
}
