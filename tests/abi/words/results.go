//go:build results

package main

//go:noinline
func f(a, b int) (sum int, tag int) {
	panic("f")
}

func main() { f(64, 8) }
