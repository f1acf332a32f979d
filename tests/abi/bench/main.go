// Benchmark input for the ABI decoder: a large binary (many standard
// packages linked in, ~20 MB with DWARF) whose crash dump holds N
// goroutines parked in a few functions with typed arguments.
//
//	go build -o big . && GOTRACEBACK=all ./big -n 100000 2> big.log
package main

import (
	"archive/zip"
	"compress/gzip"
	"crypto/tls"
	"crypto/x509"
	"database/sql"
	"debug/dwarf"
	"debug/elf"
	"encoding/json"
	"encoding/xml"
	"flag"
	"fmt"
	"go/parser"
	"go/printer"
	"go/types"
	"html/template"
	"image/jpeg"
	"image/png"
	"math/big"
	"net/http"
	"net/http/httptest"
	"net/mail"
	"net/smtp"
	"os"
	"regexp"
	"runtime/pprof"
	"sync"
	"text/tabwriter"
	"time"

	"archive/tar"
	"compress/bzip2"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rsa"
	"debug/gosym"
	"debug/macho"
	"debug/pe"
	"encoding/csv"
	"encoding/gob"
	"expvar"
	"go/build"
	"go/doc"
	"go/format"
	"go/importer"
	"image/gif"
	"index/suffixarray"
	"log/slog"
	"mime/multipart"
	"net/http/cookiejar"
	"net/http/httputil"
	hpprof "net/http/pprof"
	"net/rpc/jsonrpc"
	"os/exec"
	"runtime/trace"
	"testing"
	ttemplate "text/template"
)

// Referenced at run time so the linker keeps all of it.
var keep = []interface{}{
	zip.NewReader, gzip.NewReader, tls.Dial, x509.ParseCertificate, sql.Open,
	dwarf.New, elf.Open, json.Marshal, xml.Marshal, parser.ParseFile,
	printer.Fprint, types.NewPackage, template.New, jpeg.Decode, png.Decode,
	big.NewInt, http.ListenAndServe, httptest.NewServer, mail.ParseAddress,
	smtp.SendMail, regexp.MustCompile, pprof.StartCPUProfile, tabwriter.NewWriter,
	tar.NewReader, bzip2.NewReader, ecdsa.GenerateKey, ed25519.GenerateKey,
	rsa.GenerateKey, gosym.NewTable, macho.Open, pe.Open, csv.NewReader,
	gob.NewEncoder, expvar.NewInt, build.Import, doc.New, format.Source,
	importer.Default, gif.Decode, suffixarray.New, slog.New,
	multipart.NewReader, cookiejar.New, httputil.DumpRequest, hpprof.Index,
	jsonrpc.NewClient, exec.Command, trace.Start, testing.Main, ttemplate.New,
}

type Request struct {
	ID    int
	Path  string
	Tags  []string
	Start time.Time
}

var mu sync.Mutex

//go:noinline
func worker(id int, name string, ch chan int, wg *sync.WaitGroup) {
	wg.Done()
	<-ch
}

//go:noinline
func handle(r Request, deadline time.Duration, wg *sync.WaitGroup) {
	wg.Done()
	mu.Lock()
	mu.Unlock()
}

//go:noinline
func sleeper(d time.Duration, label string, wg *sync.WaitGroup) {
	wg.Done()
	time.Sleep(d)
}

func main() {
	n := flag.Int("n", 1000, "goroutines")
	flag.Parse()
	if len(os.Args) > 99 {
		fmt.Println(keep...)
	}
	var wg sync.WaitGroup
	ch := make(chan int)
	mu.Lock()
	for i := 0; i < *n; i++ {
		wg.Add(1)
		switch i % 3 {
		case 0:
			go worker(i, "worker", ch, &wg)
		case 1:
			go handle(Request{ID: i, Path: "/api/v1/items", Tags: []string{"a"}}, time.Second, &wg)
		default:
			go sleeper(time.Hour, "sleeper", &wg)
		}
	}
	wg.Wait()
	time.Sleep(100 * time.Millisecond)
	panic("benchmark dump")
}
