// Package data makes the input of every workload: deterministic,
// text-like, semi-compressible bytes (words of a fixed vocabulary, numbers
// and punctuation drawn by a fixed-seed xorshift generator), identical for
// every path and for the C loop, which reads what cmd/gendata writes.
package data

import "strconv"

var words = []string{
	"the", "of", "and", "to", "in", "is", "that", "for", "it", "as", "was", "with", "be", "by",
	"on", "not", "he", "this", "are", "or", "his", "from", "at", "which", "but", "have", "an",
	"had", "they", "you", "were", "their", "one", "all", "we", "can", "her", "has", "there",
	"been", "if", "more", "when", "will", "would", "who", "so", "no", "stack", "frame", "call",
	"trampoline", "goroutine", "native", "compress", "library", "function", "pointer", "buffer",
	"scheduler", "collector", "benchmark", "workload", "median", "round", "object", "symbol",
}

// Text returns n bytes of the text; Text(n) is a prefix of Text(m) for n < m.
func Text(n int) []byte {
	b := make([]byte, 0, n+32)
	x := uint64(0x9e3779b97f4a7c15) // fixed seed
	next := func() uint64 {
		x ^= x << 13
		x ^= x >> 7
		x ^= x << 17
		return x
	}
	for len(b) < n {
		r := next()
		switch {
		case r%16 == 0:
			b = strconv.AppendUint(b, r>>40, 10)
		default:
			b = append(b, words[(r>>8)%uint64(len(words))]...)
		}
		switch (r >> 32) % 12 {
		case 0:
			b = append(b, ". "...)
		case 1:
			b = append(b, ", "...)
		case 2:
			b = append(b, '\n')
		default:
			b = append(b, ' ')
		}
	}
	return b[:n]
}

// Row is the SQLite row with primary key id: the point query reads v back,
// the insert transaction writes v and s (24 bytes of Text(4096) at
// id*37 mod 4072; cloop/cloop.c computes the same).
func Row(id int64) (v int64, s []byte) {
	t := text4K
	off := int(id*37) % (len(t) - 24)
	return id*7 + 3, t[off : off+24]
}

var text4K = Text(4096)

// Rows is the number of rows of the point query's table and of each insert
// transaction.
const Rows = 1000
