module github.com/gotramp/gotramp

go 1.23

require filippo.io/edwards25519 v1.1.0
