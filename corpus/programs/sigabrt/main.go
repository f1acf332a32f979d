// Command sigabrt parks a few goroutines and sends itself SIGABRT. With
// GOTRACEBACK=crash the runtime dumps every goroutine, the registers, and
// then dies from SIGABRT.
package main

import (
	"os"
	"sync"
	"syscall"
	"time"
)

type Conn struct {
	ID   int
	Addr string
}

var ready sync.WaitGroup

//go:noinline
func serve(c Conn, in <-chan []byte) {
	ready.Done()
	for b := range in {
		_ = b
	}
}

//go:noinline
func tick(d time.Duration, name string) {
	ready.Done()
	time.Sleep(d)
}

func main() {
	in := make(chan []byte)
	for i := 0; i < 3; i++ {
		ready.Add(1)
		go serve(Conn{ID: i, Addr: "10.0.0.1:80"}, in)
	}
	ready.Add(1)
	go tick(time.Hour, "ticker")
	ready.Wait()
	time.Sleep(100 * time.Millisecond)
	syscall.Kill(os.Getpid(), syscall.SIGABRT)
	time.Sleep(time.Minute)
}
