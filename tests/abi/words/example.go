// Sources of the Go <= 1.16 traces quoted in issue 3 ("words" format),
// rebuilt with a current Go: the stack-ABI layout of the argument area is
// the ABI's, so the DWARF of a new build describes the old words.
// Each example is its own package main, picked by build tag:
//   go build -tags example|bools|results|eee|variadic
//go:build example

package main

//go:noinline
func Example(slice []string, str string, i int, m map[string]int) {
	panic("Want stack trace")
}

func main() {
	Example(make([]string, 2, 4), "hello", 136, map[string]int{})
}
