// +build go1.18

package main

import "runtime/debug"

//go:noinline
func gtGeneric[T any](x T, n int) {
	gt().v("x", x).v("n", n).done()
	panic("gt")
}

// ---- issue 11: what tracebacks print for generic code ----------------

type gtQueue[T any] struct {
	items []T
	n     int
}

// A method on a generic type: Go 1.22+ prints the dictionary word where
// the receiver should be (the receiver itself is not printed).
//
//go:noinline
func (q *gtQueue[T]) Pop(k int) {
	gt().v("q", q).v("k", k).flag("q").done()
	panic("gt")
}

var gtSink int

// A generic function whose parameter a is dead from the start (never
// spilled): Go 1.22+ prints its stale word with the liveness bit of x,
// i.e. without '?'.  a is recorded from the caller's constant.
//
//go:noinline
func gtStale[T any](x T, a int, b int) {
	gt().v("x", x).v("b", b).v("a", 0x5eed5).done()
	panic("gt")
}

type gtBox[T any] struct {
	v T
	c chan int
}

// Two instantiations (shapes int and string) with the same printed name,
// offset and line: the dictionary word a method prints picks the one.
//
//go:noinline
func (b *gtBox[T]) Wait(x int) {
	gt().v("b", b).v("x", x).flag("b").inst("*main.gtBox[go.shape.string]").done()
	panic("gt")
}

type gtPair struct{ a, b int }

// Two instantiations of a function: nothing printed tells them apart
// (a function's dictionary is not printed), unless the dump has pc=.
//
//go:noinline
func gtPut[K comparable](k K, n int) {
	gt().v("k", k).v("n", n).ambiguous("k").done()
	panic("gt")
}

//go:noinline
func gtPutPC[K comparable](k K, n int) {
	gt().v("k", k).v("n", n).done()
	panic("gt")
}

func init() {
	cases["generic"] = func() { gtGeneric("gen", 3) }
	cases["generic_int"] = func() { gtGeneric(int16(-4), 5) }
	cases["generic_method"] = func() {
		q := &gtQueue[int]{n: 7}
		q.Pop(5)
	}
	cases["generic_stale"] = func() { gtStale("stale", 0x5eed5, 9) }
	cases["generic_inst"] = func() {
		if gtSink == 1 {
			(&gtBox[int]{}).Wait(1)
		}
		(&gtBox[string]{v: "box"}).Wait(9)
	}
	cases["generic_put"] = func() {
		if gtSink == 1 {
			gtPut("never", 1)
		}
		gtPut(gtPair{0x7777, 0x8888}, 4)
	}
	cases["generic_put_pc"] = func() {
		if gtSink == 1 {
			gtPutPC("never", 1)
		}
		debug.SetTraceback("system") // frames print pc=
		gtPutPC(gtPair{0x7777, 0x8888}, 4)
	}
}
