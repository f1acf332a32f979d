// Command mutex_contention: main holds a sync.Mutex while WAITERS
// goroutines queue for it from 7 recursion depths, a few goroutines wait
// on a channel at another line of the same function (they are not
// holding the lock), and OTHERS goroutines are parked elsewhere; then
// main panics with every goroutine's stack (GOTRACEBACK=all).
//
//	mutex_contention [-waiters N] [-others N] [-idle N]
//
// Defaults make the 100,002-goroutine dump of issue 9: 20,000 waiters,
// 80,000 others, 1 idle server goroutine in the handler.
package main

import (
	"flag"
	"runtime"
	"runtime/debug"
	"sync"
	"time"
)

type Server struct {
	mu    sync.Mutex
	reqs  chan int
	count map[int]int
}

//go:noinline
func (s *Server) handle(id int, idle bool) {
	if idle {
		<-s.reqs // parked in the handler, not inside the lock
		return
	}
	s.mu.Lock()
	s.count[id]++
	s.mu.Unlock()
}

//go:noinline
func (s *Server) serve(depth, id int, idle bool) {
	if depth > 0 {
		s.serve(depth-1, id, idle)
		return
	}
	s.handle(id, idle)
}

//go:noinline
func worker(jobs chan int) {
	for j := range jobs {
		_ = j
	}
}

//go:noinline
func poller(a, b chan int) {
	select {
	case <-a:
	case <-b:
	}
}

func main() {
	waiters := flag.Int("waiters", 20000, "goroutines waiting for the mutex")
	others := flag.Int("others", 80000, "goroutines parked elsewhere")
	idle := flag.Int("idle", 1, "goroutines parked in the handler on a channel")
	flag.Parse()
	debug.SetTraceback("all")

	s := &Server{reqs: make(chan int), count: map[int]int{}}
	jobs, a, b := make(chan int), make(chan int), make(chan int)
	s.mu.Lock()
	for i := 0; i < *waiters; i++ {
		go s.serve(i%7, i, false)
	}
	for i := 0; i < *idle; i++ {
		go s.serve(0, i, true)
	}
	for i := 0; i < *others; i++ {
		if i%2 == 0 {
			go worker(jobs)
		} else {
			go poller(a, b)
		}
	}
	want := 1 + *waiters + *idle + *others
	for runtime.NumGoroutine() < want {
		time.Sleep(10 * time.Millisecond)
	}
	time.Sleep(500 * time.Millisecond) // let the last ones park
	panic("request deadline exceeded while holding the server lock")
}
