// A closure inside generic code (issue 11): Go 1.22+ does not print its
// first parameter (cmd/compile skips the first ABI parameter of every
// symbol with '[' in it, taking it for a dictionary a closure does not
// have), and the '?' marks of the rest belong one parameter earlier.
// tests/test_abi_decode.c runs it and decodes main.Outer[...].func1.
package main

import (
	"fmt"
	"os"
)

//go:noinline
func use(a ...interface{}) { fmt.Fprintln(os.Stderr, a...) }

//go:noinline
func Outer[T any](x T) func(a, b, c int) {
	return func(a, b, c int) {
		use(x, a, b, c) // a, b and c stay live: spilled
		panic(fmt.Sprint(a, b, c))
	}
}

func main() {
	Outer[string]("s")(0x1111, 0x2222, 0x3333)
}
