module github.com/gotramp/gotramp/runtime-shims/go

go 1.23
