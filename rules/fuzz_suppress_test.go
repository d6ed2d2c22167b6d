package rules

import (
	"strings"
	"testing"

	"github.com/hoplint/hoplint/internal/fuzzbound"
	"github.com/hoplint/hoplint/parsers"
	"github.com/hoplint/hoplint/topology"
	_ "github.com/hoplint/hoplint/topology/sources"
)

// FuzzSuppression parses arbitrary comment text as a suppression, and
// lints an nginx file holding it as a comment on each of its lines: the
// parser must not panic, must accept only known rules with a reason, and
// a suppression's finding must point into the file.
func FuzzSuppression(f *testing.F) {
	for _, s := range []string{
		" hoplint:ignore lingering-close-off -- we want it",
		" hoplint:ignore-file lingering-close-off,invalid-value -- generated",
		" hoplint:ignore lingering-close-off # note -- x",
		" hoplint:ignore nosuchrule -- x",
		" hoplint:ignore",
		" hoplint:ignored lingering-close-off",
		" hoplint:ignore \t,, -- ",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		fuzzbound.Check(t, func() {
			if len(text) > 1<<12 {
				return
			}
			s, bad := parseSuppression("a.conf", parsers.Comment{Line: 3, Col: 1, Text: text})
			if s != nil {
				if bad != "" {
					t.Fatalf("both a suppression and a problem: %q", bad)
				}
				if len(s.Rules) == 0 || strings.TrimSpace(s.Reason) == "" || s.To < s.From {
					t.Fatalf("accepted %q as %+v", text, s)
				}
				for _, id := range s.Rules {
					if Lookup(id) == nil {
						t.Fatalf("accepted unknown rule %q", id)
					}
				}
			}
			if strings.ContainsAny(text, "\n\r") {
				return
			}
			conf := "events {}\nhttp {\n    lingering_close off; #" + text + "\n    #" + text + "\n    client_max_body_size 1.5m;\n}\n"
			file := parsers.NewFile("nginx.conf", "/fuzz/nginx.conf", "/fuzz", parsers.FormatNginx, []byte(conf))
			g := topology.Build([]*parsers.File{file}, nil, nil, "/fuzz")
			for _, fd := range Run(g, nil, Options{}) {
				if fd.Range.File != "nginx.conf" || fd.Range.Start.Line < 1 || fd.Range.Start.Line > 6 {
					t.Fatalf("finding outside the file: %+v", fd)
				}
			}
		})
	})
}
