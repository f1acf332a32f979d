// Command stack_overflow recurses without bound. The stack limit is lowered
// to 64 MiB so the crash comes quickly (also under qemu); the runtime still
// prints "goroutine stack exceeds ... limit" and "fatal error: stack overflow".
package main

import (
	"fmt"
	"runtime/debug"
)

type Node struct {
	Depth int
	Name  string
	Path  []string
}

//go:noinline
func walk(n Node, key string, depth int) int {
	child := Node{Depth: n.Depth + 1, Name: key, Path: n.Path}
	return walk(child, key, depth+1) + 1
}

func main() {
	debug.SetMaxStack(64 << 20)
	fmt.Println(walk(Node{Name: "root"}, "k", 0))
}
