// Command concurrent_map_writes makes two goroutines write the same map
// without locking until the runtime detects it ("fatal error: concurrent
// map writes"). It gives up after 60 s so a run can never hang.
package main

import (
	"fmt"
	"os"
	"strconv"
	"time"
)

type Cache struct {
	hits map[string]int
}

//go:noinline
func (c *Cache) Touch(key string, n int) {
	c.hits[key] = n
}

func writer(c *Cache, id int, keys []string) {
	for i := 0; ; i++ {
		c.Touch(keys[i%len(keys)], id)
	}
}

func main() {
	c := &Cache{hits: make(map[string]int)}
	keys := make([]string, 64)
	for i := range keys {
		keys[i] = "key-" + strconv.Itoa(i)
	}
	go writer(c, 1, keys)
	go writer(c, 2, keys)
	time.Sleep(60 * time.Second)
	fmt.Println("no crash observed")
	os.Exit(3)
}
