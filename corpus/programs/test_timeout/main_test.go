package main

import (
	"sync"
	"testing"
)

func TestQuick(t *testing.T) {
	q := NewQueue(1)
	q.items <- "a"
	if q.Pop("quick") != "a" {
		t.Fatal("wrong item")
	}
}

func TestHangingPop(t *testing.T) {
	q := NewQueue(4)
	t.Log("waiting for an item that never comes")
	q.Pop("hang")
}

func TestParallelWaiters(t *testing.T) {
	for _, name := range []string{"a", "b"} {
		name := name
		t.Run(name, func(t *testing.T) {
			var mu sync.Mutex
			mu.Lock()
			if name == "b" {
				mu.Lock() // never unlocked
			}
		})
	}
}
