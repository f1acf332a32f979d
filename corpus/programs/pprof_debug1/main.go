// Command pprof_debug1 writes the goroutine profile at debug=1 to stdout
// while goroutines wait in several states, some of them labelled.
package main

import (
	"context"
	"os"
	"runtime/pprof"
	"sync"
	"time"
)

var (
	ready sync.WaitGroup
	never = make(chan int)
	mu    sync.Mutex
)

//go:noinline
func handle(ctx context.Context, id int, route string) {
	ready.Done()
	<-never
}

//go:noinline
func waitLock(id int) {
	ready.Done()
	mu.Lock()
}

func start() {
	mu.Lock()
	for i := 0; i < 5; i++ {
		ready.Add(1)
		go pprof.Do(context.Background(), pprof.Labels("route", "/api/items", "worker", "http"),
			func(ctx context.Context) { handle(ctx, i, "/api/items") })
	}
	for i := 0; i < 3; i++ {
		ready.Add(1)
		go handle(context.Background(), i, "/health")
	}
	for i := 0; i < 2; i++ {
		ready.Add(1)
		go waitLock(i)
	}
	ready.Add(1)
	go func() {
		ready.Done()
		time.Sleep(time.Hour)
	}()
	ready.Wait()
	time.Sleep(100 * time.Millisecond)
}

func main() {
	start()
	pprof.Lookup("goroutine").WriteTo(os.Stdout, 1)
}
