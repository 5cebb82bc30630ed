//go:build cgo

package suite

// binary is the harness.Path.Binary this test binary runs.
const binary = ""
