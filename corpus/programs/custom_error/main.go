// Command custom_error panics with a value of a custom error type whose
// message spans two lines, through an interface-typed parameter.
package main

import (
	"fmt"
	"strings"
)

type ValidationError struct {
	Field string
	Code  int
	Hints []string
}

func (e *ValidationError) Error() string {
	return fmt.Sprintf("validation failed: field %q (code %d)\nhints: %s",
		e.Field, e.Code, strings.Join(e.Hints, ", "))
}

type Validator interface {
	Validate(field, value string) error
}

type emailValidator struct{ strict bool }

func (v emailValidator) Validate(field, value string) error {
	if !strings.Contains(value, "@") {
		return &ValidationError{Field: field, Code: 422, Hints: []string{"missing @", "lowercase only"}}
	}
	return nil
}

//go:noinline
func mustValidate(v Validator, field string, value string, attempt int) {
	if err := v.Validate(field, value); err != nil {
		panic(err)
	}
}

func main() {
	mustValidate(emailValidator{strict: true}, "email", "bob.example.com", 1)
}
