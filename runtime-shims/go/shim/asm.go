//go:build linux && (amd64 || arm64)

package shim

// Implemented in shim_GOARCH.s; used by the tests.
func enterExit()
func acquireRelease() uintptr

// Implemented in fault_GOARCH.s; used by the tests.
func faultLoad(p uintptr) uintptr
func faultLoadPC() uintptr

// Implemented in ownstack_GOARCH.s; used by the tests.
func ownAcquireRelease() (top, slot uintptr)
func ownAcquire() (top, slot uintptr)
func ownCall(fn, arg uintptr) uintptr
func ownCall1(fn, arg uintptr) uintptr
func testNativePCs() (spin, load, overflow uintptr)

// Implemented in callback_GOARCH.s; used by the tests.
func testCallbackCallAsm(fn, cb, x uintptr) uintptr
func testOwnCallbackCall(fn, cb, x uintptr) uintptr
func testDirectCallbackCall(fn, cb, x uintptr) uintptr
func testCallbackNativePC() uintptr
func testGStack() (lo, hi uintptr)
func testCallbackLoopPC() uintptr
func testBlockingCallbackCallAsm(fn, cb, x uintptr) uintptr
