// Command closures panics in a closure nested inside another closure that
// runs in a goroutine started from a closure, so the traceback shows
// funcN names and a "created by" line.
package main

import (
	"fmt"
	"strings"
)

type Event struct {
	Kind    string
	Payload []byte
}

var handlers = map[string]func(Event) int{
	"parse": func(e Event) int { // package-level closure: main.glob..func1 / main.init.func1
		fields := strings.Fields(string(e.Payload))
		return len(fields[3])
	},
}

func dispatch(events []Event, done chan<- int) {
	go func() {
		total := 0
		apply := func(e Event, weight int) {
			h := handlers[e.Kind]
			func() {
				total += h(e) * weight
			}()
		}
		for i, e := range events {
			apply(e, i+1)
		}
		done <- total
	}()
}

func main() {
	done := make(chan int)
	dispatch([]Event{
		{Kind: "parse", Payload: []byte("a b c d")},
		{Kind: "parse", Payload: []byte("short input")},
	}, done)
	fmt.Println(<-done)
}
