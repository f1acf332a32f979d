// Command methods panics through a chain of value-receiver and
// pointer-receiver methods, an interface call, an embedded (promoted)
// method and a method value.
package main

import "fmt"

type Point struct{ X, Y int }

type Shape interface {
	Area() int
	Scale(f int) Shape
}

type Rect struct {
	Min, Max Point
	Name     string
}

//go:noinline
func (p Point) Div(d int) Point { return Point{p.X / d, p.Y / d} } // d == 0 panics

//go:noinline
func (r Rect) Area() int { return (r.Max.X - r.Min.X) * (r.Max.Y - r.Min.Y) }

//go:noinline
func (r *Rect) Scale(f int) Shape {
	r.Max = r.Max.Div(f)
	return r
}

type Labeled struct {
	*Rect
	Label string
}

//go:noinline
func resize(s Shape, factors []int) int {
	area := 0
	for _, f := range factors {
		area += s.Scale(f).Area()
	}
	return area
}

func main() {
	l := Labeled{Rect: &Rect{Max: Point{10, 20}, Name: "box"}, Label: "outer"}
	run := l.Area // method value through the embedded pointer
	fmt.Println(run())
	fmt.Println(resize(l, []int{2, 0}))
}
