//go:build linux && (amd64 || arm64)

package shim

// # Fast own stacks (the own_stack call path)
//
// The own_stack path runs native code on a guard-paged native stack
// *without* entering syscall state: the goroutine stays _Grunning and keeps
// its P, exactly as on the direct path, so the call costs a few
// instructions more than a direct one instead of an entersyscall/
// exitsyscall pair. The blocking_own_stack path (stacks from the pool in
// shim.go, in syscall state) remains for calls that may block or run long.
//
// All fast stacks live in one mapping reserved at package init:
// OwnSlots slots of OwnSlotBytes each, every slot an OwnGuardBytes
// PROT_NONE guard followed by OwnStackBytes of stack (MAP_NORESERVE: only
// the pages native code touches are committed). Because the range is one
// interval, the fault handler recognises "SP is on a fast own stack" and
// "the fault address is in a guard" with a subtraction and a compare.
//
// A slot is taken by the trampoline through gotrampshim_own_acquire
// (ownstack_GOARCH.s): an atomic exchange (XCHGL on amd64, LDAXRW/STXRW on
// arm64, ARMv8.0 without LSE) of 1 into the slot's busy word, starting at a
// slot picked from the goroutine's SP; gotrampshim_own_call switches SP,
// calls, switches back and gives the slot back with a release store (a
// plain MOVL on amd64, STLRW on arm64). A slot is held only while a
// goroutine runs its trampoline and the native code, all of it without a
// preemption point (the trampoline is NOSPLIT assembly), so at most one
// slot per running M is busy; when every slot is busy (more than OwnSlots
// threads inside own_stack calls at once) acquire spins until one is given
// back, which needs no Go code from the holder.
//
// What the runtime does while native code runs with SP on a fast stack
// (read in Go 1.23-1.27's runtime/signal_unix.go, preempt.go, proc.go and
// traceback.go; tests/callpaths exercises each):
//
//   - Signals run on the gsignal stack (Go installs every handler with
//     SA_ONSTACK); g comes from TLS (amd64) or R28 (arm64), untouched.
//   - SIGURG (async preemption): isAsyncSafePoint finds no Go function at
//     the native PC (or an assembly function in the shim), so nothing is
//     injected; the goroutine is preempted when it returns to Go code.
//   - SIGPROF: sigprof starts the unwinder at the native PC, which is no
//     Go function, so the sample has no stack and is charged to
//     runtime._System (the shim's helper, if hit, is an SPWRITE innermost
//     frame: the silent unwinder stops there). No unwinder reads the
//     native stack.
//   - GC and stop-the-world: the goroutine is running and not at a safe
//     point, so they wait for the call to return, as for a direct call.
//     Hence the rule: own_stack is for calls that neither block nor run
//     long.
//   - Faults (SIGSEGV, SIGBUS, SIGFPE, SIGILL): Go's handler would inject
//     a sigpanic frame below the faulting SP, i.e. run Go code on the
//     native stack, and for a stack overflow it would write into the
//     guard and fault again inside the handler, killing the process
//     without a word. The crash-report handler (fault.go) is therefore
//     installed at init and looks at SP first: on a fast own stack it
//     prints one line (the native function, and "native stack overflow"
//     when the address is in a guard), restores SIG_DFL and re-raises the
//     signal, so the process dies by the signal without running any Go
//     code. See fault.go for why not Go's report.

import (
	"sync/atomic"
	"syscall"
)

const (
	// OwnStackBytes is the usable size of a fast own stack.
	OwnStackBytes = 1 << 20
	// OwnGuardBytes is the PROT_NONE region below each fast own stack, as
	// large as the stack: a frame that moves SP by up to 1 MiB at once
	// (alloca, a large local array, no stack probes) still lands in its
	// own guard, never in the neighbouring slot's stack.
	OwnGuardBytes = 1 << 20
	// OwnSlotBytes is one slot: guard, then stack (a power of two, so the
	// assembly finds a slot's top with a shift).
	OwnSlotBytes = OwnGuardBytes + OwnStackBytes
	ownSlotShift = 21
	// OwnSlots is the number of fast own stacks (a power of two). More
	// than that many threads inside own_stack calls at once wait in
	// acquire.
	OwnSlots = 64
	// ownRegionBytes is the whole reserved range.
	ownRegionBytes = OwnSlots * OwnSlotBytes
)

// ownBase is the start of the reserved range, read by the assembly of the
// trampolines' helpers and of the fault handler; set once at init, before
// any generated package's init can call native code.
var ownBase uintptr

// ownBusy[i] is 1 while slot i is in use; one per cache line so that
// threads on different slots do not contend. Read and written only by
// the assembly in ownstack_GOARCH.s (and the tests).
var ownBusy [OwnSlots]struct {
	busy uint32
	_    [60]byte
}

func init() {
	base, _, errno := syscall.RawSyscall6(syscall.SYS_MMAP, 0, ownRegionBytes,
		syscall.PROT_READ|syscall.PROT_WRITE,
		syscall.MAP_PRIVATE|syscall.MAP_ANONYMOUS|syscall.MAP_NORESERVE|syscall.MAP_STACK,
		^uintptr(0), 0)
	if errno != 0 {
		panic("gotramp: cannot reserve the own stacks: " + errno.Error())
	}
	for i := uintptr(0); i < OwnSlots; i++ {
		if _, _, errno := syscall.RawSyscall(syscall.SYS_MPROTECT, base+i*OwnSlotBytes,
			OwnGuardBytes, syscall.PROT_NONE); errno != 0 {
			panic("gotramp: cannot protect an own stack's guard: " + errno.Error())
		}
	}
	ownBase = base
	// The fault handler must be in place before any own_stack call, with or
	// without a registered crash-report table: see the comment above.
	installFaultHandlerOnce()
}

// OwnStackRange returns the reserved range of the fast own stacks.
func OwnStackRange() (lo, hi uintptr) { return ownBase, ownBase + ownRegionBytes }

// OwnGuardRange returns the guard region of fast slot i.
func OwnGuardRange(i int) (lo, hi uintptr) {
	lo = ownBase + uintptr(i)*OwnSlotBytes
	return lo, lo + OwnGuardBytes
}

// OwnSlotsBusy reports how many fast own stacks are in use, for tests.
func OwnSlotsBusy() int {
	n := 0
	for i := range ownBusy {
		if atomic.LoadUint32(&ownBusy[i].busy) != 0 {
			n++
		}
	}
	return n
}
