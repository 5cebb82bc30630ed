//go:build linux && (amd64 || arm64)

package shim

// # Callbacks: native code calling Go (the callback call path)
//
// A Callback is a C function pointer that runs a Go function. Native code
// may call one only while it runs on the callback call path: its
// trampoline took a callback stack (gotrampshim_cb_acquire, which also
// locks the goroutine to its thread), and gotrampshim_cb_call ran the
// native code on it. The path keeps the goroutine _Grunning with its P, as
// own_stack does, so a callback needs no exitsyscall: it only switches
// stacks.
//
// # How a call reaches Go
//
//  1. Every Callback owns a 16-byte stub in an executable page made at run
//     time (newCallbackPage). The stub loads its record (a *cbRecord) and
//     the address of gotrampshim_cb_native from the data page right after
//     the code page, and jumps there with the record in R11 (amd64) or R16
//     (arm64), both scratch at a C call. The code page is written once,
//     before it becomes executable, and never again: no page is writable
//     and executable at once. The data page is ordinary writable memory;
//     the records it points to are kept alive by cbPage.recs, and the GC
//     does not move heap objects.
//  2. gotrampshim_cb_native (callback_GOARCH.s) checks that SP lies on an
//     active callback stack; anything else (a thread Go did not start, a
//     function on another call path) ends the process with a message
//     (cbMsgOther, cbMsgOwn). It saves the C callee-saved registers and
//     the argument registers in a CallbackFrame on the native stack, and
//     switches SP to the goroutine stack at the place gotrampshim_cb_call
//     left it: right below the trampoline's frame, where the return
//     address into the trampoline still is. The place is kept as an offset
//     from g.stack.hi, because the runtime may move the goroutine stack
//     while a callback runs (growth, or shrinking by the GC) and a move
//     keeps every frame's distance from the top.
//  3. It jumps to gotrampshim_cb_go, an assembly function with a frame and
//     no SP write: to the unwinder (tracebacks, the GC's stack scan, the
//     profiler, panics) it is an ordinary function called by the
//     trampoline. It calls cbDispatch, which runs the Go function, then
//     jumps to gotrampshim_cb_back, which restores the native SP and
//     registers and returns the result to the native caller.
//
// The Go function therefore runs as any Go code on the goroutine's stack:
// it may allocate, grow the stack, be preempted, block, start goroutines
// and call native code again (nesting takes another callback stack). The
// goroutine stays locked to its thread for the whole native call, so it
// resumes on the same thread whatever happens in the callback; native
// code sees one thread, as it would under cgo.
//
// Runtime facts this relies on, each with a canary test
// (callback_test.go): g.stack is g's first field ({lo, hi}), a stack copy
// keeps offsets from stack.hi, and the unwinder accepts an assembly frame
// whose return address lies inside an assembly function (the trampoline)
// with a frame.
//
// # The blocking_callback path
//
// For native code that may block as well as call back: the trampoline
// enters syscall state (runtime·entersyscall) after cb_acquire and calls
// gotrampshim_cbb_call. A callback leaves syscall state in
// gotrampshim_cb_go (runtime·exitsyscall; its frame lies below the one
// entersyscall recorded, as exitsyscall requires) before any Go code runs,
// and re-enters it afterwards through gotrampshim_cbb_reenter, which
// tail-jumps to runtime·entersyscall with SP, the frame pointer and the
// return address of the trampoline's own CALL: entersyscall thus records
// the trampoline's frame again, the one the GC scans from while the
// goroutine is in syscall state and the one the trampoline's final
// exitsyscall checks. Nothing below that frame is read while the goroutine
// is in syscall state, so the next callback's frames can be written there
// while the GC scans. entersyscall returns into the trampoline after its
// CALL of cbb_call, where gotrampshim_cbb_resume either returns (the native
// code has returned) or takes the native code back up (H_PHASE 1). The GC
// and stop-the-world do not wait for the native code between callbacks
// (TestBlockingCallbackSyscallState).
//
// # Callback stacks
//
// CbSlots stacks of OwnStackBytes, each below a guard of OwnGuardBytes, in
// one range reserved (PROT_NONE) on the first use, a slot's stack made
// writable the first time the slot is taken. A slot is held from the
// trampoline's cb_acquire to its cb_release, across Go code, so slots are
// taken in Go with a compare-and-swap and a caller waits (yielding) when
// all are in use: CbSlots goroutines inside callback-path calls at once.
// The top 80 bytes of a slot are its header (cbHeader* offsets), written by
// gotrampshim_cb_call and the native entry.
//
// # Panics
//
// A panic must not unwind through native frames. The generated Go function
// of every callback-path call defers a CallbackBarrier around its
// trampoline: a panic escaping a Go callback, which would otherwise run
// the deferred functions of the Go code that made the native call and
// could be recovered there, reaches the barrier first. Its deferred Check
// recovers the panic, prints "gotramp: panic in Go callback NAME ..." with
// the value and the stack trace of the panic, and exits with status 2
// (Go's own status for an unrecovered panic); runtime.Goexit (t.FailNow in
// a test) ends the same way. One barrier per native call, rather than a
// deferred function per callback, keeps the round trip C -> Go -> C cheap
// (bench, Callback/roundtrip). A recover inside the Go function works as
// usual.

import (
	"fmt"
	"os"
	"runtime"
	"runtime/debug"
	"sync"
	"sync/atomic"
	"syscall"
	"unsafe"
)

const (
	// CbSlots is the number of callback stacks: how many goroutines can be
	// inside callback-path calls at once (nesting counts once per level).
	CbSlots = 1024
	// cbRegionBytes is the whole range (a power of two: the native entry
	// checks "SP - cbBase < cbRegionBytes" with a shift).
	cbRegionBytes = CbSlots * OwnSlotBytes

	cbStubBytes = 16
)

// The slot header, at these offsets below a slot's top (see
// callback_GOARCH.s). cbAcquire hands out top - cbHeaderBytes as the
// native stack's top.
const (
	cbHeaderBytes  = 80
	cbHeaderRec    = -72 // the record of the callback running last (*cbRecord)
	cbHeaderG      = -64 // the goroutine's g
	cbHeaderSPOff  = -56 // g.stack.hi - SP at gotrampshim_cb_call's entry
	cbHeaderFPOff  = -48 // g.stack.hi - the frame pointer there
	cbHeaderFrame  = -40 // the current callback's CallbackFrame
	cbHeaderActive = -32 // 1 while the native code runs
	cbHeaderLR     = -24 // the return address into the trampoline
	cbHeaderBlock  = -16 // 1 on the blocking_callback path
	cbHeaderPhase  = -8  // 1 between a callback's re-entry into syscall state and cbb_resume
)

// cbBase is the start of the callback stacks' range, 0 until the first
// callback-path call; read by the assembly.
var cbBase uintptr

var (
	cbReserve sync.Once
	// cbBusy[i].v is 1 while slot i is held; one per cache line, so that
	// threads on different slots do not contend.
	cbBusy [CbSlots]struct {
		v atomic.Uint32
		_ [60]byte
	}
	// cbReady[i] is 1 once slot i's stack is writable.
	cbReady   [CbSlots]atomic.Uint32
	cbReadyMu sync.Mutex
)

func reserveCallbackStacks() {
	base, _, errno := syscall.RawSyscall6(syscall.SYS_MMAP, 0, cbRegionBytes, syscall.PROT_NONE,
		syscall.MAP_PRIVATE|syscall.MAP_ANONYMOUS|syscall.MAP_NORESERVE, ^uintptr(0), 0)
	if errno != 0 {
		panic("gotramp: cannot reserve the callback stacks: " + errno.Error())
	}
	atomic.StoreUintptr(&cbBase, base)
}

// cbAcquire takes a callback stack and locks the goroutine to its thread;
// it returns the native stack's top (16-byte aligned, below the header).
// Reached from a trampoline through gotrampshim_cb_acquire, before the
// native call, so it may grow the stack and block.
func cbAcquire() uintptr {
	cbReserve.Do(reserveCallbackStacks)
	h := home()
	for round := 0; ; round++ {
		for i := 0; i < CbSlots; i++ {
			s := (h + i) % CbSlots
			if cbBusy[s].v.Load() == 0 && cbBusy[s].v.CompareAndSwap(0, 1) {
				if cbReady[s].Load() == 0 {
					makeSlotWritable(s)
				}
				runtime.LockOSThread()
				top := cbBase + uintptr(s+1)*OwnSlotBytes
				*headerWord(top, cbHeaderRec) = 0 // no callback has run in this call yet
				return top - cbHeaderBytes
			}
		}
		// Every slot is held by a goroutine inside a callback-path call.
		runtime.Gosched()
	}
}

func makeSlotWritable(s int) {
	cbReadyMu.Lock()
	defer cbReadyMu.Unlock()
	if cbReady[s].Load() != 0 {
		return
	}
	stack := cbBase + uintptr(s)*OwnSlotBytes + OwnGuardBytes
	if _, _, errno := syscall.RawSyscall(syscall.SYS_MPROTECT, stack, OwnStackBytes,
		syscall.PROT_READ|syscall.PROT_WRITE); errno != 0 {
		panic("gotramp: cannot map a callback stack: " + errno.Error())
	}
	cbReady[s].Store(1)
}

// cbRelease gives back the stack cbAcquire returned and unlocks the
// thread; reached through gotrampshim_cb_release after the native call.
func cbRelease(top uintptr) {
	runtime.UnlockOSThread()
	cbBusy[(top-cbBase)/OwnSlotBytes].v.Store(0)
}

// CallbackStackRange returns the range of the callback stacks (0, 0 before
// the first callback-path call).
func CallbackStackRange() (lo, hi uintptr) {
	b := atomic.LoadUintptr(&cbBase)
	if b == 0 {
		return 0, 0
	}
	return b, b + cbRegionBytes
}

// CallbackSlotsBusy reports how many callback stacks are in use, for tests.
func CallbackSlotsBusy() int {
	n := 0
	for i := range cbBusy {
		if cbBusy[i].v.Load() != 0 {
			n++
		}
	}
	return n
}

// CallbackFrame holds a callback's native arguments and its result, by
// their location in the C calling convention; generated code reads and
// writes it. Its layout is fixed by callback_GOARCH.s.
type CallbackFrame struct {
	ints   [8]uint64 // amd64: RDI, RSI, RDX, RCX, R8, R9; arm64: X0-X7
	floats [8]uint64 // XMM0-7 / D0-D7, low 64 bits
	stack  uintptr   // the caller's first stack argument
	ret    [2]uint64 // RAX, RDX / X0, X1
	fret   [2]uint64 // XMM0, XMM1 / D0, D1, low 64 bits
}

// Int returns the k-th integer argument register.
func (f *CallbackFrame) Int(k int) uint64 { return f.ints[k] }

// IntPointer returns the k-th integer argument register as a pointer.
func (f *CallbackFrame) IntPointer(k int) unsafe.Pointer {
	return *(*unsafe.Pointer)(unsafe.Pointer(&f.ints[k]))
}

// Float returns the low 64 bits of the k-th floating-point argument
// register (a float32 argument is the low 32 of them).
func (f *CallbackFrame) Float(k int) uint64 { return f.floats[k] }

// Stack returns the 8 bytes at offset off of the caller's stack arguments.
func (f *CallbackFrame) Stack(off uintptr) uint64 {
	return *(*uint64)(unsafe.Add(f.stackArgs(), off))
}

// StackPointer returns the pointer at offset off of the stack arguments.
func (f *CallbackFrame) StackPointer(off uintptr) unsafe.Pointer {
	return *(*unsafe.Pointer)(unsafe.Add(f.stackArgs(), off))
}

func (f *CallbackFrame) stackArgs() unsafe.Pointer {
	return *(*unsafe.Pointer)(unsafe.Pointer(&f.stack))
}

// SetInt sets the integer result (RAX / X0); small types must be passed
// sign- or zero-extended to 64 bits.
func (f *CallbackFrame) SetInt(v uint64) { f.ret[0] = v }

// SetInt2 sets the second integer result register (RDX / X1).
func (f *CallbackFrame) SetInt2(v uint64) { f.ret[1] = v }

// SetFloat sets the floating-point result register's low 64 bits (a
// float32 result is its bit pattern in the low 32).
func (f *CallbackFrame) SetFloat(bits uint64) { f.fret[0] = bits }

// SetFloat2 sets the second floating-point result register.
func (f *CallbackFrame) SetFloat2(bits uint64) { f.fret[1] = bits }

// Callback is a C function pointer that calls a Go function; see
// NewCallback.
type Callback struct {
	id       uint32
	ptr      uintptr
	name     string
	released atomic.Bool
}

type cbRecord struct {
	name     string
	fn       func(*CallbackFrame)
	released bool
}

// cbPage is one pair of pages: stubs (executable) then their data.
type cbPage struct {
	code, data uintptr
	recs       []atomic.Pointer[cbRecord]
}

// setRecord points slot k's stub at rec, in the data page (read by the
// stubs) and in recs (which keeps rec alive).
func (p *cbPage) setRecord(k uint32, rec *cbRecord) {
	p.recs[k].Store(rec)
	word := p.data + uintptr(k)*cbStubBytes
	atomic.StorePointer((*unsafe.Pointer)(*(*unsafe.Pointer)(unsafe.Pointer(&word))), unsafe.Pointer(rec))
}

// cbUnassigned is the record of a stub no Callback has used yet.
var cbUnassigned = cbRecord{name: "(never made)", released: true}

var (
	cbMu    sync.Mutex
	cbFree  []uint32 // ids free for reuse, under cbMu
	cbPages atomic.Pointer[[]*cbPage]
	// cbPageShift: log2 of the stubs per page, set with the first page.
	cbPageShift uint32
)

// NewCallback returns a C function pointer that calls fn with the native
// arguments when native code calls it during a callback-path call. name
// (the C function-pointer type) appears in messages. There is no limit
// on how many exist; Release makes the pointer's slot reusable.
func NewCallback(name string, fn func(*CallbackFrame)) *Callback {
	if fn == nil {
		panic("gotramp: NewCallback(" + name + ") with a nil function")
	}
	rec := &cbRecord{name: name, fn: fn}
	cbMu.Lock()
	if len(cbFree) == 0 {
		newCallbackPage()
	}
	id := cbFree[len(cbFree)-1]
	cbFree = cbFree[:len(cbFree)-1]
	page := (*cbPages.Load())[id>>cbPageShift]
	cbMu.Unlock()
	k := id & (1<<cbPageShift - 1)
	page.setRecord(k, rec)
	return &Callback{id: id, ptr: page.code + uintptr(k)*cbStubBytes, name: name}
}

// Pointer returns the C function pointer, valid until Release.
func (c *Callback) Pointer() uintptr { return c.ptr }

// Release frees the pointer for reuse. Native code must no longer hold it:
// a call through a released pointer ends the process (until the slot is
// reused, after which it would call another callback). Releasing twice
// panics.
func (c *Callback) Release() {
	if !c.released.CompareAndSwap(false, true) {
		panic("gotramp: Callback " + c.name + " released twice")
	}
	page := (*cbPages.Load())[c.id>>cbPageShift]
	page.setRecord(c.id&(1<<cbPageShift-1), &cbRecord{name: c.name, released: true})
	cbMu.Lock()
	cbFree = append(cbFree, c.id)
	cbMu.Unlock()
}

// CallbacksAllocated reports how many callback ids exist (live or free),
// for tests: it grows only when more callbacks are alive at once.
func CallbacksAllocated() int {
	p := cbPages.Load()
	if p == nil {
		return 0
	}
	return len(*p) << cbPageShift
}

// newCallbackPage maps a code page and a data page after it, writes a
// stub per slot and its data, and makes the code page executable. Under
// cbMu.
func newCallbackPage() {
	ps := uintptr(syscall.Getpagesize())
	per := ps / cbStubBytes
	shift := uint32(0)
	for 1<<shift < per {
		shift++
	}
	base, _, errno := syscall.RawSyscall6(syscall.SYS_MMAP, 0, 2*ps,
		syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_PRIVATE|syscall.MAP_ANONYMOUS,
		^uintptr(0), 0)
	if errno != 0 {
		panic("gotramp: cannot map a callback page: " + errno.Error())
	}
	var pages []*cbPage
	if p := cbPages.Load(); p != nil {
		pages = *p
	}
	first := uint32(len(pages)) << shift
	dataAddr := base + ps
	// The pages are not Go memory: convert the addresses without
	// arithmetic on unsafe.Pointer values (go vet's unsafeptr check).
	code := unsafe.Slice((*byte)(*(*unsafe.Pointer)(unsafe.Pointer(&base))), ps)
	data := unsafe.Slice((*uint64)(*(*unsafe.Pointer)(unsafe.Pointer(&dataAddr))), ps/8)
	entry := uint64(cbNativePC())
	for k := uintptr(0); k < per; k++ {
		writeCallbackStub(code[k*cbStubBytes:(k+1)*cbStubBytes], ps)
		data[2*k] = uint64(uintptr(unsafe.Pointer(&cbUnassigned)))
		data[2*k+1] = entry
	}
	flushICache(base, ps)
	if _, _, errno := syscall.RawSyscall(syscall.SYS_MPROTECT, base, ps,
		syscall.PROT_READ|syscall.PROT_EXEC); errno != 0 {
		panic("gotramp: cannot make a callback page executable: " + errno.Error())
	}
	cbPageShift = shift
	pages = append(pages[:len(pages):len(pages)], &cbPage{code: base, data: base + ps,
		recs: make([]atomic.Pointer[cbRecord], per)})
	cbPages.Store(&pages)
	for k := per; k > 0; k-- {
		cbFree = append(cbFree, first+uint32(k-1))
	}
}

// cbDispatch runs the Go function of the callback whose stub native code
// called, with the frame the native entry filled; called by
// gotrampshim_cb_go on the goroutine stack.
func cbDispatch(rec *cbRecord, frame *CallbackFrame) {
	if rec.released {
		cbExit("gotramp: fatal: native code called a released Go callback " + rec.name + "\n")
	}
	rec.fn(frame)
}

// CallbackBarrier keeps a panic in a Go callback from unwinding the native
// frames below it. Generated code wraps every callback-path trampoline:
//
//	var b shim.CallbackBarrier
//	defer b.Check()
//	r := trampoline(args)
//	b.Done()
//	return r
type CallbackBarrier struct{ done bool }

// Done records that the native call returned.
func (b *CallbackBarrier) Done() { b.done = true }

// Check, deferred, ends the process when the native call did not return:
// a Go callback it made panicked (recovered here) or called Goexit.
func (b *CallbackBarrier) Check() {
	if b.done {
		return
	}
	v := recover()
	rec := cbInnermostRecord()
	if rec == nil {
		// No callback ran: the panic (or Goexit) came from taking the
		// callback stack, before any native frame existed.
		if v != nil {
			panic(v)
		}
		return
	}
	cbUnwound(rec, v)
}

// headerWord points at the header word off (a cbHeader* offset) of the
// slot whose top is top. The stacks are not Go memory: the address is
// converted without arithmetic on unsafe.Pointer values (go vet's
// unsafeptr check).
func headerWord(top uintptr, off int) *uintptr {
	a := top - uintptr(-off)
	return (*uintptr)(*(*unsafe.Pointer)(unsafe.Pointer(&a)))
}

// cbInnermostRecord returns the record of the callback that ran last on
// the innermost callback stack the current goroutine holds: the callback
// a barrier's panic came from (an inner native call that panicked would
// have ended the process at its own barrier), or nil when no callback ran
// during the call. Slow; only on the way out.
func cbInnermostRecord() *cbRecord {
	g := cbCurrentG()
	var best *cbRecord
	bestOff := uintptr(0)
	for s := 0; s < CbSlots; s++ {
		if cbReady[s].Load() == 0 || cbBusy[s].v.Load() == 0 {
			continue
		}
		top := cbBase + uintptr(s+1)*OwnSlotBytes
		word := func(off int) uintptr { return *headerWord(top, off) }
		if word(cbHeaderG) != g || word(cbHeaderActive) != 1 || word(cbHeaderRec) == 0 {
			continue
		}
		// The deepest call has the largest distance from g.stack.hi.
		if off := word(cbHeaderSPOff); best == nil || off > bestOff {
			recAddr := word(cbHeaderRec)
			best, bestOff = *(**cbRecord)(unsafe.Pointer(&recAddr)), off
		}
	}
	return best
}

// cbUnwound ends the process when a callback did not return: a panic
// (recovered here, so that it cannot unwind native frames) or Goexit.
func cbUnwound(rec *cbRecord, v any) {
	var msg string
	if v == nil {
		msg = fmt.Sprintf("gotramp: fatal: Go callback %s called runtime.Goexit (t.FailNow, t.Fatal, ...), "+
			"which would unwind the native frames that called it\n", rec.name)
	} else {
		if err, ok := v.(error); ok {
			v = err.Error()
		}
		msg = fmt.Sprintf("gotramp: panic in Go callback %s: %v\n"+
			"A panic must not unwind the native frames that called the callback; recover it inside "+
			"the callback. The process ends.\n\n", rec.name, v)
	}
	cbExit(msg + string(debug.Stack()))
}

func cbExit(msg string) {
	os.Stderr.WriteString(msg)
	os.Exit(2)
}

// The messages the native entry writes before it exits (it cannot run Go
// code there); read by callback_GOARCH.s as {data, len}.
var (
	cbMsgOther = []byte("gotramp: fatal: native code called a Go callback on a thread Go did not start, or " +
		"during a call that is not on the callback call path (direct, blocking, blocking_own_stack); " +
		"give the native function that calls it \"call_path\": \"callback\"\n")
	cbMsgOwn = []byte("gotramp: fatal: native code called a Go callback during a call on the own_stack " +
		"call path; give the native function that calls it \"call_path\": \"callback\"\n")
)

// Implemented in callback_GOARCH.s.
func cbNativePC() uintptr
func cbCurrentG() uintptr
