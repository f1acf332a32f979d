package main

import (
	"io"
	"os"
	"unsafe"
)

// gitCommit is set with -ldflags -X by tests/abi/groundtruth.py --near:
// two builds that differ only in it have the same code and read-only
// data moved by the difference in its length.
var gitCommit string

// What a near-identical binary would decode wrongly: a static itab, a
// static funcval, a string literal, a type word.
//
//go:noinline
func gtNear(w io.Writer, fn func(int) int, s string, e interface{}) {
	gt().iface("w", words(unsafe.Pointer(&w)), w).v("fn", fn).v("s", s).
		iface("e", words(unsafe.Pointer(&e)), e).done()
	panic("gt " + gitCommit)
}

func init() {
	cases["near"] = func() { gtNear(os.Stderr, handler, "near-identical", 7) }
}
