// Command callcount runs the call-overhead loops of package loops so that
// valgrind's callgrind can count the instructions each call executes: figures
// that, unlike nanoseconds, machine noise does not move.
//
//	valgrind --tool=callgrind --dump-before=main.checkpoint \
//	         --callgrind-out-file=DIR/cg.out callcount -manifest DIR/manifest.json
//
// For every loop it calls checkpoint (a dump: callgrind writes the
// instructions counted since the previous dump to cg.out.K and starts again
// from zero), runs the loop with n1 calls, calls checkpoint, runs it with n2
// calls, calls checkpoint. Whatever the loop does besides its calls, and the
// checkpoints themselves, costs the same in both intervals, so
// (Ir(n2) - Ir(n1)) / (n2 - n1) is the instructions of one iteration. The
// manifest names the dump of each interval; cmd/report subtracts the
// iteration of loops.Baseline (the same loop without the call).
package main

import (
	"encoding/json"
	"flag"
	"log"
	"os"
	"regexp"
	"sort"

	"github.com/gotramp/gotramp/bench/loops"
)

// Interval is one measured run of a loop, between two dumps.
type Interval struct {
	Name string `json:"name"` // harness.CallName, or "Baseline"
	N    int    `json:"n"`    // calls made
	Dump int    `json:"dump"` // the K of cg.out.K holding its count
}

var sink int64

// checkpoint exists for --dump-before: every call makes callgrind dump.
//
//go:noinline
func checkpoint() { sink++ }

func main() {
	log.SetFlags(0)
	log.SetPrefix("callcount: ")
	manifest := flag.String("manifest", "", "write the list of intervals here (JSON)")
	n1 := flag.Int("n1", 10000, "calls in the first interval")
	n2 := flag.Int("n2", 60000, "calls in the second interval")
	only := flag.String("only", "", "regexp: run only the loops whose name matches")
	flag.Parse()

	names := []string{"Baseline"}
	for name := range loops.Calls {
		if ok, _ := regexp.MatchString(*only, name); ok {
			names = append(names, name)
		}
	}
	sort.Strings(names[1:])

	var out []Interval
	dump := 0
	checkpoint() // dump 1: everything before the first loop
	dump++
	for _, name := range names {
		fn := loops.Baseline
		if name != "Baseline" {
			fn = loops.Calls[name]
		}
		sink += fn(*n1) // warm up: first-call costs, stack growth, lazy binding
		checkpoint()
		dump++
		for _, n := range []int{*n1, *n2} {
			sink += fn(n)
			checkpoint()
			dump++
			out = append(out, Interval{Name: name, N: n, Dump: dump})
		}
	}
	if *manifest != "" {
		data, err := json.MarshalIndent(out, "", "  ")
		if err != nil {
			log.Fatal(err)
		}
		if err := os.WriteFile(*manifest, data, 0o644); err != nil {
			log.Fatal(err)
		}
	}
}
