// Command ancestors panics three goroutine generations below main. Run
// with GODEBUG=tracebackancestors=5 the traceback also shows where each
// ancestor goroutine was when it started its child.
package main

import (
	"fmt"
	"time"
)

type Order struct {
	ID    int
	Items []string
}

//go:noinline
func charge(o Order, amount int64, currency string) {
	panic(fmt.Sprintf("charge order %d: %d %s declined", o.ID, amount, currency))
}

//go:noinline
func billing(o Order) {
	go charge(o, 1999, "EUR")
	time.Sleep(time.Second)
}

//go:noinline
func fulfil(o Order) {
	go billing(o)
	time.Sleep(time.Second)
}

func main() {
	go fulfil(Order{ID: 31, Items: []string{"book", "pen"}})
	time.Sleep(5 * time.Second)
}
