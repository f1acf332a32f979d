// Command nil_deref crashes with a nil pointer dereference: a method on a
// nil *Account reads a field at a non-zero offset, so the fault address is
// small but not zero (addr=0x8 / 0x18 etc. depending on GOARCH).
package main

import (
	"fmt"
	"os"
	"strings"
)

type Account struct {
	ID      int64
	Owner   string
	Balance int64
	Tags    []string
}

type Ledger struct {
	Name     string
	accounts map[string]*Account
}

//go:noinline
func (a *Account) Summary(prefix string, width int) string {
	// a is nil: reading a.Balance faults at the field offset.
	return fmt.Sprintf("%s%*d", prefix, width, a.Balance)
}

//go:noinline
func (l *Ledger) Report(keys []string, verbose bool) []string {
	var out []string
	for _, k := range keys {
		acct := l.accounts[k]
		out = append(out, acct.Summary(strings.ToUpper(k)+": ", 12))
	}
	return out
}

func main() {
	l := &Ledger{Name: "main", accounts: map[string]*Account{
		"alice": {ID: 1, Owner: "alice", Balance: 100, Tags: []string{"vip"}},
	}}
	for _, line := range l.Report([]string{"alice", "bob"}, true) {
		fmt.Println(line)
	}
	os.Exit(0)
}
