// +build go1.18

package main

//go:noinline
func gtGeneric[T any](x T, n int) {
	gt().v("x", x).v("n", n).done()
	panic("gt")
}

func init() {
	cases["generic"] = func() { gtGeneric("gen", 3) }
	cases["generic_int"] = func() { gtGeneric(int16(-4), 5) }
}
