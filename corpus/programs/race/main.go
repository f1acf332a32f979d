// Command race has a data race on a struct field between two goroutines
// (build with -race). The race detector reports it and the program exits
// with status 66.
package main

import (
	"fmt"
	"sync"
)

type Stats struct {
	Name  string
	Count int
	Last  string
}

//go:noinline
func (s *Stats) Record(event string, n int) {
	s.Count += n
	s.Last = event
}

//go:noinline
func (s *Stats) Snapshot() int {
	return s.Count
}

func main() {
	s := &Stats{Name: "requests"}
	var wg sync.WaitGroup
	wg.Add(2)
	go func() {
		defer wg.Done()
		s.Record("GET /", 1)
	}()
	go func() {
		defer wg.Done()
		fmt.Println("count:", s.Snapshot() >= 0)
	}()
	wg.Wait()
}
