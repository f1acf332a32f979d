//go:build bools

package main

//go:noinline
func Example(b1, b2, b3 bool, i uint8) {
	panic("Want stack trace")
}

func main() { Example(true, false, true, 25) }
