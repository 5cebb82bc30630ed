// Command gendata writes data.Text(65536) to DIR/text.bin for the C loop;
// every case reads the prefix it needs (data.Text(n) is a prefix of
// data.Text(65536)), and the C loop derives the SQLite rows from it as
// data.Row does.
package main

import (
	"log"
	"os"
	"path/filepath"

	"github.com/gotramp/gotramp/bench/workloads/data"
)

func main() {
	if len(os.Args) != 2 {
		log.Fatal("usage: gendata DIR")
	}
	if err := os.WriteFile(filepath.Join(os.Args[1], "text.bin"), data.Text(65536), 0o644); err != nil {
		log.Fatal(err)
	}
}
