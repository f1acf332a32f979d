// Command deadlock parks every goroutine (channel receive and send, a
// mutex, a select, a WaitGroup) so the runtime reports "all goroutines are
// asleep - deadlock!".
package main

import (
	"fmt"
	"sync"
)

type Job struct {
	ID   int
	Name string
}

func consumer(jobs <-chan Job, id int, wg *sync.WaitGroup) {
	defer wg.Done()
	for j := range jobs {
		fmt.Println(id, j.Name)
	}
}

func producer(out chan<- Job, n int) {
	for i := 0; i < n; i++ {
		out <- Job{ID: i, Name: "job"}
	}
}

func locker(mu *sync.Mutex, name string, wg *sync.WaitGroup) {
	defer wg.Done()
	mu.Lock()
	defer mu.Unlock()
	fmt.Println(name)
}

func selector(a, b chan int, label string) {
	select {
	case v := <-a:
		fmt.Println(label, v)
	case b <- 1:
	}
}

func main() {
	var wg sync.WaitGroup
	jobs := make(chan Job)
	results := make(chan Job)
	var mu sync.Mutex
	mu.Lock() // never released
	for i := 0; i < 2; i++ {
		wg.Add(1)
		go consumer(jobs, i, &wg)
	}
	go producer(results, 3)
	wg.Add(1)
	go locker(&mu, "locker", &wg)
	go selector(make(chan int), make(chan int), "sel")
	wg.Wait()
}
