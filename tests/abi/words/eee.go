//go:build eee

package main

type eee struct {
	a, b, c, d, e int
	s             string
}

//go:noinline
func f(a, b int, e eee) {
	panic("f")
}

func main() { f(64, 8, eee{1, 2, 3, 4, 5, "golang!"}) }
