module github.com/gotramp/gotramp/bench

go 1.23

require (
	github.com/cespare/xxhash/v2 v2.3.0
	github.com/ebitengine/purego v0.10.2
	github.com/gotramp/gotramp v0.0.0-00010101000000-000000000000
)

replace github.com/gotramp/gotramp => ../
