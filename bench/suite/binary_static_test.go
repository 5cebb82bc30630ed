//go:build !cgo

package suite

// binary is the harness.Path.Binary this test binary runs: the one built
// with CGO_ENABLED=0.
const binary = "static"
