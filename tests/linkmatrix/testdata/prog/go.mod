// The link matrix program's module (tests/linkmatrix/run.sh copies it, with
// the generated packages, into a scratch module and points the replace at
// the checkout). It pins the purego that the libc package's CGO_ENABLED=0
// cells import; scripts/test.sh runs go mod download here.
module lm

go 1.23

require (
	github.com/ebitengine/purego v0.10.2
	github.com/gotramp/gotramp/runtime-shims/go v0.1.0
)

replace github.com/gotramp/gotramp/runtime-shims/go => ../../../../runtime-shims/go
