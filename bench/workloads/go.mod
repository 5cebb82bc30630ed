module github.com/gotramp/gotramp/bench/workloads

// modernc.org/sqlite v1.62.0 requires go 1.26.0 and klauspost/compress
// v1.20.4 go 1.25, above bench/'s go 1.23: hence a module of its own.
go 1.26.0

replace github.com/gotramp/gotramp/runtime-shims/go => ../../runtime-shims/go

require (
	github.com/ebitengine/purego v0.10.2
	github.com/gotramp/gotramp/runtime-shims/go v0.1.0
	github.com/klauspost/compress v1.20.4
	github.com/mattn/go-sqlite3 v1.14.53
	github.com/pierrec/lz4/v4 v4.1.33
	modernc.org/sqlite v1.62.0
)

require (
	github.com/dustin/go-humanize v1.1.0 // indirect
	github.com/google/uuid v1.6.0 // indirect
	github.com/mattn/go-isatty v0.0.24 // indirect
	github.com/ncruces/go-strftime v1.1.0 // indirect
	github.com/remyoudompheng/bigfft v0.0.0-20230129092748-24d4a6f8daec // indirect
	golang.org/x/sys v0.49.0 // indirect
	modernc.org/libc v1.80.1 // indirect
	modernc.org/mathutil v1.7.1 // indirect
	modernc.org/memory v1.12.1 // indirect
)
