// Command nil_map panics with "assignment to entry in nil map" while
// writing into the map field of a zero-value struct.
package main

import "fmt"

type Registry struct {
	name    string
	entries map[string]int
}

//go:noinline
func (r *Registry) Register(key string, value int) {
	r.entries[key] = value
}

//go:noinline
func loadAll(r *Registry, keys []string) int {
	for i, k := range keys {
		r.Register(k, i*10)
	}
	return len(keys)
}

func main() {
	var r Registry
	r.name = "plugins"
	fmt.Println(loadAll(&r, []string{"auth", "cache", "db"}))
}
