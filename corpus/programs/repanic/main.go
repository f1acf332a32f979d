// Command repanic builds a chain of panics: a recovered panic re-panicked
// with a new value, a recovered panic re-panicked with the same value, and a
// deferred call that panics while the program is already panicking.
package main

import (
	"errors"
	"fmt"
)

type StorageError struct {
	Op   string
	Path string
	Err  error
}

func (e *StorageError) Error() string { return e.Op + " " + e.Path + ": " + e.Err.Error() }

//go:noinline
func writeBlock(path string, block []byte, offset int64) {
	panic(&StorageError{Op: "write", Path: path, Err: errors.New("disk quota exceeded")})
}

//go:noinline
func flush(path string, blocks [][]byte) {
	defer func() {
		if r := recover(); r != nil {
			panic(fmt.Sprintf("flush %s failed: %v", path, r))
		}
	}()
	for i, b := range blocks {
		writeBlock(path, b, int64(i*len(b)))
	}
}

//go:noinline
func commit(txID int, path string) {
	defer func() {
		r := recover()
		panic(r) // same value again: "[recovered, repanicked]" on Go >= 1.25
	}()
	flush(path, [][]byte{[]byte("abc"), []byte("def")})
}

func main() {
	defer func() {
		panic("cleanup: rollback failed")
	}()
	commit(42, "/var/lib/app/data.db")
}
