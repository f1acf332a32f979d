#!/usr/bin/env python3
"""Writes a Go module whose binary is as big as a real service's.

    gen.py DIR PACKAGES FUNCS [STD]

DIR gets go.mod, main.go and PACKAGES packages p0..pN-1 of FUNCS
functions each (methods on a struct, string, slice and map arguments, a
switch so each one has real code), all reachable from main through a
table.  STD=1 also links a broad set of standard packages (net/http,
crypto/tls, encoding/json, text/template...), as a service binary does.
Each package has Park, where the dump's goroutines wait with typed
arguments (those of the first PARKED packages), and Crash, a nil
dereference three calls deep.

The program: `prog -n N` parks N goroutines, then
panics (GOTRACEBACK=all prints them all); `prog -n N -quit` kills itself
with SIGQUIT instead; `prog -crash` dereferences nil in p0.Crash.
"""
import os
import sys

STD = ["archive/zip", "compress/gzip", "crypto/tls", "crypto/x509", "database/sql",
       "encoding/json", "encoding/xml", "go/parser", "go/types", "html/template",
       "image/png", "math/big", "net/http", "net/http/httptest", "net/mail",
       "regexp", "runtime/pprof", "text/template", "encoding/gob", "log/slog",
       "net/rpc/jsonrpc", "os/exec", "debug/elf", "debug/dwarf", "go/format"]
STD_USE = ["zip.NewReader", "gzip.NewReader", "tls.Dial", "x509.ParseCertificate",
           "sql.Open", "json.Marshal", "xml.Marshal", "parser.ParseFile",
           "types.NewPackage", "template.New", "png.Decode", "big.NewInt",
           "http.ListenAndServe", "httptest.NewServer", "mail.ParseAddress",
           "regexp.MustCompile", "pprof.StartCPUProfile", "ttemplate.New",
           "gob.NewEncoder", "slog.New", "jsonrpc.NewClient", "exec.Command",
           "elf.Open", "dwarf.New", "format.Source"]


# A service's goroutines wait in a handful of places (its pools, net/http,
# database/sql), not in every package: the dump's are parked in this many.
PARKED = 8


def package(i, funcs):
    out = [f"package p{i}\n", "import (\n\t\"strings\"\n\t\"sync\"\n)\n",
           "type Rec struct {\n\tID   int\n\tName string\n\tTags []string\n\tSeen map[string]int\n}\n",
           "var mu sync.Mutex\n"]
    for f in range(funcs):
        cases = "\n".join(f"\tcase {k}:\n\t\tn += len(s) * {k + f % 7} + r.ID\n"
                          f"\t\ts = strings.Repeat(s, {k % 3 + 1})[:len(s)]"
                          for k in range(6))
        out.append(f"""
//go:noinline
func (r *Rec) M{f}(a int, s string, xs []int, m map[string]int) (int, error) {{
	n := a
	for _, x := range xs {{
		n ^= x << {f % 5}
	}}
	switch a % 6 {{
{cases}
	}}
	if m != nil {{
		n += m[s]
	}}
	return n, nil
}}

//go:noinline
func F{f}(a int) int {{
	r := &Rec{{ID: a, Name: "f{f}"}}
	n, _ := r.M{f}(a, r.Name, []int{{a, {f}}}, nil)
	return n
}}
""")
    out.append("\nvar Funcs = []func(int) int{" +
               ", ".join(f"F{f}" for f in range(funcs)) + "}\n")
    out.append(f"""
//go:noinline
func Park(ch chan int, id int, name string, r Rec, wg *sync.WaitGroup) {{
	wg.Done()
	if id%2 == 0 {{
		<-ch
	}}
	mu.Lock() // held by Hold: waits too
	mu.Unlock()
}}

// Hold takes the lock the odd goroutines of Park wait for.
func Hold() {{
	mu.Lock()
}}

//go:noinline
func Crash(r *Rec, label string, depth int) int {{
	if depth > 0 {{
		return Crash(r, label, depth-1) + 1
	}}
	return len(r.Name) + len(label)
}}
""")
    return "".join(out)


def main_go(mod, packages, std):
    imps = [f'\t"{mod}/p{i}"' for i in range(packages)]
    imps += ['\t"flag"', '\t"fmt"', '\t"os"', '\t"sync"', '\t"syscall"', '\t"time"']
    if std:
        imps += [f'\t{"ttemplate " if s == "text/template" else ""}"{s}"' for s in STD]
    keep = ", ".join(f"p{i}.Funcs" for i in range(packages))
    if std:
        keep += ", " + ", ".join(STD_USE)
    parks = "\n".join(f"\t\tcase {i}:\n\t\t\tgo p{i}.Park(ch, k, \"g\", p{i}.Rec{{ID: k, Name: \"r\", Tags: []string{{\"a\"}}}}, &wg)"
                      for i in range(min(packages, PARKED)))
    holds = "\n".join(f"\tp{i}.Hold()" for i in range(packages))
    return f"""package main

import (
{chr(10).join(imps)}
)

// Referenced at run time so the linker keeps every function.
var keep = []interface{{}}{{{keep}}}

func main() {{
	n := flag.Int("n", 1000, "goroutines to park")
	quit := flag.Bool("quit", false, "kill with SIGQUIT instead of panicking")
	crash := flag.Bool("crash", false, "nil dereference in p0.Crash")
	flag.Parse()
	if len(os.Args) > 99 {{
		fmt.Println(keep...)
	}}
	if *crash {{
		var r *p0.Rec
		p0.Crash(r, "deref", 3)
	}}
	var wg sync.WaitGroup
	ch := make(chan int)
{holds}
	for k := 0; k < *n; k++ {{
		wg.Add(1)
		switch k % {min(packages, PARKED)} {{
{parks}
		}}
	}}
	wg.Wait()
	time.Sleep(100 * time.Millisecond)
	if *quit {{
		syscall.Kill(os.Getpid(), syscall.SIGQUIT)
		time.Sleep(time.Minute)
	}}
	panic("parked")
}}
"""


def main():
    d, packages, funcs = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    std = len(sys.argv) > 4 and sys.argv[4] == "1"
    mod = "benchbin"
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, "go.mod"), "w") as f:
        f.write(f"module {mod}\n\ngo 1.21\n")
    for i in range(packages):
        os.makedirs(os.path.join(d, f"p{i}"), exist_ok=True)
        with open(os.path.join(d, f"p{i}", "p.go"), "w") as f:
            f.write(package(i, funcs))
    with open(os.path.join(d, "main.go"), "w") as f:
        f.write(main_go(mod, packages, std))


if __name__ == "__main__":
    main()
