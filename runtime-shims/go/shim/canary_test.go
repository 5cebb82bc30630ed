//go:build linux && (amd64 || arm64)

package shim

import (
	"runtime"
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
