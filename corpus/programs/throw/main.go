// Command throw reads through a wild (non-nil, unmapped) pointer. The
// runtime cannot turn that into a panic: it prints "unexpected fault
// address" and throws "fatal error: fault". Run with GOTRACEBACK=crash so
// frames carry fp=/sp=/pc=, headers carry gp=/m= and registers are dumped.
package main

import (
	"fmt"
	"sync"
	"unsafe"
)

type Header struct {
	Magic   uint32
	Version uint16
	Flags   uint16
	Length  int64
}

var wild = uintptr(0xdead0000)

//go:noinline
func decode(buf []byte, base uintptr, name string) int64 {
	h := (*Header)(unsafe.Pointer(base + uintptr(len(buf))))
	return h.Length
}

func main() {
	var wg sync.WaitGroup
	stop := make(chan struct{})
	wg.Add(1)
	go func() { // a second user goroutine so the dump has more than one
		defer wg.Done()
		<-stop
	}()
	fmt.Println(decode([]byte("GOHDR"), wild, "packet"))
	close(stop)
	wg.Wait()
}
