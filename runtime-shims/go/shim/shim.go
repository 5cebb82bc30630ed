//go:build linux && (amd64 || arm64)

// Package shim is the runtime support of gotramp's blocking, own_stack and
// blocking_own_stack call paths, and the only code of gotramp that refers
// to Go runtime internals. Generated packages that use those paths import it for its side
// effect (`import _ ".../runtime-shims/go/shim"`) and call the assembly
// entry points below from their trampolines. It has no Go API of its own
// besides a few read-only facts for tests and diagnostics.
//
// # Entry points (plain, package-less symbols, ABI0, defined in shim_GOARCH.s)
//
//	gotrampshim_entersyscall   tail-jumps to runtime·entersyscall
//	gotrampshim_exitsyscall    tail-jumps to runtime·exitsyscall
//	gotrampshim_stack_acquire  tail-jumps to acquireStack: func() (top uintptr)
//	gotrampshim_stack_release  tail-jumps to releaseStack: func(top uintptr)
//	gotrampshim_call_on_stack  switches SP to C's, calls the native code, switches back
//	gotrampshim_own_acquire, gotrampshim_own_call, gotrampshim_own_acquire_call
//	                           the own_stack path, outside syscall state (ownstack.go)
//
// The prefix "gotrampshim_" cannot collide with the packer's names for
// native roots ("gotramp_PACKAGE_SYMBOL"). They carry no package path because Go assembly cannot spell this
// package's import path: an assembly symbol is made of letters, digits,
// '_', '·' and '∕', and the path contains a '-' ("runtime-shims"). A
// trampoline names them the way it names the native code (fact 1 of
// ARCHITECTURE.md): `CALL gotrampshim_entersyscall(SB)`.
//
// # Why the runtime references are allowed
//
// runtime.entersyscall and runtime.exitsyscall are "push" linknamed by the
// runtime itself (a bare `//go:linkname entersyscall` on their definitions in
// runtime/proc.go, kept "for widely used packages" such as gvisor): the
// linker's -checklinkname, which since Go 1.23 rejects references to
// unexported runtime symbols, lets them through, and because they carry a
// linkname the compiler also emits their ABI0 wrappers, so assembly in any
// package can call them (ARCHITECTURE.md, fact 5). Both take no arguments,
// so the ABI0 wrapper tail-calls the ABIInternal body (after loading g into
// R14 and zeroing X15 on amd64): entersyscall sees the *trampoline* as its
// caller, exactly as it must. The Go 1.27 cycle adds checks on assembly
// references (golang/go#79702); canary_test.go fails loudly the day a Go
// release stops accepting them.
//
// # The entersyscall contract the trampolines keep
//
// runtime.entersyscall (reentersyscall) saves getcallerpc(), getcallersp()
// and the caller's frame pointer in g.syscallpc/syscallsp/syscallbp, sets
// g.throwsplit and moves the goroutine to _Gsyscall. From then on the GC
// scans this goroutine's stack *from the saved SP*, without stopping it, and
// stop-the-world and sysmon may take its P. So:
//
//   - the call must come from the trampoline's own frame (a tail jump
//     keeps it so): a Go helper in between would record a frame that is
//     gone by the time the GC walks it;
//   - the trampoline's prologue (the stack-growth check) runs before it:
//     with throwsplit set, any stack growth is fatal;
//   - the frame must stay valid and unmoved until exitsyscall: the
//     trampoline keeps its SP at the saved value whenever it is in Go code,
//     the native code only runs below it (direct/blocking) or on a stack
//     outside the goroutine's (own stack), and the runtime never shrinks
//     or copies the stack of a goroutine in a syscall (isShrinkStackSafe);
//   - between the two calls nothing may allocate, take locks or write Go
//     heap pointers: the trampoline only moves arguments to registers,
//     calls the native code and stores the result into its own result
//     slot (stack memory, which needs no write barrier);
//   - exitsyscall is called with the same SP (it throws "syscall frame is
//     no longer valid" otherwise) and may reschedule the goroutine on
//     another M: the native code must not rely on thread identity across
//     calls.
//
// # Pooled own stacks (the blocking_own_stack path)
//
// (The own_stack path, without syscall state, has stacks of its own: see
// ownstack.go.) acquireStack hands out native stacks of StackBytes bytes, each with a
// GuardBytes PROT_NONE region below it, mmap'd with raw system calls (no cgo)
// and kept in a lock-free pool of PoolSlots entries; releaseStack puts one
// back, or unmaps it when the pool is full. The trampolines run the native
// code on such a stack *in syscall state* (between entersyscall and
// exitsyscall), for two reasons:
//
//   - a fault while g.throwsplit is set is turned into a throw inside the
//     signal handler ("We can't safely sigpanic because it may grow the
//     stack"): a native stack overflow into the guard page ends in Go's
//     fatal "SIGSEGV: segmentation violation ... addr=<guard page>" report
//     with the goroutine's traceback taken from the saved syscall frame.
//     Outside syscall state the handler would instead inject a sigpanic
//     call, pushing a return address below the faulting SP (into the guard
//     page) and running Go code on the exhausted native stack;
//   - the functions that need an own stack (recursion, indirect calls) are
//     the ones whose running time is least bounded, and a goroutine in
//     syscall state does not hold up the GC or stop-the-world.
//
// Signals while SP points into a native stack: Go installs every handler
// with SA_ONSTACK, so the handler runs on the thread's gsignal stack, never
// on the native stack. On amd64 the handler reloads g from TLS; on arm64
// without cgo it trusts R28, which the trampoline never touches and the
// native code must not write (-ffixed-x28, fact 6). An asynchronous
// preemption request (SIGURG) is ignored because the interrupted PC is not
// Go code (isAsyncSafePoint finds no function for it), and the goroutine is
// in syscall state anyway. A profiling signal finds no Go function at the
// native PC and charges the sample to runtime._System.
package shim

import (
	"sync/atomic"
	"syscall"
	"unsafe"
)

const (
	// StackBytes is the usable size of every own stack.
	StackBytes = 1 << 20
	// GuardBytes is the PROT_NONE region below every own stack: larger than
	// a page so that a frame that allocates a few KiB at once (sub sp
	// without probing) still lands in it rather than past it.
	GuardBytes = 64 << 10
	// PoolSlots bounds how many idle stacks are kept mapped.
	PoolSlots = 64

	mapBytes = StackBytes + GuardBytes
)

// pool holds the tops of idle stacks, one per cache line so that
// goroutines on different threads do not contend; 0 marks an empty slot.
var pool [PoolSlots]struct {
	top atomic.Uintptr
	_   [56]byte
}

// mapped counts the stacks currently mapped (idle or in use), for tests.
var mapped atomic.Int64

// home picks the slot a goroutine starts its search at: goroutine stacks
// are distinct, so the address of a local spreads concurrent callers over
// the pool, and a goroutine that calls repeatedly finds the stack it just
// released first.
//
//go:nosplit
func home() int {
	var x byte
	return int(uintptr(unsafe.Pointer(&x))>>12) % PoolSlots
}

// acquireStack returns the top of an idle native stack (16-byte aligned),
// mapping a new one when the pool is empty. It runs in the trampoline's
// frame before entersyscall, so it may grow the goroutine stack.
func acquireStack() uintptr {
	h := home()
	for i := 0; i < PoolSlots; i++ {
		s := &pool[(h+i)%PoolSlots].top
		if top := s.Load(); top != 0 && s.CompareAndSwap(top, 0) {
			return top
		}
	}
	return newStack()
}

// releaseStack returns a stack to the pool, or unmaps it when the pool is
// full. It runs after exitsyscall.
func releaseStack(top uintptr) {
	h := home()
	for i := 0; i < PoolSlots; i++ {
		s := &pool[(h+i)%PoolSlots].top
		if s.Load() == 0 && s.CompareAndSwap(0, top) {
			return
		}
	}
	freeStack(top)
}

func newStack() uintptr {
	// MAP_NORESERVE|MAP_STACK: pages are committed only when touched.
	base, _, errno := syscall.RawSyscall6(syscall.SYS_MMAP, 0, mapBytes,
		syscall.PROT_READ|syscall.PROT_WRITE,
		syscall.MAP_PRIVATE|syscall.MAP_ANONYMOUS|syscall.MAP_NORESERVE|syscall.MAP_STACK,
		^uintptr(0), 0)
	if errno != 0 {
		panic("gotramp: cannot map a native stack: " + errno.Error())
	}
	if _, _, errno := syscall.RawSyscall(syscall.SYS_MPROTECT, base, GuardBytes,
		syscall.PROT_NONE); errno != 0 {
		panic("gotramp: cannot protect a native stack's guard page: " + errno.Error())
	}
	mapped.Add(1)
	return base + mapBytes
}

func freeStack(top uintptr) {
	if _, _, errno := syscall.RawSyscall(syscall.SYS_MUNMAP, top-mapBytes, mapBytes, 0); errno != 0 {
		panic("gotramp: cannot unmap a native stack: " + errno.Error())
	}
	mapped.Add(-1)
}

// MappedStacks reports how many own stacks are mapped (idle or in use).
func MappedStacks() int64 { return mapped.Load() }

// GuardRange returns the guard region below the stack whose top is top.
func GuardRange(top uintptr) (lo, hi uintptr) {
	return top - mapBytes, top - StackBytes
}
