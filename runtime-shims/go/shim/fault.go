//go:build linux && (amd64 || arm64)

package shim

// # Crash reports that name the native function
//
// A fault (SIGSEGV, SIGBUS, SIGFPE, SIGILL) in packed native code ends the
// process through Go's own signal handler, which knows nothing about the
// code in a .syso: it prints a raw PC (blocking and own-stack paths) or, on
// the direct path, injects a sigpanic whose unwinder stops at the native
// frame ("traceback did not unwind completely"). Generated packages
// therefore register their native text range and function table here
// (RegisterNativeCode, from an init function in PACKAGE_symbols_GOOS_GOARCH.go),
// and the first registration installs gotrampshim_sighandler in front of
// Go's handler for those four signals. When the faulting PC lies in a
// registered range, it writes one line such as
//
//	gotramp: signal SIGSEGV (addr 0x0) at pc 0x4012a0 in native code: load+0x4 [gotramp_cp_load], Go package cp
//
// to fd 2, then tail-jumps to Go's handler with the original (sig, info,
// ctx) and the original stack, so Go ends the process exactly as before. A
// fault anywhere else (Go's own nil-pointer panics included) costs a few
// loads and compares in assembly and goes to Go's handler untouched.
//
// # Why this is safe, and what it relies on
//
// Nothing here refers to a runtime symbol; what it relies on is Go's
// observable signal setup, which canary_test.go checks on every Go release:
//
//   - Go installs its handlers (runtime.initsig, before any package init)
//     with SA_SIGINFO|SA_ONSTACK (and SA_RESTORER on amd64), and never
//     reinstalls them for these signals while the program runs (they are
//     not _SigNotify signals; os/signal cannot take them over). So the
//     handler read back with rt_sigaction is Go's sigtramp, and replacing
//     only sa_handler keeps Go's flags, mask and restorer: ours runs on
//     the same gsignal stack (SA_ONSTACK), with every signal blocked
//     (Go's sa_mask is full), and returns through the same restorer.
//   - Go's sigtramp is a C-ABI function that expects nothing but (sig,
//     info, ctx) in the argument registers, the kernel's return address
//     (amd64: on the stack, arm64: in LR) and the kernel's SP; the
//     forwarding tail jump restores exactly those (runtime/sys_linux_*.s).
//   - The ucontext layout is the kernel's ABI (the PC is at offset 168 on
//     amd64, 440 on arm64; the same as runtime/defs_linux_*.go).
//
// The report itself is Go code (faultLine) called from assembly running on
// the signal stack with whatever g the interrupted thread had. That is only
// safe for code that never needs g: no stack-growth check (faultLine and
// its helpers are //go:nosplit, and so is the ABI0 wrapper the compiler
// makes for a Go function assembly calls: cmd/compile marks all such
// wrappers NOSPLIT; the linker checks the chain fits the nosplit budget),
// no allocation, no locks, no write barriers (it writes only bytes into a
// buffer on the signal stack), no panics (every index is bounds-checked by
// hand or masked, so the compiler emits no panic calls), no race/checkptr
// instrumentation (//go:norace, //go:nocheckptr). The write(2) is a raw
// system call in assembly (rawWrite). canary_test.go disassembles these
// functions and fails if they call anything but each other.
//
// Registration only appends: ranges and regionInfo entries are written
// under regMu, then published with an atomic store of nranges; the handler
// reads nranges with an acquire load (a plain load on amd64, LDAR on
// arm64) and never sees a half-written entry. The tables a package passes
// are never modified afterwards, and Go's collector does not move memory.

import (
	"sync"
	"sync/atomic"
	"syscall"
	"unsafe"
)

// NativeSymbol is one function of a packed .syso, as its Offset in the
// .syso's .text and its Size in bytes (0: unknown, up to the next symbol).
// Name is the native symbol (the C or mangled Rust name); Symbol is the
// .syso's global symbol for the functions Go calls ("gotramp_PKG_NAME"),
// empty for the others.
type NativeSymbol struct {
	Offset, Size uintptr
	Name, Symbol string
}

// maxRegions bounds how many packed objects can register (one per
// generated package and target); a power of two so the handler's index
// needs no bounds check.
const maxRegions = 64

// faultBufBytes is the size of the report buffer the handler reserves on
// the signal stack. A longer line (long mangled names) is written in
// several pieces. The whole chain (handler frame, faultLine and its
// helpers) must fit the linker's nosplit budget (about 800 bytes).
const faultBufBytes = 64

var (
	regMu sync.Mutex
	// ranges[i] = [start, end) of registered text i; read by the assembly
	// handler, so its layout (two words per entry) is fixed.
	ranges [maxRegions][2]uintptr
	// regionInfo[i] names range i; read by faultLine.
	regionInfo [maxRegions]struct {
		pkg  string
		syms []NativeSymbol
	}
	// nranges is the number of published entries (atomic).
	nranges uintptr
	// oldHandler[sig] is Go's handler the assembly forwards to. Written
	// before rt_sigaction installs ours (the kernel's sighand lock orders
	// the store before any delivery of the signal to the new handler).
	oldHandler [65]uintptr
	installed  bool
	// dflAction is SIG_DFL with no flags: the handler installs it before it
	// re-raises a fault on a fast own stack (fault_GOARCH.s, ownEnd).
	dflAction sigactiont
)

// The signals whose faults get a report.
var faultSignals = [...]uintptr{
	uintptr(syscall.SIGSEGV), uintptr(syscall.SIGBUS), uintptr(syscall.SIGFPE), uintptr(syscall.SIGILL),
}

// RegisterNativeCode records that [text, text+size) holds the packed native
// code of Go package pkg, with syms sorted by Offset, and installs the
// crash-report handler on first use. It returns false when the table is
// full or the arguments are inconsistent (nothing is registered then).
// Generated packages call it from an init function.
func RegisterNativeCode(pkg string, text, size uintptr, syms []NativeSymbol) bool {
	if text == 0 || size == 0 || text+size < text {
		return false
	}
	for i := range syms {
		if syms[i].Offset >= size || (i > 0 && syms[i].Offset < syms[i-1].Offset) {
			return false
		}
	}
	regMu.Lock()
	defer regMu.Unlock()
	n := atomic.LoadUintptr(&nranges)
	if n >= maxRegions {
		return false
	}
	regionInfo[n].pkg = pkg
	regionInfo[n].syms = syms
	ranges[n] = [2]uintptr{text, text + size}
	atomic.StoreUintptr(&nranges, n+1)
	if !installed {
		installed = true
		installFaultHandler()
	}
	return true
}

// installFaultHandlerOnce installs the handler unless it is in place: the
// fast own stacks need it whether or not a package registers its code.
func installFaultHandlerOnce() {
	regMu.Lock()
	defer regMu.Unlock()
	if !installed {
		installed = true
		installFaultHandler()
	}
}

// sigactiont is the kernel's struct sigaction on linux/amd64 and
// linux/arm64 (sa_mask is the kernel's 8-byte sigset).
type sigactiont struct {
	handler, flags, restorer, mask uintptr
}

const saSiginfo = 0x4

func rtSigaction(sig uintptr, act, old *sigactiont) syscall.Errno {
	_, _, errno := syscall.RawSyscall6(syscall.SYS_RT_SIGACTION, sig,
		uintptr(unsafe.Pointer(act)), uintptr(unsafe.Pointer(old)), 8, 0, 0)
	return errno
}

// installFaultHandler puts gotrampshim_sighandler in front of the current
// handler of each fault signal, keeping its flags, mask and restorer. A
// signal whose handler is SIG_DFL/SIG_IGN or not SA_SIGINFO (not Go's) is
// left alone.
func installFaultHandler() {
	ours := sighandlerPC()
	for _, sig := range faultSignals {
		var old sigactiont
		if rtSigaction(sig, nil, &old) != 0 || old.handler < 2 ||
			old.flags&saSiginfo == 0 || old.handler == ours {
			continue
		}
		oldHandler[sig] = old.handler
		act := old
		act.handler = ours
		rtSigaction(sig, &act, nil)
	}
}

// InstalledHandlers reports, for tests and diagnostics, which fault
// signals currently have the crash-report handler installed.
func InstalledHandlers() (sigs []syscall.Signal) {
	ours := sighandlerPC()
	for _, sig := range faultSignals {
		var cur sigactiont
		if rtSigaction(sig, nil, &cur) == 0 && cur.handler == ours {
			sigs = append(sigs, syscall.Signal(sig))
		}
	}
	return sigs
}

// Offsets in the kernel's siginfo_t and ucontext_t.
const (
	siginfoAddr = 16 // si_addr
)

// faultLine formats the report for a fault at pc in buf and writes it to
// fd 2. idx is the registered range pc lies in, or maxRegions or more when
// it lies in none (possible only when own is set). own is 1 when the
// interrupted SP was on a fast own stack (ownstack.go): the line then says
// so, and calls an access to a guard region a native stack overflow. Called from
// gotrampshim_sighandler through its ABI0 wrapper, on the signal stack,
// without a usable g: see the safety rules in the comment at the top of
// this file. Every helper is nosplit as well (inlined in practice).
//
//go:nosplit
//go:norace
//go:nocheckptr
func faultLine(buf *[faultBufBytes]byte, sig uintptr, info unsafe.Pointer, pc, idx, own uintptr) {
	w := lineWriter{buf: buf}
	w.str("gotramp: signal ")
	switch sig {
	case uintptr(syscall.SIGSEGV):
		w.str("SIGSEGV")
	case uintptr(syscall.SIGBUS):
		w.str("SIGBUS")
	case uintptr(syscall.SIGFPE):
		w.str("SIGFPE")
	case uintptr(syscall.SIGILL):
		w.str("SIGILL")
	default:
		w.str("#")
		w.hex(sig)
	}
	var addr uintptr
	if info != nil {
		addr = *(*uintptr)(unsafe.Add(info, siginfoAddr))
		w.str(" (addr ")
		w.hex(addr)
		w.str(")")
	}
	w.str(" at pc ")
	w.hex(pc)
	if idx < maxRegions {
		w.str(" in native code: ")
		nativeName(&w, pc, idx)
	} else {
		w.str(" (no registered native code)")
	}
	if own != 0 {
		ownLine(&w, sig, addr, own)
	}
	w.byte1('\n')
	w.flush()
}

// ownLine ends the line for a fault with SP on an own stack: own is 1 on a
// fast own stack, 2 on a callback stack. A separate frame (not inlined), so
// that faultLine's frame stays within the signal handler's nosplit budget.
//
//go:nosplit
//go:noinline
//go:norace
//go:nocheckptr
func ownLine(w *lineWriter, sig, addr, own uintptr) {
	// A fault address in a guard (the range below each stack) is an
	// overflow, whatever the signal's code says. own is 1 on a fast
	// own stack, 2 on a callback stack.
	base, size, path := ownBase, uintptr(ownRegionBytes), "own_stack"
	if own == 2 {
		base, size, path = cbBase, cbRegionBytes, "callback"
	}
	if rel := addr - base; sig == uintptr(syscall.SIGSEGV) && rel < size &&
		rel&(OwnSlotBytes-1) < OwnGuardBytes {
		w.str(": native stack overflow of the own stack (")
		w.dec(OwnStackBytes)
		w.str(" bytes, call path ")
		w.str(path)
		w.str("); the process ends")
	} else {
		w.str(", on an own stack (call path ")
		w.str(path)
		w.str("); the process ends")
	}
}

// nativeName writes "name+off [symbol], Go package pkg" for pc in
// registered range idx < maxRegions.
//
//go:nosplit
//go:norace
//go:nocheckptr
func nativeName(w *lineWriter, pc, idx uintptr) {
	r := &regionInfo[idx&(maxRegions-1)]
	start := ranges[idx&(maxRegions-1)][0]
	off := pc - start
	// The last symbol at or before off (binary search on a sorted table).
	syms := r.syms
	lo, hi := 0, len(syms)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if symAt(syms, m).Offset <= off {
			lo = m + 1
		} else {
			hi = m
		}
	}
	named := false
	if lo > 0 && lo <= len(syms) {
		s := symAt(syms, lo-1)
		if s.Size == 0 || off-s.Offset < s.Size {
			w.str(s.Name)
			w.str("+")
			w.hex(off - s.Offset)
			if s.Symbol != "" {
				w.str(" [")
				w.str(s.Symbol)
				w.str("]")
			}
			named = true
		}
	}
	if !named {
		w.str("text+")
		w.hex(off)
		w.str(" (no symbol)")
	}
	w.str(", Go package ")
	w.str(r.pkg)
}

// symAt is &syms[i] for 0 <= i < len(syms), which the callers guarantee,
// without the compiler's bounds check (whose failure path needs g).
//
//go:nosplit
//go:norace
//go:nocheckptr
func symAt(syms []NativeSymbol, i int) *NativeSymbol {
	return (*NativeSymbol)(unsafe.Add(unsafe.Pointer(unsafe.SliceData(syms)), uintptr(i)*unsafe.Sizeof(NativeSymbol{})))
}

// lineWriter appends to a fixed buffer and writes it out when it is full.
type lineWriter struct {
	buf *[faultBufBytes]byte
	n   int
}

//go:nosplit
//go:norace
func (w *lineWriter) byte1(c byte) {
	if w.n < 0 || w.n >= faultBufBytes {
		w.flush()
	}
	if w.n >= 0 && w.n < faultBufBytes {
		w.buf[w.n] = c
		w.n++
	}
}

//go:nosplit
//go:norace
func (w *lineWriter) flush() {
	if w.n > 0 && w.n <= faultBufBytes {
		rawWrite(2, unsafe.Pointer(w.buf), uintptr(w.n))
	}
	w.n = 0
}

//go:nosplit
//go:norace
func (w *lineWriter) str(s string) {
	for i := 0; i < len(s); i++ {
		w.byte1(s[i])
	}
}

//go:nosplit
//go:norace
func (w *lineWriter) dec(v uintptr) {
	var d [32]byte // a power of two: the index masks need no bounds check
	i := len(d)
	for {
		i--
		d[i&(len(d)-1)] = byte('0' + v%10)
		v /= 10
		if v == 0 || i == 0 {
			break
		}
	}
	for ; i < len(d); i++ {
		w.byte1(d[i&(len(d)-1)])
	}
}

//go:nosplit
//go:norace
func (w *lineWriter) hex(v uintptr) {
	w.byte1('0')
	w.byte1('x')
	shift := 60
	for shift > 0 && (v>>uint(shift))&0xf == 0 {
		shift -= 4
	}
	for ; shift >= 0; shift -= 4 {
		w.byte1("0123456789abcdef"[(v>>uint(shift))&0xf])
	}
}

// Implemented in fault_GOARCH.s.

// sighandlerPC returns the address of gotrampshim_sighandler.
func sighandlerPC() uintptr

// rawWrite is write(2) as a bare system call (NOSPLIT assembly, no g).
//
//go:noescape
func rawWrite(fd uintptr, p unsafe.Pointer, n uintptr)
