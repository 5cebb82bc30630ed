// The "Calls into a shared library" section of RESULTS.md: crc32 in Debian's
// libz.so.1 through every row of harness.SharedLibPaths, the C loop among
// them. The ratios and the 5× target come from this run's medians alone;
// where they need a figure the run lacks, the section says so instead.
package main

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"

	"github.com/gotramp/gotramp/bench/harness"
)

// sharedLibRow is one row of the section with what this run has for it.
type sharedLibRow struct {
	p   harness.SharedLibPath
	why string  // why the path cannot run, "" when it can
	s   *sample // nil when the run has no figure for it
	ns  float64 // the median; NaN when s is nil
}

func (row *sharedLibRow) measured() bool { return row.why == "" && row.s != nil && len(row.s.ns) > 0 }

func (r *results) sharedLibRows() []sharedLibRow {
	var rows []sharedLibRow
	for _, p := range harness.SharedLibPaths {
		row := sharedLibRow{p: p, ns: math.NaN()}
		why, err := p.MissingReason(r.benchDir)
		if err != nil {
			why = err.Error()
		}
		row.why = why
		if why == "" {
			if s := r.bench[harness.SharedLibName(p)]; s != nil && len(s.ns) > 0 {
				row.s, row.ns = s, median(s.ns)
			}
		}
		rows = append(rows, row)
	}
	return rows
}

// callPathOf returns the call path that the gotramp report at
// benchDir/report gives C function cname on linux/amd64.
func callPathOf(benchDir, report, cname string) (string, error) {
	data, err := os.ReadFile(filepath.Join(benchDir, report))
	if err != nil {
		return "", err
	}
	var m struct {
		Functions []struct {
			CName   string `json:"c_name"`
			Targets map[string]struct {
				CallPath string `json:"call_path"`
			} `json:"targets"`
		} `json:"functions"`
	}
	if err := json.Unmarshal(data, &m); err != nil {
		return "", fmt.Errorf("%s: %v", report, err)
	}
	for _, f := range m.Functions {
		if f.CName == cname {
			if t, ok := f.Targets["linux/amd64"]; ok && t.CallPath != "" {
				return t.CallPath, nil
			}
		}
	}
	return "", fmt.Errorf("%s gives %s no call path on linux/amd64", report, cname)
}

func fmtCount(v float64) string {
	if math.IsNaN(v) {
		return "—"
	}
	return fmt.Sprintf("%.0f", v)
}

func (r *results) sharedLibTables(b *strings.Builder) {
	rows := r.sharedLibRows()
	var floor, cgo *sharedLibRow
	var gotramps, others []*sharedLibRow
	for i := range rows {
		row := &rows[i]
		if !row.measured() {
			continue
		}
		switch row.p.Role {
		case harness.Floor:
			floor = row
		case harness.Gotramp:
			gotramps = append(gotramps, row)
		default:
			if row.p.Role == harness.Cgo {
				cgo = row
			}
			others = append(others, row)
		}
	}

	fmt.Fprintf(b, "\n## Calls into a shared library: crc32 of %d bytes in libz.so.1, ns per call\n\n",
		harness.SharedLibBytes)
	if floor == nil && len(gotramps) == 0 && len(others) == 0 {
		b.WriteString("This run's raw data has no figure for any row of `harness.SharedLibPaths`.\n")
		return
	}
	lib := "Debian's `libz.so.1`"
	if v := r.machine["zlib1g"]; v != "" && v != "unknown" {
		lib += " (zlib1g " + v + ")"
	}
	fmt.Fprintf(b, "`crc32(0, buf, %d)` in %s through every path of `harness.SharedLibPaths`. gotramp calls "+
		"the function in the library itself: its packages are generated from `native/crc.h` with "+
		"`\"shared_libraries\": [\"libz.so.1\"]` and no object, so cmd/link routes the call through its PLT. "+
		"cgo and the C loop link `-lz`; purego loads the library with `purego.Dlopen`. Before anything is timed, "+
		"the suite checks every Go row's result against `hash/crc32` (`TestSharedLibAgree`) and the C loop's "+
		"(`TestSharedLibFloor`). Each figure is the median of the rounds; the C loop runs once a round, after "+
		"the two test binaries, for the same `-benchtime`. The call path is the one each gotramp package's "+
		"`gotramp-report.json` gives `crc32`. **Above the C loop** is a row's median less the C loop's: what "+
		"getting from Go into the library and back costs on that path.\n\n", harness.SharedLibBytes, lib)

	var notes footnotes
	b.WriteString("| path | call path | ns/call | min–max | above the C loop | B/op | allocs/op |\n")
	b.WriteString("|---|---|---:|---:|---:|---:|---:|\n")
	for i := range rows {
		row := &rows[i]
		label := row.p.Label
		if row.p.Note != "" {
			label += notes.ref(row.p.Note)
		}
		cp := "—"
		if row.p.Report != "" {
			if c, err := callPathOf(r.benchDir, row.p.Report, row.p.CName); err == nil {
				cp = "`" + c + "`"
			}
		}
		switch {
		case row.why != "":
			fmt.Fprintf(b, "| %s | %s | n/a%s | | | | |\n", label, cp, notes.ref(row.why))
			continue
		case !row.measured():
			fmt.Fprintf(b, "| %s | %s | not measured | | | | |\n", label, cp)
			continue
		}
		lo, hi := minmax(row.s.ns)
		above := "—"
		if floor != nil && row != floor {
			above = fmtNS(row.ns - floor.ns)
		}
		fmt.Fprintf(b, "| %s | %s | %s | %s–%s | %s | %s | %s |\n", label, cp, fmtNS(row.ns), fmtNS(lo), fmtNS(hi),
			above, fmtCount(median(row.s.bytes)), fmtCount(median(row.s.allocs)))
	}
	b.WriteString("\n")
	notes.write(b)

	// Ratios: each other Go row over each gotramp row.
	b.WriteString("\n")
	switch {
	case len(gotramps) == 0:
		b.WriteString("This run has no gotramp figure, so there are no ratios to gotramp.\n")
	case len(others) == 0:
		b.WriteString("This run has no figure for cgo or purego, so there are no ratios to gotramp.\n")
	default:
		b.WriteString("How many times as much the call costs on each path as on each gotramp row (ratios of the medians):\n\n| path |")
		for _, g := range gotramps {
			fmt.Fprintf(b, " ÷ %s |", g.p.Label)
		}
		b.WriteString("\n|---|")
		for range gotramps {
			b.WriteString("---:|")
		}
		b.WriteString("\n")
		for _, o := range others {
			fmt.Fprintf(b, "| %s |", o.p.Label)
			for _, g := range gotramps {
				fmt.Fprintf(b, " %s |", fmtRatio(o.ns/g.ns))
			}
			b.WriteString("\n")
		}
	}

	// The 5× target against the floor.
	b.WriteString("\n")
	if cgo == nil {
		b.WriteString("**5× cheaper than cgo:** this run has no cgo figure, so the target cannot be computed.\n")
		return
	}
	need := cgo.ns / 5
	fmt.Fprintf(b, "**5× cheaper than cgo** would take %s ns a call (%s: %s ns, ÷ 5).", fmtNS(need), cgo.p.Label,
		fmtNS(cgo.ns))
	switch {
	case floor == nil:
		b.WriteString(" This run has no C loop figure to set it against.")
	case need < floor.ns:
		fmt.Fprintf(b, " That is %s ns below the C loop's %s ns, the same call made from C with no Go at all.",
			fmtNS(floor.ns-need), fmtNS(floor.ns))
	default:
		fmt.Fprintf(b, " The C loop takes %s ns of it, which leaves %s ns for getting from Go into the library "+
			"and back.", fmtNS(floor.ns), fmtNS(need-floor.ns))
	}
	if len(gotramps) > 0 {
		var parts []string
		for _, g := range gotramps {
			verdict := "within it"
			if g.ns > need {
				verdict = fmtNS(g.ns-need) + " ns over it"
			}
			parts = append(parts, fmt.Sprintf("%s %s ns, %s", g.p.Label, fmtNS(g.ns), verdict))
		}
		fmt.Fprintf(b, " In this run: %s.", strings.Join(parts, "; "))
	}
	b.WriteString("\n")
}
