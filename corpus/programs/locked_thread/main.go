// Command locked_thread has several goroutines locked to OS threads (one
// of them main) when a panic occurs; GOTRACEBACK=all shows all of them with
// ", locked to thread" in their headers.
package main

import (
	"fmt"
	"runtime"
	"sync"
)

type Device struct {
	Index int
	Name  string
}

func init() {
	runtime.LockOSThread() // main goroutine stays on the main thread
}

//go:noinline
func renderLoop(d Device, frames <-chan int, ready *sync.WaitGroup) {
	runtime.LockOSThread()
	ready.Done()
	for f := range frames {
		fmt.Println(d.Name, f)
	}
}

//go:noinline
func submit(d Device, cmd string, args []int) {
	panic(fmt.Sprintf("device %s: command %q rejected (%d args)", d.Name, cmd, len(args)))
}

func main() {
	var ready sync.WaitGroup
	frames := make(chan int)
	for i := 0; i < 3; i++ {
		ready.Add(1)
		go renderLoop(Device{Index: i, Name: fmt.Sprintf("gpu%d", i)}, frames, &ready)
	}
	ready.Wait()
	submit(Device{Index: 0, Name: "gpu0"}, "reset", []int{1, 2, 3})
}
