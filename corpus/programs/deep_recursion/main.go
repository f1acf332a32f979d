// Command deep_recursion panics at recursion depth 150 so the traceback is
// longer than the runtime prints and frames are elided.
package main

import "fmt"

type Frame struct {
	Level int
	Name  string
}

//go:noinline
func descend(f Frame, path []int, label string) int {
	if f.Level >= 150 {
		panic(fmt.Sprintf("too deep: level %d (%s)", f.Level, label))
	}
	return descend(Frame{Level: f.Level + 1, Name: f.Name}, path, label) + 1
}

func main() {
	fmt.Println(descend(Frame{Name: "root"}, []int{1, 2, 3}, "tree"))
}
