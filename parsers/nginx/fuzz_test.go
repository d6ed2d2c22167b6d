package nginx

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/hoplint/hoplint/internal/fuzzbound"
	"github.com/hoplint/hoplint/parsers"
)

// FuzzParse feeds arbitrary bytes through everything the nginx front end
// does with a file: parse, validate, expand includes (against an in-memory
// set of files, including itself, to exercise cycle detection) and build
// the model. Nothing may panic or hang.
func FuzzParse(f *testing.F) {
	// Seeds: our own fixtures, committed, and the real-world corpus beside
	// the repository when it is there (read in place, never copied in).
	seeds, _ := filepath.Glob("testdata/seeds/*.conf")
	_ = filepath.Walk(filepath.Join("..", "..", "..", "shared", "corpus"), func(p string, info os.FileInfo, err error) error {
		if err == nil && !info.IsDir() && parsers.Classify(filepath.ToSlash(p), nil) == parsers.FormatNginx || filepath.Ext(p) == ".conf" {
			seeds = append(seeds, p)
		}
		return nil
	})
	for _, s := range seeds {
		data, err := os.ReadFile(s)
		if err == nil {
			f.Add(data)
		}
	}
	f.Add([]byte("events {}\nhttp { server { listen 80; location / { proxy_pass http://a; } } }\n"))
	// Template markup of each engine, which ParseFile neutralises in place.
	f.Add([]byte("http {\n{% if a %}\nserver { listen {{ port }};\n{% else %}\nserver {\n{% endif %}\n<%= @x %>\n<% if y %>sendfile <%= @s %>;<% end %>\n{{ if .Env.A }}include {{ .Env.F }};{{ end }}\n> if k then\nlisten ${{P}} $(x);\n> end\nindex {IDX};\n}\n}\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		fuzzbound.Check(t, func() {
			file := parsers.NewFile("nginx.conf", "/fuzz/nginx.conf", "/fuzz", parsers.FormatNginx, data)
			pf, _ := ParseFile(file)
			_ = Validate(pf)
			c := Load(pf, func(abs string) (*File, error) {
				if abs == "/fuzz/nginx.conf" || abs == "/fuzz/self.conf" {
					return pf, nil
				}
				return nil, errors.New("no such file")
			})
			m := c.Build()
			for _, l := range m.Locations {
				_ = l.Opaque()
				_ = l.Lookup("proxy_set_header")
			}
			for _, d := range c.Directives {
				for i := range d.Args {
					_ = d.ArgRange(i)
				}
			}
		})
	})
}
