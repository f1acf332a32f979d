// Ground-truth program for the ABI decoder (panicscope issue 3).
//
// Each case is a function that first prints, on stderr, one line
//	GT {"func": NAME, "args": {PARAM: VALUE, ...}}
// holding the values it received (VALUE in the shape of panicscope's JSON,
// CONTRACT.md "VALUE by Go kind"), and then panics, so that the traceback
// prints the same values as argument words.  tests/abi/groundtruth.py
// decodes the traceback with the binary and compares.
//
// Build: go build -o gt . (any Go from 1.12 on; generics.go needs 1.18)
// Run:   ./gt CASE        (./gt lists the cases)
package main

import (
	"errors"
	"fmt"
	"os"
	"reflect"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"unsafe"
)

type rec struct {
	fn   string
	args []string
}

// gt starts the record of the calling function, named as the runtime
// names it in tracebacks.
func gt() *rec {
	pc, _, _, _ := runtime.Caller(1)
	return &rec{fn: runtime.FuncForPC(pc).Name()}
}

func (r *rec) v(name string, x interface{}) *rec {
	rv := reflect.New(reflect.TypeOf(x)).Elem() // addressable copy
	rv.Set(reflect.ValueOf(x))
	r.args = append(r.args, strconv.Quote(name)+":"+val(rv))
	return r
}

// sym records a pointer parameter that points at a global named SYMBOL.
func (r *rec) sym(name string, p unsafe.Pointer, symbol string) *rec {
	r.args = append(r.args, strconv.Quote(name)+":{\"ptr\":"+hex(uintptr(p))+
		",\"symbol\":"+strconv.Quote(symbol)+"}")
	return r
}

// iface records an interface parameter from its two machine words.
func (r *rec) iface(name string, w [2]uintptr, dyn interface{}) *rec {
	r.args = append(r.args, strconv.Quote(name)+":"+ifaceJSON(w, dyn))
	return r
}

// note records text the decoder's frame note must contain.
func (r *rec) note(text string) *rec {
	r.args = append(r.args, "\"#note\":"+strconv.Quote(text))
	return r
}

// flag: parameter NAME must come out unreliable or absent (what the
// traceback printed for it is not its value).
func (r *rec) flag(name string) *rec {
	r.args = append(r.args, strconv.Quote("#flag:"+name)+":true")
	return r
}

// ambiguous: NAME must come out unreliable unless the dump has pc= (the
// instantiation is then known and NAME must equal the truth).
func (r *rec) ambiguous(name string) *rec {
	r.args = append(r.args, strconv.Quote("#ambiguous:"+name)+":true")
	return r
}

// inst: the receiver's type must be TYPE unless the decoder says the
// instantiation is ambiguous.
func (r *rec) inst(typ string) *rec {
	r.args = append(r.args, "\"#inst\":"+strconv.Quote(typ))
	return r
}

func (r *rec) done() {
	fmt.Fprintf(os.Stderr, "GT {\"func\":%s,\"args\":{%s}}\n",
		strconv.Quote(r.fn), strings.Join(r.args, ","))
}

func hex(p uintptr) string { return "\"0x" + strconv.FormatUint(uint64(p), 16) + "\"" }

func ifaceJSON(w [2]uintptr, dyn interface{}) string {
	tn := "null"
	if dyn != nil {
		tn = strconv.Quote(reflect.TypeOf(dyn).String())
	}
	return "{\"type\":" + hex(w[0]) + ",\"data\":" + hex(w[1]) + ",\"type_name\":" + tn + "}"
}

func val(v reflect.Value) string {
	switch v.Kind() {
	case reflect.Bool:
		return strconv.FormatBool(v.Bool())
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return strconv.FormatInt(v.Int(), 10)
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return strconv.FormatUint(v.Uint(), 10)
	case reflect.Float32, reflect.Float64:
		return strconv.FormatFloat(v.Float(), 'g', -1, 64)
	case reflect.Complex64, reflect.Complex128:
		c := v.Complex()
		return "{\"re\":" + strconv.FormatFloat(real(c), 'g', -1, 64) +
			",\"im\":" + strconv.FormatFloat(imag(c), 'g', -1, 64) + "}"
	case reflect.String:
		w := (*[2]uintptr)(unsafe.Pointer(v.UnsafeAddr()))
		return "{\"ptr\":" + hex(w[0]) + ",\"len\":" + strconv.Itoa(v.Len()) +
			",\"text\":" + strconv.Quote(v.String()) + "}"
	case reflect.Slice:
		return "{\"ptr\":" + hex(v.Pointer()) + ",\"len\":" + strconv.Itoa(v.Len()) +
			",\"cap\":" + strconv.Itoa(v.Cap()) + "}"
	case reflect.Func:
		fv := *(*uintptr)(unsafe.Pointer(v.UnsafeAddr()))
		sym := "null"
		if fv != 0 {
			sym = strconv.Quote(runtime.FuncForPC(v.Pointer()).Name())
		}
		return "{\"ptr\":" + hex(fv) + ",\"symbol\":" + sym + "}"
	case reflect.Map, reflect.Chan, reflect.Ptr, reflect.UnsafePointer:
		return "{\"ptr\":" + hex(v.Pointer()) + "}"
	case reflect.Interface:
		w := *(*[2]uintptr)(unsafe.Pointer(v.UnsafeAddr()))
		var dyn interface{}
		if !v.IsNil() {
			dyn = v.Elem().Interface()
		}
		return ifaceJSON(w, dyn)
	case reflect.Struct:
		var f []string
		for i := 0; i < v.NumField(); i++ {
			f = append(f, "{\"name\":"+strconv.Quote(v.Type().Field(i).Name)+
				",\"value\":"+val(v.Field(i))+"}")
		}
		return "{\"fields\":[" + strings.Join(f, ",") + "]}"
	case reflect.Array:
		var e []string
		for i := 0; i < v.Len(); i++ {
			e = append(e, "{\"value\":"+val(v.Index(i))+"}")
		}
		return "{\"elems\":[" + strings.Join(e, ",") + "]}"
	}
	return "null"
}

func words(p unsafe.Pointer) [2]uintptr { return *(*[2]uintptr)(p) }

// ---- types used by the cases ----------------------------------------

type Acct struct {
	ID   int64
	Name string
	Tags [2]uint16
}

type Point struct{ X, Y int32 }

type Val struct {
	A int32
	S string
}

type PidInfo struct {
	Pid   int32
	Name  string
	Pad   [0x38]byte
	Start int64 // at +0x50 on 64-bit targets, +0x44 on 32-bit
}

type eee struct {
	a, b, c, d, e int
	s             string
}

type named string

func (n named) String() string { return string(n) }

type deep5 struct{ A struct{ B struct{ C struct{ D struct{ E int16 } } } } }

func handler(x int) int { return x + 1 }

// ---- the cases ------------------------------------------------------

//go:noinline
func gtInts(a int8, b int16, c int32, d int64, e int, f uint8, g uint16, h uint32, i uint64, j uintptr) {
	gt().v("a", a).v("b", b).v("c", c).v("d", d).v("e", e).v("f", f).v("g", g).
		v("h", h).v("i", i).v("j", j).done()
	panic("gt")
}

//go:noinline
func gtSmall(b1, b2, b3 bool, i uint8, by byte, r rune) {
	gt().v("b1", b1).v("b2", b2).v("b3", b3).v("i", i).v("by", by).v("r", r).done()
	panic("gt")
}

//go:noinline
func gtFloats(f32 float32, f64 float64, c64 complex64, c128 complex128) {
	gt().v("f32", f32).v("f64", f64).v("c64", c64).v("c128", c128).done()
	panic("gt")
}

//go:noinline
func gtStrings(s string, empty string, xs []string, bs []byte) {
	gt().v("s", s).v("empty", empty).v("xs", xs).v("bs", bs).done()
	panic("gt")
}

//go:noinline
func gtRefs(m map[string]int, p *Acct, np *Acct, ch chan int, fn func(int) int, up unsafe.Pointer) {
	gt().v("m", m).v("p", p).v("np", np).v("ch", ch).v("fn", fn).v("up", up).done()
	panic("gt")
}

//go:noinline
func gtIfaces(err error, nilErr error, x interface{}, st fmt.Stringer) {
	gt().iface("err", words(unsafe.Pointer(&err)), err).
		iface("nilErr", words(unsafe.Pointer(&nilErr)), nilErr).
		iface("x", words(unsafe.Pointer(&x)), x).
		iface("st", words(unsafe.Pointer(&st)), st).done()
	panic("gt")
}

//go:noinline
func gtStruct(a Acct, pt Point) {
	gt().v("a", a).v("pt", pt).done()
	panic("gt")
}

//go:noinline
func gtArrays(a [3]int8, b [2]string) {
	gt().v("a", a).v("b", b).done()
	panic("gt")
}

//go:noinline
func (v Val) GtValue(n int16) {
	gt().v("v", v).v("n", n).done()
	panic("gt")
}

//go:noinline
func (a *Acct) GtPointer(delta int) {
	gt().v("a", a).v("delta", delta).done()
	panic("gt")
}

//go:noinline
func gtVariadic(prefix string, xs ...int) {
	gt().v("prefix", prefix).v("xs", xs).done()
	panic("gt")
}

//go:noinline
func runClosure(base int) {
	f := func(a int, s string) {
		gt().v("a", a).v("s", s).done()
		panic(fmt.Sprint("gt", base))
	}
	f(base*3, "closure")
}

//go:noinline
func gtMany(a, b, c, d, e, f, g, h, i, j, k, l int) {
	gt().v("a", a).v("b", b).v("c", c).v("d", d).v("e", e).v("f", f).v("g", g).
		v("h", h).v("i", i).v("j", j).v("k", k).v("l", l).done()
	panic("gt")
}

//go:noinline
func gtDeep(d deep5, x int) {
	gt().v("d", d).v("x", x).done()
	panic("gt")
}

//go:noinline
func gtEee(a, b int, e eee) {
	gt().v("a", a).v("b", b).v("e", e).done()
	panic("gt")
}

//go:noinline
func gtResults(a, b int) (sum int, tag int) {
	gt().v("a", a).v("b", b).done()
	panic("gt")
}

//go:noinline
func (p *PidInfo) gtNilField() int64 {
	// The fault address is inside Start (a 32-bit target may load the
	// high half first); the note names the field and that address.
	gt().v("p", p).note("nil *main.PidInfo, reading field Start at +").done()
	return p.Start
}

var globalCounter int64 = 5

//go:noinline
func gtGlobal(gp *int64, fn func(int) int) {
	gt().sym("gp", unsafe.Pointer(gp), "main.globalCounter").v("fn", fn).done()
	panic("gt")
}

// start is small enough to be inlined into gtInlined: the faulting frame
// is then an inlined one, printed "main.(*PidInfo).start(...)".
func (p *PidInfo) start() int64 { return p.Start }

//go:noinline
func gtInlined(p *PidInfo) int64 {
	gt().v("p", p).done()
	return p.start()
}

var cases = map[string]func(){
	"ints": func() {
		gtInts(-5, -300, -70000, -5000000000, 42, 200, 60000, 4000000000, 18000000000000000000, 0xdeadbeef)
	},
	"small":   func() { gtSmall(true, false, true, 25, 'z', 'λ') },
	"floats":  func() { gtFloats(1.5, -2.25e10, complex(0.5, -1), complex(3, 4.125)) },
	"strings": func() { gtStrings("hello", "", []string{"a", "bc"}, make([]byte, 3, 8)) },
	"refs": func() {
		a := &Acct{ID: 7, Name: "ref"}
		gtRefs(map[string]int{"k": 1}, a, nil, make(chan int, 1), handler, unsafe.Pointer(a))
	},
	"ifaces": func() {
		gtIfaces(errors.New("boom"), nil, 42, named("stringer"))
	},
	"struct": func() {
		gtStruct(Acct{ID: -12, Name: "alice", Tags: [2]uint16{3, 65535}}, Point{-1, 2})
	},
	"arrays":   func() { gtArrays([3]int8{-1, 0, 127}, [2]string{"x", "yz"}) },
	"value":    func() { Val{A: -9, S: "val"}.GtValue(-2) },
	"pointer":  func() { (&Acct{ID: 99, Name: "ptr"}).GtPointer(-3) },
	"variadic": func() { gtVariadic("fmt", 1, 2, 3) },
	"closure":  func() { runClosure(14) },
	"many":     func() { gtMany(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12) },
	"deep":     func() { var d deep5; d.A.B.C.D.E = -7; gtDeep(d, 5) },
	"eee":      func() { gtEee(64, 8, eee{1, 2, 3, 4, 5, "eee"}) },
	"results":  func() { s, t := gtResults(64, 8); fmt.Println(s, t) },
	"nilfield": func() { var p *PidInfo; fmt.Println(p.gtNilField()) },
	"global":   func() { gtGlobal(&globalCounter, handler) },
	"inlined":  func() { fmt.Println(gtInlined(nil)) },
}

func main() {
	if len(os.Args) < 2 || cases[os.Args[1]] == nil {
		var names []string
		for n := range cases {
			names = append(names, n)
		}
		sort.Strings(names)
		fmt.Println(strings.Join(names, "\n"))
		return
	}
	cases[os.Args[1]]()
}
