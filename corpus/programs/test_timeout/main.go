// Package main is a tiny service whose test suite hangs; see main_test.go.
package main

import "fmt"

type Queue struct {
	items chan string
}

func NewQueue(size int) *Queue { return &Queue{items: make(chan string, size)} }

//go:noinline
func (q *Queue) Pop(timeoutName string) string { return <-q.items }

func main() {
	q := NewQueue(1)
	q.items <- "x"
	fmt.Println(q.Pop("main"))
}
