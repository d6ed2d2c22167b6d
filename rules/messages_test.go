package rules_test

import (
	"strings"
	"testing"

	"golang.org/x/tools/txtar"

	"github.com/hoplint/hoplint/internal/linttest"
	"github.com/hoplint/hoplint/rules"
)

// lintMessages lints an archive and returns the messages of one rule.
func lintMessages(t *testing.T, archive, rule string) []string {
	t.Helper()
	findings, _, _ := linttest.Lint(t, txtar.Parse([]byte(archive)))
	var out []string
	for _, f := range findings {
		if f.Rule == rule {
			out = append(out, f.Message)
		}
	}
	return out
}

// A CPU limit under 10m is less than one millisecond per 100 ms period:
// the message said "0 ms" for 5m.
func TestCPUMessageFractionOfMillisecond(t *testing.T) {
	// The rule's own Bad example sets cpu: 5m.
	var archive string
	for _, ex := range rules.Lookup("cpu-limit-too-small").Examples {
		if ex.Name == "5m" && ex.Bad {
			archive = ex.Archive
		}
	}
	if archive == "" {
		t.Fatal("cpu-limit-too-small has no Bad example named 5m")
	}
	msgs := lintMessages(t, archive, "cpu-limit-too-small")
	if len(msgs) != 1 || !strings.Contains(msgs[0], "5m (0.5 ms of CPU per 100 ms)") {
		t.Errorf("want one message naming 0.5 ms of CPU; got %q", msgs)
	}
}

// An Apache main server's name already ends with its file: the link's
// reason must not name the file a second time.
func TestLinkNoteNamesFileOnce(t *testing.T) {
	const archive = `-- ci/httpd.conf --
Listen 8080
KeepAliveTimeout 5
ProxyPass / http://127.0.0.1:9000/
-- nginx.conf --
events {}
http {
    upstream app { server 127.0.0.1:8080; keepalive 8; keepalive_timeout 60s; }
    server {
        listen 80;
        client_max_body_size 10m;
        location / {
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_pass http://app;
        }
    }
}
`
	findings, g, _ := linttest.Lint(t, txtar.Parse([]byte(archive)))
	seen := false
	for _, e := range g.Edges {
		if strings.Contains(e.Why, "Apache main server") {
			seen = true
			if strings.Count(e.Why, "(ci/httpd.conf)") != 1 {
				t.Errorf("link reason names the file other than once: %q", e.Why)
			}
		}
	}
	if !seen {
		t.Fatal("no link to the Apache main server")
	}
	for _, f := range findings {
		for _, r := range f.Related {
			if strings.Contains(r.Message, "(ci/httpd.conf) (ci/httpd.conf)") {
				t.Errorf("%s: related note names the file twice: %q", f.Rule, r.Message)
			}
		}
	}
}
