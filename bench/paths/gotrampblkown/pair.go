//go:build linux && amd64

package gotrampblkown

// Pair is the name every call path's package gives struct tb_pair, so the
// generated benchmark loops can use one spelling (gotramp names it TbPair).
type Pair = TbPair
