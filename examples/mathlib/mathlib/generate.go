package mathlib

// Hand-written: the other .go, .s and .syso files in this directory come from
// ../generate.sh, which go generate runs.

//go:generate sh ../generate.sh
