package node

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/hoplint/hoplint/internal/fuzzbound"
	"github.com/hoplint/hoplint/parsers"
)

// Deeply nested input must come back as a problem, quickly, in both
// languages: the JavaScript parser stops at its nesting limit; esbuild
// parses TypeScript without one, so its time is bounded here too.
func TestHostileNesting(t *testing.T) {
	deep := "const express = require('express');\nserver.keepAliveTimeout = " + strings.Repeat("(", 100000) + "1" + strings.Repeat(")", 100000) + ";\n"
	for _, name := range []string{"deep.js", "deep.ts"} {
		start := time.Now()
		r := parseString(t, name, deep)
		if d := time.Since(start); d > 5*time.Second {
			t.Errorf("%s: took %s", name, d)
		}
		if len(r.Problems) == 0 && (len(r.Servers) != 1 || r.Servers[0].Settings[0].Value.Kind != Unknown) {
			t.Errorf("%s: got %s", name, dump(r))
		}
	}
	// Nesting through constants stops at maxDepth.
	var b strings.Builder
	b.WriteString("const http = require('http'); const s = http.createServer();\nconst c0 = 1;\n")
	for i := 1; i < 500; i++ {
		b.WriteString("const c" + itoa(i) + " = c" + itoa(i-1) + " + 1;\n")
	}
	b.WriteString("s.keepAliveTimeout = c499;\n")
	r := parseString(t, "chain.js", b.String())
	if v := r.Servers[0].Setting("keepAliveTimeout").Value; v.Kind != Unknown {
		t.Errorf("a 500-step chain must stop: %+v", v)
	}
}

func itoa(i int) string {
	return strings.TrimSpace(strings.Repeat(" ", 0) + string(rune('0'+i/100)) + string(rune('0'+i/10%10)) + string(rune('0'+i%10)))
}

// A 16 MiB minified bundle is refused by size before any parse, and a
// bundle under the limit without server names by the prefilter.
func TestHostileBundle(t *testing.T) {
	var b bytes.Buffer
	for b.Len() < 16<<20 {
		b.WriteString("var a=function(e){return e.keepAliveTimeout=5e3,e.listen(80)};")
	}
	start := time.Now()
	r := Parse(parsers.NewFile("dist/bundle.js", "/x/dist/bundle.js", "/x", "", b.Bytes()))
	if d := time.Since(start); d > time.Second {
		t.Errorf("took %s", d)
	}
	if len(r.Problems) != 1 || r.Problems[0].Kind != parsers.ProblemSkipped {
		t.Errorf("got %+v", r.Problems)
	}
	plain := bytes.Repeat([]byte("var a=function(e){return e+1};"), (16<<20)/31)
	start = time.Now()
	r = Parse(parsers.NewFile("dist/vendor.js", "/x/dist/vendor.js", "/x", "", plain))
	if d := time.Since(start); d > time.Second || len(r.Problems) != 0 || len(r.Servers) != 0 {
		t.Errorf("a bundle naming no server setting must be passed over quietly: %s %+v", d, r.Problems)
	}
}

// Numbers that do not fit stay unknown rather than wrap or saturate.
func TestHostileNumbers(t *testing.T) {
	r := parseString(t, "n.js", `const http = require('http'); const s = http.createServer();
s.keepAliveTimeout = 1e400;
s.headersTimeout = 99999999999999999999999999n;
s.requestTimeout = 0xffffffffffffffffffffffff;
s.keepAliveTimeout = 1 / 0;
s.headersTimeout = -(2 ** 2000) + 2 ** 2000;
`)
	for _, st := range r.Servers[0].Settings {
		if st.Value.Kind != Unknown {
			t.Errorf("%s: got %+v", st.Name, st.Value)
		}
	}
}

// FuzzParse: any bytes, as JavaScript and as TypeScript, must give a result
// within bounds whose ranges lie inside the file.
func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"const http = require('http'); const s = http.createServer(); s.keepAliveTimeout = 65 * 1000; s.listen(process.env.PORT ?? 80)",
		"import Fastify from 'fastify'; const f = Fastify({ keepAliveTimeout: 65_000, bodyLimit: '1mb' }); f.listen({ port: 1 })",
		"const a = b; const b = a; server.keepAliveTimeout = a;",
		"app.use(express.json({ limit: '500kB' })); const app = express(); app.listen(3000)",
		"const app = await NestFactory.create<X>(M); app.getHttpServer().headersTimeout = Number(process.env.X || '1')",
	} {
		f.Add([]byte(s), false)
		f.Add([]byte(s), true)
	}
	f.Fuzz(func(t *testing.T, data []byte, ts bool) {
		fuzzbound.Check(t, func() {
			name := "a.js"
			if ts {
				name = "a.ts"
			}
			file := parsers.NewFile(name, "/x/"+name, "/x", "", data)
			r := Parse(file)
			n := file.NumLines()
			in := func(rg parsers.Range) {
				if rg.Start.Line < 1 || rg.Start.Line > n || rg.End.Line < rg.Start.Line || rg.End.Line > n {
					t.Fatalf("range outside the file (%d lines): %v", n, rg)
				}
			}
			for _, s := range r.Servers {
				in(s.Range)
				for _, st := range s.Settings {
					in(st.Range)
					in(st.Value.Range)
				}
			}
			for _, p := range r.Problems {
				in(p.Range)
			}
		})
	})
}
