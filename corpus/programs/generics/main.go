// Command generics panics inside a method of a generic type called from a
// generic function (Go >= 1.18).
package main

import "fmt"

type Number interface {
	~int | ~int64 | ~float64
}

type Stack[T any] struct {
	name  string
	items []T
}

//go:noinline
func (s *Stack[T]) Push(v T) { s.items = append(s.items, v) }

//go:noinline
func (s *Stack[T]) Pop() T {
	v := s.items[len(s.items)-1] // empty stack: index out of range [-1]
	s.items = s.items[:len(s.items)-1]
	return v
}

//go:noinline
func SumN[T Number](s *Stack[T], n int) T {
	var total T
	for i := 0; i < n; i++ {
		total += s.Pop()
	}
	return total
}

type Pair[K comparable, V any] struct {
	Key K
	Val V
}

//go:noinline
func Reduce[K comparable, V Number](pairs []Pair[K, V], limit int) V {
	s := &Stack[V]{name: "values"}
	for _, p := range pairs {
		s.Push(p.Val)
	}
	return SumN(s, limit)
}

func main() {
	pairs := []Pair[string, int64]{{"a", 1}, {"b", 2}}
	fmt.Println(Reduce(pairs, 3))
}
