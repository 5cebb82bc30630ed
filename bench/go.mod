module github.com/gotramp/gotramp/bench

go 1.23

require (
	github.com/cespare/xxhash/v2 v2.3.0
	github.com/ebitengine/purego v0.10.2
	github.com/gotramp/gotramp/runtime-shims/go v0.1.0
)

replace github.com/gotramp/gotramp/runtime-shims/go => ../runtime-shims/go
