// Command sigquit parks many goroutines in many different states and then
// sends itself SIGQUIT, so the runtime dumps every goroutine.
//
// The number of goroutines is taken from -n or, if -n is not given, from
// SIGQUIT_GOROUTINES (default 2000). A benchmark can ask for 100000.
package main

import (
	"flag"
	"fmt"
	"net"
	"os"
	"runtime"
	"strconv"
	"sync"
	"syscall"
	"time"
)

type Request struct {
	ID     int
	Path   string
	Header map[string]string
}

type Shard struct {
	Index int
	Name  string
	Keys  []string
}

var (
	parked sync.WaitGroup // one Done per goroutine just before it blocks
	never  = make(chan int)
	sink   = make(chan Request)
	bigMu  sync.Mutex
	rw     sync.RWMutex
	wgHold sync.WaitGroup
	cond   = sync.NewCond(&sync.Mutex{})
)

//go:noinline
func recvLoop(r Request, shard Shard) {
	parked.Done()
	<-never
}

//go:noinline
func sendLoop(r Request, n int) {
	parked.Done()
	sink <- r
}

//go:noinline
func selectLoop(a, b chan int, timeoutName string) {
	parked.Done()
	select {
	case <-a:
	case b <- 1:
	}
}

//go:noinline
func sleeper(d time.Duration, label string) {
	parked.Done()
	time.Sleep(d)
}

//go:noinline
func lockWaiter(id int, s Shard) {
	parked.Done()
	bigMu.Lock()
	bigMu.Unlock()
}

//go:noinline
func readWaiter(id int, name string) {
	parked.Done()
	rw.RLock()
	rw.RUnlock()
}

//go:noinline
func groupWaiter(id int, tags []string) {
	parked.Done()
	wgHold.Wait()
}

//go:noinline
func condWaiter(id int) {
	cond.L.Lock()
	parked.Done()
	cond.Wait()
	cond.L.Unlock()
}

//go:noinline
func ioWaiter(c net.Conn, id int, peer string) {
	buf := make([]byte, 64)
	parked.Done()
	c.Read(buf)
}

//go:noinline
func fileReader(f *os.File, id int) {
	buf := make([]byte, 16)
	parked.Done()
	f.Read(buf) // first reader waits in the poller, the rest on the fd lock
}

//go:noinline
func rawSyscall(fd int, id int) {
	buf := make([]byte, 8)
	parked.Done()
	syscall.Read(fd, buf) // blocking pipe: goroutine stays in "syscall"
}

//go:noinline
func lockedWaiter(id int, name string) {
	runtime.LockOSThread()
	parked.Done()
	<-never
}

//go:noinline
func nested(depth int, r Request, shard Shard) {
	if depth == 0 {
		recvLoop(r, shard)
		return
	}
	nested(depth-1, r, shard)
}

func spinner(id int) {
	parked.Done()
	for {
		runtime.Gosched()
	}
}

func goroutineCount() int {
	n := flag.Int("n", 0, "number of goroutines to park (default $SIGQUIT_GOROUTINES or 2000)")
	flag.Parse()
	if *n > 0 {
		return *n
	}
	if v, err := strconv.Atoi(os.Getenv("SIGQUIT_GOROUTINES")); err == nil && v > 0 {
		return v
	}
	return 2000
}

func listenerPairs(n int) []net.Conn {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fmt.Fprintln(os.Stderr, "listen:", err)
		return nil
	}
	var conns []net.Conn
	for i := 0; i < n; i++ {
		c, err := net.Dial("tcp", ln.Addr().String())
		if err != nil {
			break
		}
		s, err := ln.Accept()
		if err != nil {
			break
		}
		conns = append(conns, c, s)
	}
	parked.Add(1)
	go func() { // a goroutine parked in Accept ("IO wait")
		parked.Done()
		ln.Accept()
	}()
	return conns
}

func main() {
	total := goroutineCount()
	bigMu.Lock()
	rw.Lock()
	wgHold.Add(1)

	// Fixed-size groups: each costs OS threads or file descriptors.
	fixed := 0
	conns := listenerPairs(clamp(total/40, 1, 200))
	for i, c := range conns {
		parked.Add(1)
		go ioWaiter(c, i, "127.0.0.1")
		fixed++
	}
	pr, _, err := os.Pipe()
	if err == nil {
		for i := 0; i < 3; i++ {
			parked.Add(1)
			go fileReader(pr, i)
			fixed++
		}
	}
	var fds [2]int
	if syscall.Pipe(fds[:]) == nil {
		for i := 0; i < 3; i++ {
			parked.Add(1)
			go rawSyscall(fds[0], i)
			fixed++
		}
	}
	for i := 0; i < 4; i++ {
		parked.Add(1)
		go lockedWaiter(i, "locked-"+strconv.Itoa(i))
		fixed++
	}
	for i := 0; i < 2; i++ {
		parked.Add(1)
		go spinner(i)
		fixed++
	}

	// The rest is spread round-robin over cheap blocking states.
	for i := 0; fixed+i < total; i++ {
		r := Request{ID: i, Path: "/api/v1/items/" + strconv.Itoa(i)}
		s := Shard{Index: i % 16, Name: "shard", Keys: []string{"a", "b"}}
		parked.Add(1)
		switch i % 10 {
		case 0:
			go recvLoop(r, s)
		case 1:
			go sendLoop(r, i)
		case 2:
			go selectLoop(make(chan int), make(chan int), "select")
		case 3:
			go sleeper(time.Hour, "sleep")
		case 4:
			go lockWaiter(i, s)
		case 5:
			go readWaiter(i, s.Name)
		case 6:
			go groupWaiter(i, s.Keys)
		case 7:
			go condWaiter(i)
		case 8:
			go nested(i%7, r, s)
		case 9:
			go func(id int) { // select with no cases
				parked.Done()
				select {}
			}(i)
		}
	}
	parked.Wait()
	// Done() runs just before each goroutine blocks; give them time to park.
	time.Sleep(time.Duration(200+total/200) * time.Millisecond)
	syscall.Kill(os.Getpid(), syscall.SIGQUIT)
	time.Sleep(time.Minute)
}

func clamp(v, lo, hi int) int {
	if v < lo {
		return lo
	}
	if v > hi {
		return hi
	}
	return v
}
