// Command index panics with an index out of range inside a function that
// takes a slice, an int, a string and a struct, so argument printing shows
// each of those shapes.
package main

import "fmt"

type Window struct {
	Start, End int
	Label      string
}

//go:noinline
func pick(xs []int, i int, label string, w Window) int {
	return xs[i+w.Start] * len(label)
}

//go:noinline
func sumWindow(xs []int, w Window) int {
	total := 0
	for i := 0; i <= w.End-w.Start; i++ {
		total += pick(xs, i, w.Label, w)
	}
	return total
}

func main() {
	data := []int{3, 1, 4, 1, 5}
	fmt.Println(sumWindow(data, Window{Start: 2, End: 7, Label: "tail"}))
}
