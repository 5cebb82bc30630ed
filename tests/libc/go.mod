// The Go side of the real-library tests of libc mode (tests/e2e/libc_*.sh):
// the pure-Go implementations the native libraries are checked against, and
// the purego libc mode's generated packages import without cgo. The tests
// copy this file and go.sum into a scratch module; scripts/test.sh downloads
// what it requires.
module github.com/gotramp/gotramp/tests/libc

go 1.25

require (
	github.com/ebitengine/purego v0.10.2
	github.com/klauspost/compress v1.20.4
	github.com/pierrec/lz4/v4 v4.1.33
)
