// Command gostackparse-peer is the benchmark's parse-only peer: it
// parses a Go goroutine dump from stdin with github.com/DataDog/gostackparse.
//
// By default it prints how many goroutines it found and how many distinct
// (state, stack, created-by) pairs they form, the count panicscope's
// grouping must reach.  With -json it writes the parsed goroutines as
// JSON instead, the peer's counterpart of `panicscope -f json`.
package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"strconv"
	"strings"

	"github.com/DataDog/gostackparse"
)

func main() {
	asJSON := flag.Bool("json", false, "write the goroutines as JSON")
	flag.Parse()

	goroutines, errs := gostackparse.Parse(bufio.NewReaderSize(os.Stdin, 1<<20))
	out := bufio.NewWriterSize(os.Stdout, 1<<20)
	defer out.Flush()
	if *asJSON {
		if err := json.NewEncoder(out).Encode(goroutines); err != nil {
			fmt.Fprintln(os.Stderr, "gostackparse-peer:", err)
			os.Exit(1)
		}
		return
	}
	fmt.Fprintf(out, "goroutines %d\ngroups %d\nerrors %d\n",
		len(goroutines), countGroups(goroutines), len(errs))
}

// countGroups counts distinct (state, frames as func+file:line,
// created-by site) keys; wait times and argument values do not count.
func countGroups(gs []*gostackparse.Goroutine) int {
	seen := make(map[string]struct{}, 64)
	var b strings.Builder
	for _, g := range gs {
		b.Reset()
		b.WriteString(g.State)
		for _, f := range g.Stack {
			writeFrame(&b, f)
		}
		b.WriteString("\ncreated by")
		if g.CreatedBy != nil {
			writeFrame(&b, g.CreatedBy)
		}
		seen[b.String()] = struct{}{}
	}
	return len(seen)
}

func writeFrame(b *strings.Builder, f *gostackparse.Frame) {
	b.WriteByte('\n')
	b.WriteString(f.Func)
	b.WriteByte(' ')
	b.WriteString(f.File)
	b.WriteByte(':')
	b.WriteString(strconv.Itoa(f.Line))
}
