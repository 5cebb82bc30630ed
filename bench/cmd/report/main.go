// Command report turns the raw data that run.sh collects into RESULTS.md and
// the chart ns_per_call.svg.
//
//	go run ./cmd/report -raw results/raw -out results   (from bench/)
//	go run ./cmd/report -irstats FILE.json              (counts in a --dump-ir)
//
// Raw files read (all written by run.sh): machine.txt, bench-*.txt (go test
// -bench output, one file per round and test binary), cloop-*.txt (the
// benchmark line of native/out/crc32floor, one per round),
// callgrind-manifest.json and callgrind-totals.tsv, hyperfine.json,
// ir-*.json, bytes-*.txt, files-sodium.txt, sizes.tsv, libxxhash-a.txt.
package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/gotramp/gotramp/bench/harness"
)

func main() {
	log.SetFlags(0)
	log.SetPrefix("report: ")
	rawDir := flag.String("raw", "results/raw", "directory of raw data")
	outDir := flag.String("out", "results", "directory for RESULTS.md and ns_per_call.svg")
	benchDir := flag.String("dir", ".", "the bench/ directory (for the gotramp reports)")
	irstats := flag.String("irstats", "", "print counts of the --dump-ir output in this file and exit")
	flag.Parse()

	if *irstats != "" {
		if err := printIRStats(*irstats); err != nil {
			log.Fatal(err)
		}
		return
	}
	r, err := load(*rawDir, *benchDir)
	if err != nil {
		log.Fatal(err)
	}
	md := r.markdown()
	if err := os.WriteFile(filepath.Join(*outDir, "RESULTS.md"), []byte(md), 0o644); err != nil {
		log.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(*outDir, "ns_per_call.svg"), []byte(r.chart()), 0o644); err != nil {
		log.Fatal(err)
	}
}

// irStats are the counts reported for a parsed header.
type irStats struct {
	Functions int `json:"functions"`
	Variadic  int `json:"variadic"`
	Records   int `json:"records"`
	Enums     int `json:"enums"`
	Constants int `json:"constants"`
}

func printIRStats(path string) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	var m struct {
		Functions []struct {
			Variadic bool `json:"variadic"`
		} `json:"functions"`
		Records   []json.RawMessage `json:"records"`
		Enums     []json.RawMessage `json:"enums"`
		Constants []json.RawMessage `json:"constants"`
	}
	if err := json.Unmarshal(data, &m); err != nil {
		return fmt.Errorf("%s: %v", path, err)
	}
	s := irStats{Functions: len(m.Functions), Records: len(m.Records), Enums: len(m.Enums), Constants: len(m.Constants)}
	for _, f := range m.Functions {
		if f.Variadic {
			s.Variadic++
		}
	}
	out, _ := json.Marshal(s)
	fmt.Println(string(out))
	return nil
}

// sample is one benchmark's figures over the rounds.
type sample struct {
	ns, bytes, allocs []float64
}

type results struct {
	benchDir string
	machine  map[string]string
	machKeys []string
	bench    map[string]*sample
	// irPerCall maps a call name to its instructions per call, baseline
	// loop subtracted; baseline is the instructions of an empty iteration.
	irPerCall map[string]float64
	baseline  float64
	hyperfine []hfResult
	ir        map[string]irStats
	bytes     map[string]string
	sodiumN   string
	sizes     [][]string
	libxxhash string
}

type hfResult struct {
	Command string  `json:"command"`
	Median  float64 `json:"median"`
	Min     float64 `json:"min"`
	Max     float64 `json:"max"`
}

func load(raw, benchDir string) (*results, error) {
	r := &results{benchDir: benchDir, machine: map[string]string{}, bench: map[string]*sample{},
		irPerCall: map[string]float64{}, ir: map[string]irStats{}, bytes: map[string]string{}}

	lines, err := readLines(filepath.Join(raw, "machine.txt"))
	if err != nil {
		return nil, err
	}
	for _, l := range lines {
		k, v, ok := strings.Cut(l, ": ")
		if ok {
			r.machine[k] = v
			r.machKeys = append(r.machKeys, k)
		}
	}

	rounds, _ := filepath.Glob(filepath.Join(raw, "bench-*.txt"))
	if len(rounds) == 0 {
		return nil, fmt.Errorf("no bench-*.txt in %s", raw)
	}
	floors, _ := filepath.Glob(filepath.Join(raw, "cloop-*.txt"))
	for _, f := range append(rounds, floors...) {
		if err := r.readBench(f); err != nil {
			return nil, err
		}
	}

	for _, prefix := range []string{"callgrind", "callgrind-static"} {
		if err := r.readCallgrind(raw, prefix); err != nil {
			return nil, err
		}
	}

	if data, err := os.ReadFile(filepath.Join(raw, "hyperfine.json")); err == nil {
		var hf struct {
			Results []hfResult `json:"results"`
		}
		if err := json.Unmarshal(data, &hf); err != nil {
			return nil, fmt.Errorf("hyperfine.json: %v", err)
		}
		r.hyperfine = hf.Results
	}
	for _, h := range []string{"sqlite3", "sodium"} {
		if data, err := os.ReadFile(filepath.Join(raw, "ir-"+h+".json")); err == nil {
			var s irStats
			if err := json.Unmarshal(data, &s); err != nil {
				return nil, fmt.Errorf("ir-%s.json: %v", h, err)
			}
			r.ir[h] = s
		}
		if data, err := os.ReadFile(filepath.Join(raw, "bytes-"+h+".txt")); err == nil {
			r.bytes[h] = strings.TrimSpace(string(data))
		}
	}
	if data, err := os.ReadFile(filepath.Join(raw, "files-sodium.txt")); err == nil {
		r.sodiumN = strings.TrimSpace(string(data))
	}
	if lines, err := readLines(filepath.Join(raw, "sizes.tsv")); err == nil {
		for _, l := range lines[1:] {
			r.sizes = append(r.sizes, strings.Split(l, "\t"))
		}
	}
	if data, err := os.ReadFile(filepath.Join(raw, "libxxhash-a.txt")); err == nil {
		r.libxxhash = strings.TrimSpace(string(data))
	}
	return r, nil
}

func readLines(path string) ([]string, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return strings.Split(strings.TrimRight(string(data), "\n"), "\n"), nil
}

// readBench adds one round of `go test -bench -benchmem` output.
func (r *results) readBench(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) < 4 || !strings.HasPrefix(fields[0], "Benchmark") {
			continue
		}
		name := strings.TrimPrefix(fields[0], "Benchmark")
		if i := strings.LastIndexByte(name, '-'); i > 0 {
			if _, err := strconv.Atoi(name[i+1:]); err == nil {
				name = name[:i]
			}
		}
		s := r.bench[name]
		if s == nil {
			s = &sample{}
			r.bench[name] = s
		}
		for i := 2; i+1 < len(fields); i += 2 {
			v, err := strconv.ParseFloat(fields[i], 64)
			if err != nil {
				continue
			}
			switch fields[i+1] {
			case "ns/op":
				s.ns = append(s.ns, v)
			case "B/op":
				s.bytes = append(s.bytes, v)
			case "allocs/op":
				s.allocs = append(s.allocs, v)
			}
		}
	}
	return sc.Err()
}

// readCallgrind computes instructions per call from the callgrind dumps'
// totals (PREFIX-totals.tsv) and the manifest of intervals written by
// cmd/callcount (PREFIX-manifest.json), each run's own baseline subtracted.
func (r *results) readCallgrind(raw, prefix string) error {
	data, err := os.ReadFile(filepath.Join(raw, prefix+"-manifest.json"))
	if os.IsNotExist(err) {
		return nil
	} else if err != nil {
		return err
	}
	var manifest []struct {
		Name string `json:"name"`
		N    int    `json:"n"`
		Dump int    `json:"dump"`
	}
	if err := json.Unmarshal(data, &manifest); err != nil {
		return fmt.Errorf("%s-manifest.json: %v", prefix, err)
	}
	lines, err := readLines(filepath.Join(raw, prefix+"-totals.tsv"))
	if err != nil {
		return err
	}
	totals := map[int]float64{}
	for _, l := range lines {
		k, v, _ := strings.Cut(l, "\t")
		dump, err1 := strconv.Atoi(k)
		ir, err2 := strconv.ParseFloat(v, 64)
		if err1 == nil && err2 == nil {
			totals[dump] = ir
		}
	}
	type point struct{ n, ir float64 }
	points := map[string][]point{}
	for _, iv := range manifest {
		ir, ok := totals[iv.Dump]
		if !ok {
			return fmt.Errorf("callgrind: no totals for dump %d (%s)", iv.Dump, iv.Name)
		}
		points[iv.Name] = append(points[iv.Name], point{float64(iv.N), ir})
	}
	perIter := map[string]float64{}
	for name, ps := range points {
		if len(ps) != 2 || ps[1].n == ps[0].n {
			return fmt.Errorf("callgrind: %s has %d intervals, want 2 of different lengths", name, len(ps))
		}
		perIter[name] = (ps[1].ir - ps[0].ir) / (ps[1].n - ps[0].n)
	}
	base, ok := perIter["Baseline"]
	if !ok {
		return fmt.Errorf("%s: no Baseline loop", prefix)
	}
	if prefix == "callgrind" {
		r.baseline = base
	}
	for name, v := range perIter {
		if name != "Baseline" {
			r.irPerCall[name] = v - base
		}
	}
	return nil
}

func median(xs []float64) float64 {
	if len(xs) == 0 {
		return math.NaN()
	}
	s := append([]float64(nil), xs...)
	sort.Float64s(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

func minmax(xs []float64) (float64, float64) {
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, x := range xs {
		lo, hi = math.Min(lo, x), math.Max(hi, x)
	}
	return lo, hi
}

// ns returns the median ns/op of a benchmark, or NaN.
func (r *results) ns(name string) float64 {
	if s := r.bench[name]; s != nil {
		return median(s.ns)
	}
	return math.NaN()
}

func roleKey(paths []harness.Path, role harness.Role) harness.Path {
	for _, p := range paths {
		if p.Role == role {
			return p
		}
	}
	return harness.Path{}
}

// fmtNS formats nanoseconds with three significant digits.
func fmtNS(v float64) string {
	switch {
	case math.IsNaN(v):
		return "—"
	case v >= 100:
		return fmt.Sprintf("%.0f", v)
	case v >= 10:
		return fmt.Sprintf("%.1f", v)
	default:
		return fmt.Sprintf("%.2f", v)
	}
}

func fmtRatio(v float64) string {
	switch {
	case math.IsNaN(v) || math.IsInf(v, 0):
		return "—"
	case v >= 10:
		return fmt.Sprintf("×%.0f", v)
	case v >= 0.1:
		return fmt.Sprintf("×%.2f", v)
	default:
		return fmt.Sprintf("×%.3f", v)
	}
}

func fmtIR(v float64, ok bool) string {
	if !ok {
		return "—"
	}
	return fmt.Sprintf("%.0f", v)
}

func geomean(xs []float64) float64 {
	if len(xs) == 0 {
		return math.NaN()
	}
	s := 0.0
	for _, x := range xs {
		s += math.Log(x)
	}
	return math.Exp(s / float64(len(xs)))
}

// footnotes numbers the distinct notes of a table.
type footnotes struct {
	texts []string
	index map[string]int
}

func (f *footnotes) ref(text string) string {
	if f.index == nil {
		f.index = map[string]int{}
	}
	i, ok := f.index[text]
	if !ok {
		f.texts = append(f.texts, text)
		i = len(f.texts)
		f.index[text] = i
	}
	return fmt.Sprintf("<sup>%d</sup>", i)
}

func (f *footnotes) write(b *strings.Builder) {
	for i, t := range f.texts {
		fmt.Fprintf(b, "%d. %s\n", i+1, t)
	}
}

func (r *results) missing(p harness.Path, c harness.Case) string {
	why, err := p.MissingReason(r.benchDir, c)
	if err != nil {
		return err.Error()
	}
	return why
}

func (r *results) markdown() string {
	var b strings.Builder
	m := r.machine
	floor := roleKey(harness.Paths, harness.Floor)
	cgo := roleKey(harness.Paths, harness.Cgo)

	b.WriteString("# gotramp benchmark results\n\n")
	b.WriteString("Written by `bench/run.sh`; do not edit. ")
	if m["quick"] == "1" {
		b.WriteString("**This is a `--quick` run: the figures only show that the pipeline works.** ")
	}
	fmt.Fprintf(&b, "Machine: %s, %s cores, %s; %s, %s. Toolchain: %s, %s; %s, commit %s. Date: %s.",
		m["cpu"], m["cores"], m["memory"], m["os"], m["kernel"], m["go"], m["clang"], m["gotramp"], m["commit"], m["date"])
	if l := m["load"]; l != "" {
		fmt.Fprintf(&b, " Load average (1, 5, 15 min) when the benchmarks started: %s; above the core count, "+
			"other work shared the machine and the min–max ranges widen.", l)
	}
	b.WriteString("\n\n")
	fmt.Fprintf(&b, "Every path runs side by side in one test binary (`suite`). A round runs every benchmark once with "+
		"`-benchtime %s`; %s run back to back, and each figure is the median of the rounds "+
		"(min–max in the detailed table). Ratios divide medians: **× floor** by the hand-written Go assembly "+
		"function doing the same work, **× cgo** by plain cgo calling the same C. "+
		"Instructions per call are callgrind's count (`cmd/callcount`), the empty loop subtracted "+
		"(%.0f instructions per iteration): they do not move with machine noise.\n\n",
		m["benchtime"], plural(m["rounds"], "round"), r.baseline)

	// Summary of the direct path.
	gt := harness.Paths[0]
	var toFloor, toCgo, irFloor, irCgo []float64
	for _, c := range harness.Cases {
		g, f, cg := r.ns(harness.CallName(c, gt)), r.ns(harness.CallName(c, floor)), r.ns(harness.CallName(c, cgo))
		if !math.IsNaN(g) && !math.IsNaN(f) && !math.IsNaN(cg) {
			toFloor = append(toFloor, g/f)
			toCgo = append(toCgo, g/cg)
		}
		gi, ok1 := r.irPerCall[harness.CallName(c, gt)]
		fi, ok2 := r.irPerCall[harness.CallName(c, floor)]
		ci, ok3 := r.irPerCall[harness.CallName(c, cgo)]
		if ok1 && ok2 && ok3 && fi > 0 && ci > 0 {
			irFloor = append(irFloor, gi/fi)
			irCgo = append(irCgo, gi/ci)
		}
	}
	if len(toFloor) > 0 {
		lo, hi := minmax(toFloor)
		clo, chi := minmax(toCgo)
		fmt.Fprintf(&b, "**%s, geometric mean over the %d cases it binds:** %s the assembly floor (%s to %s), "+
			"%s cgo (%s to %s): cgo costs %.0f× as much.",
			gt.Label, len(toFloor), fmtRatio(geomean(toFloor)), fmtRatio(lo), fmtRatio(hi),
			fmtRatio(geomean(toCgo)), fmtRatio(clo), fmtRatio(chi), 1/geomean(toCgo))
		if len(irFloor) > 0 {
			fmt.Fprintf(&b, " In instructions: %s the floor, %s cgo.", fmtRatio(geomean(irFloor)), fmtRatio(geomean(irCgo)))
		}
		b.WriteString("\n\n")
	}

	// ns matrix.
	var notes footnotes
	b.WriteString("## Call overhead: ns per call\n\n![ns per call](ns_per_call.svg)\n\n")
	b.WriteString("| path |")
	for _, c := range harness.Cases {
		fmt.Fprintf(&b, " %s |", c.Label)
	}
	b.WriteString("\n|---|")
	for range harness.Cases {
		b.WriteString("---:|")
	}
	b.WriteString("\n")
	for _, p := range harness.Paths {
		label := p.Label
		if p.Note != "" {
			label += notes.ref(p.Note)
		}
		fmt.Fprintf(&b, "| %s |", label)
		for _, c := range harness.Cases {
			if why := r.missing(p, c); why != "" {
				fmt.Fprintf(&b, " n/a%s |", notes.ref(why))
				continue
			}
			fmt.Fprintf(&b, " %s |", fmtNS(r.ns(harness.CallName(c, p))))
		}
		b.WriteString("\n")
	}
	b.WriteString("\n")
	notes.write(&b)

	// Instructions matrix.
	if len(r.irPerCall) > 0 {
		b.WriteString("\n## Call overhead: instructions per call (callgrind)\n\n| path |")
		for _, c := range harness.Cases {
			fmt.Fprintf(&b, " %s |", c.Label)
		}
		b.WriteString("\n|---|")
		for range harness.Cases {
			b.WriteString("---:|")
		}
		b.WriteString("\n")
		for _, p := range harness.Paths {
			fmt.Fprintf(&b, "| %s |", p.Label)
			for _, c := range harness.Cases {
				v, ok := r.irPerCall[harness.CallName(c, p)]
				fmt.Fprintf(&b, " %s |", fmtIR(v, ok))
			}
			b.WriteString("\n")
		}
		b.WriteString("\nThe purego rows allocate on every call (see the detailed table), so their counts include " +
			"the garbage collector's share.\n")
	}

	// Detailed table.
	b.WriteString("\n## Call overhead: every figure with its ratios\n\n")
	b.WriteString("| case | path | ns/call | min–max | × floor | × cgo | instructions | × floor | × cgo | B/op | allocs/op |\n")
	b.WriteString("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n")
	for _, c := range harness.Cases {
		fl, cg := r.ns(harness.CallName(c, floor)), r.ns(harness.CallName(c, cgo))
		fli, flOK := r.irPerCall[harness.CallName(c, floor)]
		cgi, cgOK := r.irPerCall[harness.CallName(c, cgo)]
		for _, p := range harness.Paths {
			name := harness.CallName(c, p)
			if why := r.missing(p, c); why != "" {
				fmt.Fprintf(&b, "| %s | %s | n/a: %s | | | | | | | | |\n", c.Label, p.Label, why)
				continue
			}
			s := r.bench[name]
			if s == nil {
				fmt.Fprintf(&b, "| %s | %s | not measured | | | | | | | | |\n", c.Label, p.Label)
				continue
			}
			v := median(s.ns)
			lo, hi := minmax(s.ns)
			iv, ivOK := r.irPerCall[name]
			irF, irC := "—", "—"
			if ivOK && flOK && fli > 0 {
				irF = fmtRatio(iv / fli)
			}
			if ivOK && cgOK && cgi > 0 {
				irC = fmtRatio(iv / cgi)
			}
			fmt.Fprintf(&b, "| %s | %s | %s | %s–%s | %s | %s | %s | %s | %s | %.0f | %.0f |\n",
				c.Label, p.Label, fmtNS(v), fmtNS(lo), fmtNS(hi), fmtRatio(v/fl), fmtRatio(v/cg),
				fmtIR(iv, ivOK), irF, irC, median(s.bytes), median(s.allocs))
		}
	}

	r.callbackTables(&b)
	r.hashTables(&b)
	r.sharedLibTables(&b)
	r.generatorTable(&b)
	r.sizeTable(&b)
	r.notMeasured(&b)
	return b.String()
}

func (r *results) callbackTables(b *strings.Builder) {
	var cgo harness.CallbackPath
	for _, p := range harness.CallbackPaths {
		if p.Role == harness.Cgo {
			cgo = p
		}
	}
	rt := harness.CallbackCases[0] // the round trip, the figure the ratios are about
	b.WriteString("\n## Callbacks: one C→Go round trip, ns\n\n")
	b.WriteString("`native/cb.c`'s `tb_cb_call_n(fn, n)` calls `fn` n times in a C loop and sums the results; " +
		"`fn` is a Go function returning x + 1, made C-callable by each path. **Round trip** is one call of " +
		"`tb_cb_call_n` with n = b.N, divided by b.N: C calls Go and Go returns to C, the outer call spread " +
		"over the round trips. **Outer call, no callback** is `tb_cb_call_n(fn, 0)` in a Go loop: what " +
		"entering native code that may call back costs on that path. **Outer call + 1 round trip** is " +
		"`tb_cb_call1(fn, x)` in a Go loop. Instructions per round trip include the C loop's iteration, " +
		"less the empty Go loop's.\n\n")
	var summary []string
	for _, p := range harness.CallbackPaths {
		if p.Key == cgo.Key {
			continue
		}
		why, err := p.MissingReason(r.benchDir)
		if err != nil || why != "" {
			continue
		}
		v, c := r.ns(harness.CallbackName(rt, p)), r.ns(harness.CallbackName(rt, cgo))
		if math.IsNaN(v) || math.IsNaN(c) {
			continue
		}
		line := fmt.Sprintf("%s %s ns, %s cgo's", p.Label, fmtNS(v), fmtRatio(v/c))
		if v < c {
			line += fmt.Sprintf(" (cgo costs %s× as much)", strings.TrimPrefix(fmtRatio(c/v), "×"))
		}
		summary = append(summary, line)
	}
	if len(summary) > 0 {
		fmt.Fprintf(b, "**Round trip:** %s %s ns; %s.\n\n", cgo.Label, fmtNS(r.ns(harness.CallbackName(rt, cgo))),
			strings.Join(summary, "; "))
	}
	var notes footnotes
	b.WriteString("| path |")
	for _, c := range harness.CallbackCases {
		fmt.Fprintf(b, " %s |", c.Label)
	}
	b.WriteString(" round trip × cgo | instructions per round trip |\n|---|")
	for range harness.CallbackCases {
		b.WriteString("---:|")
	}
	b.WriteString("---:|---:|\n")
	for _, p := range harness.CallbackPaths {
		label := p.Label
		if p.Note != "" {
			label += notes.ref(p.Note)
		}
		fmt.Fprintf(b, "| %s |", label)
		why, err := p.MissingReason(r.benchDir)
		if err != nil {
			why = err.Error()
		}
		if why != "" {
			ref := notes.ref(why)
			for range harness.CallbackCases {
				fmt.Fprintf(b, " n/a%s |", ref)
			}
			fmt.Fprintf(b, " n/a%s | n/a%s |\n", ref, ref)
			continue
		}
		for _, c := range harness.CallbackCases {
			fmt.Fprintf(b, " %s |", fmtNS(r.ns(harness.CallbackName(c, p))))
		}
		v, c := r.ns(harness.CallbackName(rt, p)), r.ns(harness.CallbackName(rt, cgo))
		iv, ok := r.irPerCall[harness.CallbackName(rt, p)]
		fmt.Fprintf(b, " %s | %s |\n", fmtRatio(v/c), fmtIR(iv, ok))
	}
	b.WriteString("\n")
	notes.write(b)

	b.WriteString("\n| case | path | ns | min–max | × cgo | instructions | × cgo | B/op | allocs/op |\n")
	b.WriteString("|---|---|---:|---:|---:|---:|---:|---:|---:|\n")
	for _, c := range harness.CallbackCases {
		cg := r.ns(harness.CallbackName(c, cgo))
		cgi, cgOK := r.irPerCall[harness.CallbackName(c, cgo)]
		for _, p := range harness.CallbackPaths {
			name := harness.CallbackName(c, p)
			why, err := p.MissingReason(r.benchDir)
			if err != nil {
				why = err.Error()
			}
			if why != "" {
				fmt.Fprintf(b, "| %s | %s | n/a: %s | | | | | | |\n", c.Label, p.Label, why)
				continue
			}
			s := r.bench[name]
			if s == nil {
				fmt.Fprintf(b, "| %s | %s | not measured | | | | | | |\n", c.Label, p.Label)
				continue
			}
			v := median(s.ns)
			lo, hi := minmax(s.ns)
			iv, ivOK := r.irPerCall[name]
			irC := "—"
			if ivOK && cgOK && cgi > 0 {
				irC = fmtRatio(iv / cgi)
			}
			fmt.Fprintf(b, "| %s | %s | %s | %s–%s | %s | %s | %s | %.0f | %.0f |\n",
				c.Label, p.Label, fmtNS(v), fmtNS(lo), fmtNS(hi), fmtRatio(v/cg), fmtIR(iv, ivOK), irC,
				median(s.bytes), median(s.allocs))
		}
	}
}

func (r *results) hashTables(b *strings.Builder) {
	b.WriteString("\n## Real work: xxHash of 8–256 bytes, ns per hash\n\n")
	b.WriteString("Each cell: median ns per hash, then the ratio to the floor (cespare/xxhash/v2, XXH64 only) and to cgo " +
		"compiled from the same source.\n\n")
	var notes footnotes
	b.WriteString("| hash | path |")
	for _, n := range harness.HashSizes {
		fmt.Fprintf(b, " %d B |", n)
	}
	b.WriteString("\n|---|---|")
	for range harness.HashSizes {
		b.WriteString("---:|")
	}
	b.WriteString("\n")
	for _, a := range harness.HashAlgos {
		var floor, cgo harness.HashPath
		for _, h := range harness.HashPaths {
			if h.Algo == a.Key && h.Role == harness.Floor {
				floor = h
			}
			if h.Algo == a.Key && h.Role == harness.Cgo {
				cgo = h
			}
		}
		for _, h := range harness.HashPaths {
			if h.Algo != a.Key {
				continue
			}
			label := h.Label
			if h.Note != "" {
				label += notes.ref(h.Note)
			}
			fmt.Fprintf(b, "| %s | %s |", a.Label, label)
			why, err := h.MissingReason(r.benchDir)
			if err != nil {
				why = err.Error()
			}
			for _, n := range harness.HashSizes {
				if why != "" {
					fmt.Fprintf(b, " n/a%s |", notes.ref(why))
					continue
				}
				v := r.ns(harness.HashName(h, n))
				cell := fmtNS(v)
				var rs []string
				if floor.Key != "" && h.Key != floor.Key {
					rs = append(rs, fmtRatio(v/r.ns(harness.HashName(floor, n)))+" floor")
				}
				if cgo.Key != "" && h.Key != cgo.Key {
					rs = append(rs, fmtRatio(v/r.ns(harness.HashName(cgo, n)))+" cgo")
				}
				if len(rs) > 0 {
					cell += " (" + strings.Join(rs, ", ") + ")"
				}
				fmt.Fprintf(b, " %s |", cell)
			}
			b.WriteString("\n")
		}
	}
	b.WriteString("\n")
	notes.write(b)
	if r.libxxhash != "" {
		fmt.Fprintf(b, "\nDebian's `libxxhash.a` itself cannot be packed: this run's `gotramp generate` with it said\n\n```\n%s\n```\n\n"+
			"The archive is one `xxhash.o` with a single `.text` section (built without `-ffunction-sections`), so the "+
			"packer cannot leave out the streaming API that calls `malloc` and `free`; it is built with the stack "+
			"protector and `_FORTIFY_SOURCE` (`__stack_chk_fail`, `__memcpy_chk`), and its canary would read "+
			"`%%fs:0x28`, which is Go's TLS in a binary without cgo. The gotramp and cgo rows therefore compile "+
			"Debian's `xxhash.h` with `XXH_INLINE_ALL` and the freestanding flags (`native/xxh.c`); the Debian rows "+
			"call Debian's own shared library.\n", r.libxxhash)
	}
}

func (r *results) generatorTable(b *strings.Builder) {
	if len(r.hyperfine) == 0 {
		return
	}
	b.WriteString("\n## Generator speed\n\n")
	b.WriteString("`gotramp generate --dump-ir` parses the headers with Clang and prints the module; it needs no objects. " +
		"The last row is a whole `generate --check` of `paths/gotrampxxh` (parse, pack with ld.lld, emit, compare). " +
		"Timed by hyperfine, no shell.\n\n")
	b.WriteString("| input | bytes of headers | functions (variadic) | records | enums | constants | median | min–max |\n")
	b.WriteString("|---|---:|---:|---:|---:|---:|---:|---:|\n")
	for _, h := range r.hyperfine {
		key := ""
		switch {
		case strings.HasPrefix(h.Command, "sqlite3"):
			key = "sqlite3"
		case strings.HasPrefix(h.Command, "sodium"):
			key = "sodium"
		}
		label := h.Command
		if key == "sodium" && r.sodiumN != "" {
			label += " (" + r.sodiumN + " headers)"
		}
		s, ok := r.ir[key]
		cols := []string{"—", "—", "—", "—", "—"}
		if ok {
			cols = []string{thousands(r.bytes[key]), fmt.Sprintf("%d (%d)", s.Functions, s.Variadic), strconv.Itoa(s.Records),
				strconv.Itoa(s.Enums), strconv.Itoa(s.Constants)}
		}
		fmt.Fprintf(b, "| %s | %s | %.1f ms | %.1f–%.1f ms |\n", label, strings.Join(cols, " | "),
			h.Median*1000, h.Min*1000, h.Max*1000)
	}
	b.WriteString("\nThe variadic column counts what Clang found. `generate` binds a variadic function once per call " +
		"shape that the config declares (`functions.overrides.NAME.variadic`) and skips it with a warning " +
		"otherwise.\n")
}

func (r *results) sizeTable(b *strings.Builder) {
	if len(r.sizes) == 0 {
		return
	}
	b.WriteString("\n## Binary size and link mode of a hello world\n\n")
	b.WriteString("`cmd/hello/*`: print `Args1(41)` through one path. `go build` defaults; stripped is `-ldflags='-s -w'`.\n\n")
	b.WriteString("| program | CGO_ENABLED | bytes | stripped | × pure Go (stripped) | link | needs at run time | prints |\n")
	b.WriteString("|---|---:|---:|---:|---:|---|---|---|\n")
	var base float64
	for _, s := range r.sizes {
		if len(s) == 7 && s[0] == "plaingo" {
			base, _ = strconv.ParseFloat(s[3], 64)
		}
	}
	for _, s := range r.sizes {
		if len(s) != 7 {
			continue
		}
		st, _ := strconv.ParseFloat(s[3], 64)
		fmt.Fprintf(b, "| hello/%s | %s | %s | %s | %s | %s | %s | `%s` |\n", s[0], s[1], thousands(s[2]),
			thousands(s[3]), fmtRatio(st/base), s[4], s[5], s[6])
	}
}

func thousands(s string) string {
	n := len(s)
	if n <= 3 {
		return s
	}
	var b strings.Builder
	for i, ch := range s {
		if i > 0 && (n-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(ch)
	}
	return b.String()
}

// callPaths are gotramp's call paths (README, "Call paths").
var callPaths = []string{"direct", "blocking", "own_stack", "blocking_own_stack", "callback", "blocking_callback"}

// measuredCallPaths returns the call paths that the functions of the
// harness's gotramp packages got, read from their gotramp-report.json files
// (relative to benchDir), so that the report says what this run measured.
func measuredCallPaths(benchDir string, reports []string) (map[string]bool, error) {
	got := map[string]bool{}
	for _, rep := range reports {
		data, err := os.ReadFile(filepath.Join(benchDir, rep))
		if err != nil {
			return nil, err
		}
		var m struct {
			Functions []struct {
				Targets map[string]struct {
					CallPath string `json:"call_path"`
				} `json:"targets"`
			} `json:"functions"`
		}
		if err := json.Unmarshal(data, &m); err != nil {
			return nil, fmt.Errorf("%s: %v", rep, err)
		}
		for _, f := range m.Functions {
			for _, t := range f.Targets {
				got[t.CallPath] = true
			}
		}
	}
	return got, nil
}

func (r *results) notMeasured(b *strings.Builder) {
	var reports []string
	seen := map[string]bool{}
	for _, p := range harness.Paths {
		if p.Report != "" && !seen[p.Report] {
			seen[p.Report] = true
			reports = append(reports, p.Report)
		}
	}
	for _, p := range harness.CallbackPaths {
		if p.Report != "" && !seen[p.Report] {
			seen[p.Report] = true
			reports = append(reports, p.Report)
		}
	}
	measured, err := measuredCallPaths(r.benchDir, reports)
	if err != nil {
		log.Fatal(err)
	}
	b.WriteString("\n## Not measured yet\n\n")
	var missing []string
	for _, cp := range callPaths {
		if !measured[cp] {
			missing = append(missing, "`"+cp+"`")
		}
	}
	if len(missing) > 0 {
		what, them := "The call paths", "them"
		if len(missing) == 1 {
			what, them = "The call path", "it"
		}
		fmt.Fprintf(b, "- %s %s: gotramp generates %s, but no gotramp package of `harness.Paths` "+
			"or `harness.CallbackPaths` uses %s, so the tables above have no row for %s. `tests/callpaths/` "+
			"measures every path side by side; here each would be one more entry in `harness.Paths` "+
			"(`harness.CallbackPaths` for the callback path): a gotramp package whose config sets "+
			"`functions.overrides.NAME.call_path`.\n", what, strings.Join(missing, ", "), them, them, them)
	}
	b.WriteString("- **linux/arm64**: gotramp generates arm64 trampolines, but this machine has no arm64 CPU, and " +
		"timings under qemu-user would measure the emulator. The harness is amd64 only so far: the native " +
		"objects, the assembly floor and the Debian libraries.\n")
	b.WriteString("- `perf stat`: instruction counts come from callgrind, which runs anywhere, VMs included.\n")
}

// chart draws the ns/call medians as grouped horizontal bars on a log scale.
func (r *results) chart() string {
	const (
		left, right  = 110, 70
		width        = 900
		barH, barGap = 11, 2
		groupGap     = 14
	)
	color := func(i int) string {
		if c := harness.Paths[i].Color; c != "" {
			return c
		}
		return []string{"#e6ab02", "#a6761d", "#e7298a", "#66a61e"}[i%4]
	}
	lo, hi := 0.1, 10.0
	for _, c := range harness.Cases {
		for _, p := range harness.Paths {
			v := r.ns(harness.CallName(c, p))
			if v > 0 && v < lo {
				lo = math.Pow(10, math.Floor(math.Log10(v)))
			}
			if v > hi {
				hi = math.Pow(10, math.Ceil(math.Log10(v)))
			}
		}
	}
	plotW := float64(width - left - right)
	x := func(v float64) float64 {
		return left + plotW*(math.Log10(v)-math.Log10(lo))/(math.Log10(hi)-math.Log10(lo))
	}
	legendLines, lw := 1, left
	for _, p := range harness.Paths {
		w := 13 + 6*len(p.Label) + 14
		if lw+w > width-right && lw > left {
			legendLines, lw = legendLines+1, left
		}
		lw += w
	}
	top := 28 + 16*legendLines + 14
	groupH := len(harness.Paths)*(barH+barGap) + groupGap
	height := top + len(harness.Cases)*groupH + 30

	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d" font-family="sans-serif" font-size="11">`+"\n",
		width, height, width, height)
	fmt.Fprintf(&b, `<rect width="%d" height="%d" fill="white"/>`+"\n", width, height)
	title := fmt.Sprintf("ns per call (log scale), median of %s — %s, %s cores, %s", plural(r.machine["rounds"], "round"),
		r.machine["cpu"], r.machine["cores"], r.machine["go"])
	fmt.Fprintf(&b, `<text x="%d" y="18" font-size="13" font-weight="bold">%s</text>`+"\n", left, xmlEscape(title))
	// Legend, wrapped onto as many lines as it needs.
	lx, ly := left, 28
	for i, p := range harness.Paths {
		w := 13 + 6*len(p.Label) + 14
		if lx+w > width-right && lx > left {
			lx, ly = left, ly+16
		}
		fmt.Fprintf(&b, `<rect x="%d" y="%d" width="10" height="10" fill="%s"/><text x="%d" y="%d">%s</text>`+"\n",
			lx, ly, color(i), lx+13, ly+9, xmlEscape(p.Label))
		lx += w
	}
	// Grid.
	plotBottom := height - 30
	for d := lo; d <= hi*1.0001; d *= 10 {
		gx := x(d)
		fmt.Fprintf(&b, `<line x1="%.1f" y1="%d" x2="%.1f" y2="%d" stroke="#ccc"/>`+"\n", gx, top-6, gx, plotBottom)
		fmt.Fprintf(&b, `<text x="%.1f" y="%d" text-anchor="middle" fill="#444">%s ns</text>`+"\n", gx, plotBottom+14, fmtTick(d))
	}
	y := top
	for _, c := range harness.Cases {
		fmt.Fprintf(&b, `<text x="%d" y="%d" text-anchor="end" font-weight="bold">%s</text>`+"\n",
			left-8, y+(len(harness.Paths)*(barH+barGap))/2+4, xmlEscape(c.Label))
		for i, p := range harness.Paths {
			v := r.ns(harness.CallName(c, p))
			if !math.IsNaN(v) && v > 0 {
				w := x(v) - left
				fmt.Fprintf(&b, `<rect x="%d" y="%d" width="%.1f" height="%d" fill="%s"><title>%s, %s: %s ns</title></rect>`+"\n",
					left, y, w, barH, color(i), xmlEscape(c.Label), xmlEscape(p.Label), fmtNS(v))
				fmt.Fprintf(&b, `<text x="%.1f" y="%d" font-size="9" fill="#222">%s</text>`+"\n", x(v)+3, y+barH-2, fmtNS(v))
			} else {
				fmt.Fprintf(&b, `<text x="%d" y="%d" font-size="9" fill="#888">%s: n/a</text>`+"\n", left+3, y+barH-2, xmlEscape(p.Label))
			}
			y += barH + barGap
		}
		y += groupGap
	}
	b.WriteString("</svg>\n")
	return b.String()
}

// plural returns "1 round" or "5 rounds".
func plural(n, word string) string {
	if n == "1" {
		return n + " " + word
	}
	return n + " " + word + "s"
}

func fmtTick(v float64) string {
	if v < 1 {
		return strconv.FormatFloat(v, 'f', -1, 64)
	}
	return strconv.FormatFloat(v, 'f', 0, 64)
}

func xmlEscape(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;").Replace(s)
}
