// Command labels panics while goroutines carrying pprof labels are parked.
// Run with GOTRACEBACK=all GODEBUG=tracebacklabels=1: Go 1.26 prints the
// labels inside the header brackets (labels:{"k": "v"}), 1.27 after them
// ({k: v}); older versions print no labels.
package main

import (
	"context"
	"fmt"
	"runtime/pprof"
	"sync"
	"time"
)

var (
	ready sync.WaitGroup
	never = make(chan int)
)

//go:noinline
func serve(ctx context.Context, id int, route string) {
	ready.Done()
	<-never
}

//go:noinline
func fail(job string, attempt int) {
	panic(fmt.Sprintf("job %s failed after %d attempts", job, attempt))
}

func main() {
	for i := 0; i < 2; i++ {
		ready.Add(1)
		go pprof.Do(context.Background(), pprof.Labels("route", "/api/items", "worker", "http"),
			func(ctx context.Context) { serve(ctx, i, "/api/items") })
	}
	ready.Add(1)
	// A value that needs quoting: spaces, a quote, a tab and a newline.
	go pprof.Do(context.Background(), pprof.Labels("query", "name=\"x y\"\tand\nmore", "tenant", "t-42"),
		func(ctx context.Context) { serve(ctx, 9, "/search") })
	ready.Wait()
	time.Sleep(50 * time.Millisecond)
	pprof.Do(context.Background(), pprof.Labels("job", "nightly-report"), func(ctx context.Context) {
		fail("nightly-report", 3)
	})
}
