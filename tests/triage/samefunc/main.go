// samefunc: different panics raised in one function, for the triage test
// (two different panics in the same function must give two signatures;
// one panic with different values must give one).
package main

import (
	"fmt"
	"os"
	"strconv"
)

type Parser struct {
	fields map[string]int
	name   string
}

//go:noinline
func (p *Parser) Field(kind string, i int) int {
	switch kind {
	case "nilmap":
		var m map[string]int
		m[kind] = i // assignment to entry in nil map
	case "custom":
		panic(fmt.Sprintf("parser: field %d of %q is malformed", i, kind))
	case "nilrecv":
		return len(p.name) + i // p is nil here
	}
	return p.fields[kind]
}

func main() {
	i, _ := strconv.Atoi(os.Args[2])
	p := &Parser{}
	if os.Args[1] == "nilrecv" {
		p = nil
	}
	fmt.Println(p.Field(os.Args[1], i))
}
