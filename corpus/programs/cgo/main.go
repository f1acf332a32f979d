// Command cgo crashes inside C code called through cgo (SIGSEGV writing
// through a NULL pointer in C).
package main

/*
#include <stddef.h>
#include <string.h>
#include <stdlib.h>

struct record { int id; char name[16]; };

__attribute__((noinline)) static int fill_record(struct record *r, int id, const char *name) {
	r->id = id;                      // r is NULL: SIGSEGV here
	strncpy(r->name, name, sizeof r->name - 1);
	return id * 2;
}

static int store(int id, const char *name) {
	struct record *r = NULL;
	return fill_record(r, id, name);
}
*/
import "C"

import (
	"fmt"
	"unsafe"
)

type Item struct {
	ID   int
	Name string
}

//go:noinline
func save(it Item, tags []string) int {
	cs := C.CString(it.Name)
	defer C.free(unsafe.Pointer(cs))
	return int(C.store(C.int(it.ID), cs))
}

func main() {
	fmt.Println(save(Item{ID: 9, Name: "widget"}, []string{"a"}))
}
