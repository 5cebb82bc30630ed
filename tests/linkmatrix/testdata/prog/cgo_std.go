//go:build cgo

package main

// With cgo enabled, os/user resolves users through libc: the binary links
// runtime/cgo and libc, and Go still links it internally.
import _ "os/user"
