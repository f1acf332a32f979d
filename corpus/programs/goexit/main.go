// Command goexit calls runtime.Goexit in a goroutine whose deferred
// function then panics, so the traceback shows the Goexit/panic interplay.
package main

import (
	"fmt"
	"runtime"
	"time"
)

type Task struct {
	ID    int
	Owner string
}

//go:noinline
func release(t Task, reason string) {
	panic(fmt.Sprintf("release of task %d (%s) after Goexit", t.ID, reason))
}

func worker(t Task, done chan<- struct{}) {
	// No "defer close(done)": it would run while the panic unwinds and let
	// main exit before the traceback is printed.
	defer release(t, "deferred")
	runtime.Goexit()
	close(done)
}

func main() {
	done := make(chan struct{})
	go worker(Task{ID: 7, Owner: "ops"}, done)
	select {
	case <-done:
	case <-time.After(10 * time.Second):
	}
	fmt.Println("unreachable")
}
