// TEMPORARY stub of the callback API (issue 19, helpers' callbacks
// contract) so that generated callback constructors compile on the
// generator's branch; the real implementation lands on main as
// "shim: callbacks". Drop this file when merging.

package shim

import "unsafe"

// Callback is a C function pointer that calls a Go function.
type Callback struct{ _ [0]func() }

// NewCallback returns a C function pointer that calls fn.
func NewCallback(name string, fn func(*CallbackFrame)) *Callback { panic("stub") }

// Pointer is the C function pointer.
func (c *Callback) Pointer() uintptr { panic("stub") }

// Release frees the pointer for reuse.
func (c *Callback) Release() { panic("stub") }

// CallbackFrame holds the native arguments and the result by ABI location.
type CallbackFrame struct{ _ [0]func() }

func (f *CallbackFrame) Int(k int) uint64                        { panic("stub") }
func (f *CallbackFrame) Float(k int) uint64                      { panic("stub") }
func (f *CallbackFrame) Stack(off uintptr) uint64                { panic("stub") }
func (f *CallbackFrame) IntPointer(k int) unsafe.Pointer         { panic("stub") }
func (f *CallbackFrame) StackPointer(off uintptr) unsafe.Pointer { panic("stub") }
func (f *CallbackFrame) SetInt(v uint64)                         { panic("stub") }
func (f *CallbackFrame) SetInt2(v uint64)                        { panic("stub") }
func (f *CallbackFrame) SetFloat(bits uint64)                    { panic("stub") }
func (f *CallbackFrame) SetFloat2(bits uint64)                   { panic("stub") }
