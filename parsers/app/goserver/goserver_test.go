package goserver

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hoplint/hoplint/internal/fuzzbound"
	"github.com/hoplint/hoplint/parsers"
)

func dump(r *Result) string {
	var b strings.Builder
	for _, s := range r.Servers {
		fmt.Fprintf(&b, "server %s %s var=%q\n", s.Kind, s.Range, s.Var)
		for _, st := range s.Settings {
			fmt.Fprintf(&b, "  %s %s = %s\n", st.Name, st.Range, vs(st.Value))
		}
	}
	for _, p := range r.Problems {
		fmt.Fprintf(&b, "problem %s %s\n", p.Range, p.Message)
	}
	return strings.TrimSpace(b.String())
}

func vs(v Value) string {
	s := ""
	switch v.Kind {
	case Duration:
		s = v.Duration.String()
	case Int:
		s = fmt.Sprint(v.Int)
	case String:
		s = fmt.Sprintf("%q", v.Str)
	default:
		s = "unknown(" + v.Reason + ")"
		if v.Call != "" {
			s += " call=" + v.Call
		}
	}
	return fmt.Sprintf("%s [%s %q]", s, v.Range, v.Text)
}

func parseOne(name, src string) *Result {
	return Parse([]*parsers.File{parsers.NewFile(name, "/x/"+name, "/x", "", []byte(src))})
}

func check(t *testing.T, r *Result, want string) {
	t.Helper()
	if got := dump(r); got != strings.TrimSpace(want) {
		t.Errorf("got:\n%s\nwant:\n%s", got, strings.TrimSpace(want))
	}
}

func TestServerLiteralAndAssignments(t *testing.T) {
	r := Parse([]*parsers.File{
		parsers.NewFile("main.go", "/x/main.go", "/x", "", []byte(`package main

import (
	"net/http"
	t "time"
)

func main() {
	idle := 2 * readTimeout
	srv := &http.Server{
		Addr:        ":" + port,
		ReadTimeout: readTimeout,
		IdleTimeout: idle,
		Handler:     nil,
	}
	srv.ReadHeaderTimeout = 5 * t.Second
	srv.WriteTimeout = t.Duration(cfg.Timeout()) * t.Second
	srv.MaxHeaderBytes = 1 << 20
	_ = t.Now
	srv.ListenAndServe()
}
`)),
		parsers.NewFile("config.go", "/x/config.go", "/x", "", []byte(`package main

import "time"

const readTimeout = 30 * time.Second + 500*time.Millisecond

var port = "8080"
`)),
	})
	check(t, r, `
server http.Server main.go:10:10 var="srv"
  Addr main.go:11:3 = ":8080" [main.go:11:16 "\":\" + port"]
  ReadTimeout main.go:12:3 = 30.5s [main.go:12:16 "readTimeout"]
  IdleTimeout main.go:13:3 = 1m1s [main.go:13:16 "idle"]
  ReadHeaderTimeout main.go:16:2 = 5s [main.go:16:26 "5 * t.Second"]
  WriteTimeout main.go:17:2 = unknown(returned by cfg.Timeout()) call=cfg.Timeout [main.go:17:21 "t.Duration(cfg.Timeout()) * t.Second"]
  MaxHeaderBytes main.go:18:2 = 1048576 [main.go:18:23 "1 << 20"]`)
}

func TestListenAndServeGinEcho(t *testing.T) {
	r := parseOne("main.go", `package main

import (
	"net/http"
	"github.com/gin-gonic/gin"
	"github.com/labstack/echo/v4"
	"time"
)

func a() { http.ListenAndServe(":8080", nil) }

func b() {
	r := gin.Default()
	r.Run(":9090")
}

func c() {
	e := echo.New()
	e.Server.IdleTimeout = time.Minute
	e.Logger.Fatal(e.Start(":1323"))
}
`)
	check(t, r, `
server http.ListenAndServe main.go:10:12 var=""
  Addr main.go:10:32 = ":8080" [main.go:10:32 "\":8080\""]
server gin.Run main.go:14:2 var="r"
  Addr main.go:14:8 = ":9090" [main.go:14:8 "\":9090\""]
server echo.Start main.go:18:7 var="e.Server"
  IdleTimeout main.go:19:2 = 1m0s [main.go:19:25 "time.Minute"]
  Addr main.go:20:25 = ":1323" [main.go:20:25 "\":1323\""]`)
}

// Constants through a cycle, overflow and deep nesting stay unknown.
func TestHostile(t *testing.T) {
	r := parseOne("h.go", `package main

import ("net/http"; "time")

const a = b
const b = a
const huge = 1 << 300

func main() {
	s := http.Server{ReadTimeout: a, WriteTimeout: huge * time.Second, IdleTimeout: 9223372037 * time.Second}
	s.ReadHeaderTimeout = `+strings.Repeat("(", 300)+"1"+strings.Repeat(")", 300)+`
}
`)
	for _, st := range r.Servers[0].Settings {
		if st.Value.Kind != Unknown {
			t.Errorf("%s: %s", st.Name, vs(st.Value))
		}
	}
	if !strings.Contains(r.Servers[0].Settings[0].Value.Reason, "through itself") {
		t.Errorf("cycle: %s", vs(r.Servers[0].Settings[0].Value))
	}
	start := time.Now()
	deep := "package main\nvar x = " + strings.Repeat("(", 100000) + "1" + strings.Repeat(")", 100000) + "\n"
	r = parseOne("deep.go", deep)
	if len(r.Problems) != 1 || time.Since(start) > time.Second {
		t.Errorf("deep nesting: %v in %s", r.Problems, time.Since(start))
	}
	big := make([]byte, MaxSize+1)
	r = parseOne("big.go", string(big))
	if len(r.Problems) != 1 || r.Problems[0].Kind != parsers.ProblemSkipped {
		t.Errorf("big: %v", r.Problems)
	}
	r = parseOne("bad.go", "package main\nfunc {\n")
	if len(r.Problems) != 1 || r.Problems[0].Range.Start.Line != 2 {
		t.Errorf("bad: %v", r.Problems)
	}
}

func TestInteresting(t *testing.T) {
	if Interesting([]byte("package x\nimport \"fmt\"\n")) || !Interesting([]byte("import \"net/http\"")) {
		t.Error("prefilter")
	}
}

// miniflux: every timeout comes from config.Opts.HTTPServerTimeout(),
// whose default is written in internal/config/options.go.
func TestCorpusMiniflux(t *testing.T) {
	const c = "../../../../shared/corpus/miniflux__v2/"
	if _, err := os.Stat(c); err != nil {
		t.Skip("no corpus")
	}
	read := func(dir string) []*parsers.File {
		var out []*parsers.File
		paths, _ := filepath.Glob(filepath.Join(c, dir, "*.go"))
		for _, p := range paths {
			if strings.HasSuffix(p, "_test.go") {
				continue
			}
			data, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			rel := strings.TrimPrefix(p, c)
			out = append(out, parsers.NewFile(rel, p, c, "", data))
		}
		return out
	}
	r := Parse(read("internal/http/server"))
	got := dump(r)
	for _, want := range []string{
		`server http.Server internal/http/server/server.go:63:11 var="srv"`,
		`  ReadTimeout internal/http/server/server.go:65:4 = unknown(returned by config.Opts.HTTPServerTimeout()) call=config.Opts.HTTPServerTimeout [internal/http/server/server.go:65:23 "config.Opts.HTTPServerTimeout()"]`,
		`  IdleTimeout internal/http/server/server.go:67:4 = unknown(returned by config.Opts.HTTPServerTimeout()) call=config.Opts.HTTPServerTimeout`,
		`server http.Server internal/http/server/server.go:179:22 var="challengeServer"`,
		`  Addr internal/http/server/server.go:181:3 = ":http"`,
	} {
		if !strings.Contains(got, want) {
			t.Errorf("missing %q in:\n%s", want, got)
		}
	}
	opt := OptionDefault(read("internal/config"), "config.Opts.HTTPServerTimeout")
	if opt == nil {
		t.Fatal("no option found")
	}
	if opt.Key != "HTTP_SERVER_TIMEOUT" || opt.Default.Kind != Duration || opt.Default.Duration != 300*time.Second ||
		opt.Default.Range.String() != "internal/config/options.go:290:21" {
		t.Errorf("got %s %s", opt.Key, vs(opt.Default))
	}
}

// Every Go file of the corpus that the prefilter passes parses without a
// panic and within bounds.
func TestCorpusAllGo(t *testing.T) {
	const c = "../../../../shared/corpus/"
	if _, err := os.Stat(c); err != nil {
		t.Skip("no corpus")
	}
	var files, servers int
	start := time.Now()
	err := filepath.WalkDir(c, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() || !strings.HasSuffix(p, ".go") {
			return nil
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		if !Interesting(data) {
			return nil
		}
		files++
		r := parseOne(strings.TrimPrefix(p, c), string(data))
		servers += len(r.Servers)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%d Go files passed the prefilter, %d servers, in %s", files, servers, time.Since(start))
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"package main\nimport (\"net/http\"; \"time\")\nfunc main() { s := &http.Server{IdleTimeout: 2 * time.Minute}; s.ReadTimeout = x; http.ListenAndServe(\":80\", nil) }\n",
		"package main\nimport \"net/http\"\nconst a = b\nconst b = a\nfunc f() { _ = http.Server{ReadTimeout: a} }\n",
		"package main\nimport \"github.com/labstack/echo/v4\"\nfunc f() { e := echo.New(); e.Server.WriteTimeout = 1; e.Start(\":1\") }\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		fuzzbound.Check(t, func() {
			file := parsers.NewFile("a.go", "/x/a.go", "/x", "", data)
			r := Parse([]*parsers.File{file})
			n := file.NumLines()
			for _, s := range r.Servers {
				for _, st := range s.Settings {
					if st.Range.Start.Line < 1 || st.Range.End.Line > n {
						t.Fatalf("range outside the file: %v", st.Range)
					}
				}
			}
			_ = OptionDefault([]*parsers.File{file}, "x.Y")
		})
	})
}

// A server held in a struct field or declared as a zero value takes the
// fields assigned to it later in the function.
func TestFieldAndZeroServers(t *testing.T) {
	r := parseOne("app.go", `package app

import (
	"net/http"
	"time"
)

func (a *App) Start() error {
	a.srv = &http.Server{Addr: ":8080"}
	a.srv.IdleTimeout = 90 * time.Second
	var plain http.Server
	plain.ReadTimeout = time.Minute
	return a.srv.ListenAndServe()
}
`)
	check(t, r, `
server http.Server app.go:9:11 var="a.srv"
  Addr app.go:9:23 = ":8080" [app.go:9:29 "\":8080\""]
  IdleTimeout app.go:10:2 = 1m30s [app.go:10:22 "90 * time.Second"]
server http.Server app.go:11:6 var="plain"
  ReadTimeout app.go:12:2 = 1m0s [app.go:12:22 "time.Minute"]`)
}
