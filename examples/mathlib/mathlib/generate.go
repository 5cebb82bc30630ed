package mathlib

// Regenerate with `go generate ./examples/mathlib/...` (gotramp on PATH) or
// examples/mathlib/generate.sh (which also finds a gotramp in build/bin).
//go:generate sh ../native/build.sh
//go:generate gotramp generate --config gotramp.json
