//go:build variadic

package main

import "fmt"

//go:noinline
func panicFmt(xs ...int) {
	panic(fmt.Sprint(xs))
}

func main() { panicFmt(1, 2, 3) }
