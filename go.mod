module github.com/gotramp/gotramp

go 1.23
