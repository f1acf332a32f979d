// Command goexit_deadlock calls runtime.Goexit from main after the other
// goroutines have finished: "no goroutines (main called runtime.Goexit) -
// deadlock!".
package main

import (
	"fmt"
	"runtime"
	"sync"
)

func main() {
	var wg sync.WaitGroup
	for i := 0; i < 3; i++ {
		wg.Add(1)
		go func(n int) {
			defer wg.Done()
			_ = n * n
		}(i)
	}
	wg.Wait()
	defer fmt.Println("main deferred call runs")
	runtime.Goexit()
}
