// Package suite holds the workloads: every case through every path, as a
// run function (the loop, no indirect call inside it) and a check that one
// operation gives the right result. suite_test.go runs the checks before it
// times anything, so that no benchmark measures a broken path.
package suite

import (
	"bytes"
	stdzlib "compress/zlib"
	"fmt"
	"hash/adler32"
	"hash/crc32"
	"io"

	gozstd "github.com/klauspost/compress/zstd"
	golz4 "github.com/pierrec/lz4/v4"

	"github.com/gotramp/gotramp/bench/workloads/cgo/lz4c"
	"github.com/gotramp/gotramp/bench/workloads/cgo/zlibc"
	"github.com/gotramp/gotramp/bench/workloads/cgo/zstdc"
	"github.com/gotramp/gotramp/bench/workloads/data"
	"github.com/gotramp/gotramp/bench/workloads/gen/lz4"
	"github.com/gotramp/gotramp/bench/workloads/gen/zlib"
	"github.com/gotramp/gotramp/bench/workloads/gen/zstd"
)

// Path keys, as in the benchmark names and the report.
const (
	Gotramp     = "gotramp"
	GotrampStep = "gotramp-step-own-stack"
	Cgo         = "cgo"
	PureGo      = "go"
	Mattn       = "mattn"
	CLoop       = "cloop"
)

// Impl is one case through one path: Run performs n operations, Check one
// operation, comparing its result with what it must be.
type Impl struct {
	Path  string
	Run   func(n int)
	Check func() error
}

// Case is one workload with its paths.
type Case struct {
	Key   string // "lz4.compress/1KiB": the C loop prints the same names
	Bytes int    // input size, 0 for SQLite
	Impls []Impl
}

func sizeName(n int) string {
	if n >= 1024 {
		return fmt.Sprintf("%dKiB", n/1024)
	}
	return fmt.Sprintf("%dB", n)
}

func same(what string, got, want []byte) error {
	if !bytes.Equal(got, want) {
		return fmt.Errorf("%s: %d bytes differ from the %d expected", what, len(got), len(want))
	}
	return nil
}

func lz4Cases(n int) []Case {
	src := data.Text(n)
	bound := n + n/255 + 16
	dst := make([]byte, bound)
	out := make([]byte, n)
	// The reference frame: the cgo path's output, which every native path
	// must reproduce byte for byte (same objects) and every path decompresses.
	ref := append([]byte(nil), dst[:lz4c.CompressDefault(src, dst)]...)
	var c golz4.Compressor
	check := func(what string, m int, decompress func(comp []byte) int) error {
		if m <= 0 {
			return fmt.Errorf("%s: compress returned %d", what, m)
		}
		comp := append([]byte(nil), dst[:m]...)
		if k := decompress(comp); k != n {
			return fmt.Errorf("%s: round trip gave %d bytes, want %d", what, k, n)
		}
		return same(what+" round trip", out, src)
	}
	gtC := func() int {
		return int(lz4.LZ4CompressDefault(&src[0], &dst[0], int32(n), int32(len(dst))))
	}
	gtD := func(comp []byte) int {
		return int(lz4.LZ4DecompressSafe(&comp[0], &out[0], int32(len(comp)), int32(n)))
	}
	goC := func() int { m, _ := c.CompressBlock(src, dst); return m }
	goD := func(comp []byte) int { m, _ := golz4.UncompressBlock(comp, out); return m }
	cgD := func(comp []byte) int { return lz4c.DecompressSafe(comp, out) }
	return []Case{
		{Key: "lz4.compress/" + sizeName(n), Bytes: n, Impls: []Impl{
			{Gotramp, func(k int) {
				for i := 0; i < k; i++ {
					lz4.LZ4CompressDefault(&src[0], &dst[0], int32(n), int32(len(dst)))
				}
			}, func() error {
				m := gtC()
				if err := same("gotramp vs cgo frame", dst[:m], ref); err != nil {
					return err
				}
				return check("gotramp", m, gtD)
			}},
			{Cgo, func(k int) {
				for i := 0; i < k; i++ {
					lz4c.CompressDefault(src, dst)
				}
			}, func() error { return check("cgo", lz4c.CompressDefault(src, dst), cgD) }},
			{PureGo, func(k int) {
				for i := 0; i < k; i++ {
					_, _ = c.CompressBlock(src, dst)
				}
			}, func() error { return check("pierrec/lz4", goC(), goD) }},
		}},
		{Key: "lz4.decompress/" + sizeName(n), Bytes: n, Impls: []Impl{
			{Gotramp, func(k int) {
				for i := 0; i < k; i++ {
					lz4.LZ4DecompressSafe(&ref[0], &out[0], int32(len(ref)), int32(n))
				}
			}, func() error { clear(out); gtD(ref); return same("gotramp", out, src) }},
			{Cgo, func(k int) {
				for i := 0; i < k; i++ {
					lz4c.DecompressSafe(ref, out)
				}
			}, func() error { clear(out); cgD(ref); return same("cgo", out, src) }},
			{PureGo, func(k int) {
				for i := 0; i < k; i++ {
					_, _ = golz4.UncompressBlock(ref, out)
				}
			}, func() error { clear(out); goD(ref); return same("pierrec/lz4", out, src) }},
		}},
	}
}

func zstdCases(n int) []Case {
	src := data.Text(n)
	dst := make([]byte, n+n/128+64)
	out := make([]byte, n)
	gc, gd := zstd.ZSTDCreateCCtx(), zstd.ZSTDCreateDCtx()
	cc, cd := zstdc.NewCCtx(), zstdc.NewDCtx()
	var cases []Case
	refs := map[int][]byte{}
	for _, level := range []int{1, 3} {
		m := zstdc.CompressCCtx(cc, dst, src, level)
		if zstdc.IsError(m) {
			panic(fmt.Sprintf("ZSTD_compressCCtx level %d failed: %d", level, m))
		}
		ref := append([]byte(nil), dst[:m]...)
		refs[level] = ref
		enc, err := gozstd.NewWriter(nil, gozstd.WithEncoderLevel(gozstd.EncoderLevelFromZstd(level)),
			gozstd.WithEncoderConcurrency(1))
		if err != nil {
			panic(err)
		}
		gtC := func() uintptr {
			return zstd.ZSTDCompressCCtx(gc, unsafePtr(dst), uintptr(len(dst)), unsafePtr(src), uintptr(n), int32(level))
		}
		cases = append(cases, Case{Key: fmt.Sprintf("zstd.compress.l%d/%s", level, sizeName(n)), Bytes: n, Impls: []Impl{
			{Gotramp, func(k int) {
				for i := 0; i < k; i++ {
					zstd.ZSTDCompressCCtx(gc, unsafePtr(dst), uintptr(len(dst)), unsafePtr(src), uintptr(n), int32(level))
				}
			}, func() error {
				m := gtC()
				if zstd.ZSTDIsError(m) != 0 {
					return fmt.Errorf("gotramp ZSTD_compressCCtx: error %d", m)
				}
				return same("gotramp vs cgo frame", dst[:m], ref)
			}},
			{Cgo, func(k int) {
				for i := 0; i < k; i++ {
					zstdc.CompressCCtx(cc, dst, src, level)
				}
			}, func() error {
				m := zstdc.CompressCCtx(cc, dst, src, level)
				clear(out)
				if k := zstdc.DecompressDCtx(cd, out, dst[:m]); k != uint(n) {
					return fmt.Errorf("cgo round trip: %d bytes", k)
				}
				return same("cgo round trip", out, src)
			}},
			{PureGo, func(k int) {
				for i := 0; i < k; i++ {
					enc.EncodeAll(src, dst[:0])
				}
			}, func() error {
				comp := enc.EncodeAll(src, dst[:0])
				got, err := zstdDecoder.DecodeAll(comp, out[:0])
				if err != nil {
					return fmt.Errorf("klauspost round trip: %v", err)
				}
				return same("klauspost round trip", got, src)
			}},
		}})
	}
	// Every path decompresses the level-3 frame of the native code.
	ref := refs[3]
	cases = append(cases, Case{Key: "zstd.decompress/" + sizeName(n), Bytes: n, Impls: []Impl{
		{Gotramp, func(k int) {
			for i := 0; i < k; i++ {
				zstd.ZSTDDecompressDCtx(gd, unsafePtr(out), uintptr(n), unsafePtr(ref), uintptr(len(ref)))
			}
		}, func() error {
			clear(out)
			if k := zstd.ZSTDDecompressDCtx(gd, unsafePtr(out), uintptr(n), unsafePtr(ref), uintptr(len(ref))); k != uintptr(n) {
				return fmt.Errorf("gotramp ZSTD_decompressDCtx: %d", k)
			}
			return same("gotramp", out, src)
		}},
		{Cgo, func(k int) {
			for i := 0; i < k; i++ {
				zstdc.DecompressDCtx(cd, out, ref)
			}
		}, func() error {
			clear(out)
			if k := zstdc.DecompressDCtx(cd, out, ref); k != uint(n) {
				return fmt.Errorf("cgo ZSTD_decompressDCtx: %d", k)
			}
			return same("cgo", out, src)
		}},
		{PureGo, func(k int) {
			for i := 0; i < k; i++ {
				_, _ = zstdDecoder.DecodeAll(ref, out[:0])
			}
		}, func() error {
			clear(out)
			got, err := zstdDecoder.DecodeAll(ref, out[:0])
			if err != nil {
				return err
			}
			return same("klauspost", got, src)
		}},
	}})
	return cases
}

var zstdDecoder = func() *gozstd.Decoder {
	d, err := gozstd.NewReader(nil, gozstd.WithDecoderConcurrency(1))
	if err != nil {
		panic(err)
	}
	return d
}()

func checksumCases(n int) []Case {
	src := data.Text(n)
	wantCRC, wantAdler := crc32.ChecksumIEEE(src), adler32.Checksum(src)
	eq := func(what string, got, want uint32) error {
		if got != want {
			return fmt.Errorf("%s = %#x, want %#x (hash/crc32, hash/adler32)", what, got, want)
		}
		return nil
	}
	return []Case{
		{Key: "zlib.crc32/" + sizeName(n), Bytes: n, Impls: []Impl{
			{Gotramp, func(k int) {
				for i := 0; i < k; i++ {
					zlib.Crc32(0, &src[0], uint32(n))
				}
			}, func() error { return eq("gotramp crc32", uint32(zlib.Crc32(0, &src[0], uint32(n))), wantCRC) }},
			{Cgo, func(k int) {
				for i := 0; i < k; i++ {
					zlibc.CRC32(src)
				}
			}, func() error { return eq("cgo crc32", zlibc.CRC32(src), wantCRC) }},
			{PureGo, func(k int) {
				for i := 0; i < k; i++ {
					crc32.ChecksumIEEE(src)
				}
			}, func() error { return nil }},
		}},
		{Key: "zlib.adler32/" + sizeName(n), Bytes: n, Impls: []Impl{
			{Gotramp, func(k int) {
				for i := 0; i < k; i++ {
					zlib.Adler32(1, &src[0], uint32(n))
				}
			}, func() error { return eq("gotramp adler32", uint32(zlib.Adler32(1, &src[0], uint32(n))), wantAdler) }},
			{Cgo, func(k int) {
				for i := 0; i < k; i++ {
					zlibc.Adler32(src)
				}
			}, func() error { return eq("cgo adler32", zlibc.Adler32(src), wantAdler) }},
			{PureGo, func(k int) {
				for i := 0; i < k; i++ {
					adler32.Checksum(src)
				}
			}, func() error { return nil }},
		}},
	}
}

// Level is the deflate level of every path.
const Level = 6

func deflateCases(n int) []Case {
	src := data.Text(n)
	dst := make([]byte, n+n/1000+64)
	out := make([]byte, n)
	m := zlibc.Compress2(dst, src, Level)
	if m < 0 {
		panic(fmt.Sprintf("compress2: %d", m))
	}
	ref := append([]byte(nil), dst[:m]...)
	var buf bytes.Buffer
	w, _ := stdzlib.NewWriterLevel(&buf, Level)
	goDeflate := func() []byte {
		buf.Reset()
		w.Reset(&buf)
		_, _ = w.Write(src)
		_ = w.Close()
		return buf.Bytes()
	}
	rd := bytes.NewReader(ref)
	zr, err := stdzlib.NewReader(rd)
	if err != nil {
		panic(err)
	}
	goInflate := func(comp []byte) (int, error) {
		rd.Reset(comp)
		if err := zr.(stdzlib.Resetter).Reset(rd, nil); err != nil {
			return 0, err
		}
		return io.ReadFull(zr, out)
	}
	gtDeflate := func() int {
		dl := uint64(len(dst))
		if rc := zlib.Compress2(&dst[0], &dl, &src[0], uint64(n), Level); rc != zlib.Z_OK {
			return int(rc)
		}
		return int(dl)
	}
	gtInflate := func(comp []byte) int {
		dl := uint64(n)
		if rc := zlib.Uncompress(&out[0], &dl, &comp[0], uint64(len(comp))); rc != zlib.Z_OK {
			return int(rc)
		}
		return int(dl)
	}
	return []Case{
		{Key: "zlib.deflate/" + sizeName(n), Bytes: n, Impls: []Impl{
			{Gotramp, func(k int) {
				for i := 0; i < k; i++ {
					gtDeflate()
				}
			}, func() error {
				m := gtDeflate()
				if m < 0 {
					return fmt.Errorf("gotramp compress2: %d", m)
				}
				return same("gotramp vs cgo stream", dst[:m], ref)
			}},
			{Cgo, func(k int) {
				for i := 0; i < k; i++ {
					zlibc.Compress2(dst, src, Level)
				}
			}, func() error {
				m := zlibc.Compress2(dst, src, Level)
				clear(out)
				if k := zlibc.Uncompress(out, dst[:m]); k != n {
					return fmt.Errorf("cgo round trip: %d", k)
				}
				return same("cgo round trip", out, src)
			}},
			{PureGo, func(k int) {
				for i := 0; i < k; i++ {
					goDeflate()
				}
			}, func() error {
				comp := append([]byte(nil), goDeflate()...)
				clear(out)
				if _, err := goInflate(comp); err != nil {
					return err
				}
				return same("compress/zlib round trip", out, src)
			}},
		}},
		{Key: "zlib.inflate/" + sizeName(n), Bytes: n, Impls: []Impl{
			{Gotramp, func(k int) {
				for i := 0; i < k; i++ {
					gtInflate(ref)
				}
			}, func() error {
				clear(out)
				if k := gtInflate(ref); k != n {
					return fmt.Errorf("gotramp uncompress: %d", k)
				}
				return same("gotramp", out, src)
			}},
			{Cgo, func(k int) {
				for i := 0; i < k; i++ {
					zlibc.Uncompress(out, ref)
				}
			}, func() error {
				clear(out)
				if k := zlibc.Uncompress(out, ref); k != n {
					return fmt.Errorf("cgo uncompress: %d", k)
				}
				return same("cgo", out, src)
			}},
			{PureGo, func(k int) {
				for i := 0; i < k; i++ {
					_, _ = goInflate(ref)
				}
			}, func() error {
				clear(out)
				if _, err := goInflate(ref); err != nil {
					return err
				}
				return same("compress/zlib", out, src)
			}},
		}},
	}
}
