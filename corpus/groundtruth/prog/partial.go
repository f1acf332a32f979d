// +build go1.18

package main

import (
	"strconv"
	"unsafe"
)

// slice records a slice parameter from its parts: PTR and N read after
// the recording call (so the function keeps them live), CAP from the
// caller (so the function never spills it and Go prints it with '?').
func (r *rec) slice(name string, ptr unsafe.Pointer, n, cap int) *rec {
	r.args = append(r.args, strconv.Quote(name)+":{\"ptr\":"+hex(uintptr(ptr))+
		",\"len\":"+strconv.Itoa(n)+",\"cap\":"+strconv.Itoa(cap)+"}",
		strconv.Quote("#partial:"+name)+":true")
	return r
}

// A slice whose cap word is dead: printed {0x..., 0x2, 0x5?} on register
// ABIs.  Its ptr and len are still facts and must be kept.
//
//go:noinline
func gtPartial(xs []int, n int) {
	r := gt()
	r.slice("xs", unsafe.Pointer(&xs[0]), len(xs), 5).v("n", n).done()
	panic("gt")
}

func init() {
	cases["partial"] = func() { gtPartial(make([]int, 2, 5), 6) }
}
