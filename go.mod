module github.com/gotramp/gotramp

go 1.23

require (
	filippo.io/edwards25519 v1.1.0
	github.com/gotramp/gotramp/runtime-shims/go v0.1.0
)

replace github.com/gotramp/gotramp/runtime-shims/go => ./runtime-shims/go
