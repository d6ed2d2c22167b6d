package topology_test

import (
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/hoplint/hoplint/config"
	"github.com/hoplint/hoplint/internal/linttest"
	"github.com/hoplint/hoplint/parsers"
	"github.com/hoplint/hoplint/topology"
)

// knownBroken lists the corpus's deliberate nginx errors: crossplane's
// include test tree has a server that includes bar.conf, which does not
// exist beside nginx.conf, so nginx itself refuses the configuration.
var knownBroken = map[string]string{
	"nginxinc__nginx-go-crossplane/testdata/configs/includes-regular/conf.d/server.conf:5": "include bar.conf",
	// A compose file (its path holds "nginx" through the repository's
	// name): environment: with nothing under it is null, which docker
	// compose refuses.
	"nginx-proxy__nginx-proxy/docker-compose-separate-containers.yml:36": "must be a mapping",
}

// neverRead are files crossplane's test trees mark "this file should never
// be included": nginx would not read them, so hoplint must not either.
var neverRead = []string{
	"nginxinc__nginx-go-crossplane/testdata/configs/includes-regular/conf.d/foo.conf",
	"nginxinc__nginx-go-crossplane/testdata/configs/includes-regular/conf.d/bar.conf",
	"nginxinc__nginx-go-crossplane/testdata/configs/includes-globbed/servers/locations/not-included.conf",
}

// TestNginxCorpus lints each corpus repository as a user would (one
// directory, one run) and requires that every nginx file parses.
func TestNginxCorpus(t *testing.T) {
	corpus := linttest.CorpusDir(t)
	repos, err := os.ReadDir(corpus)
	if err != nil {
		t.Fatal(err)
	}
	nginxFiles := 0
	for _, r := range repos {
		if !r.IsDir() {
			continue
		}
		g, err := topology.Load([]string{r.Name()}, &config.Config{}, corpus)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range g.Problems {
			if p.Kind != parsers.ProblemParse {
				continue
			}
			key := p.Range.File + ":" + strconv.Itoa(p.Range.Start.Line)
			if want, ok := knownBroken[key]; ok && strings.Contains(p.Message, want) {
				delete(knownBroken, key)
				continue
			}
			if strings.HasSuffix(p.Range.File, ".conf") || strings.Contains(p.Range.File, "nginx") {
				t.Errorf("%s: %s", key, p.Message)
			}
		}
		explained := map[string]bool{}
		for _, p := range g.Problems {
			if p.Kind == parsers.ProblemParse || p.Kind == parsers.ProblemSkipped {
				explained[p.Range.File] = true
			}
		}
		unfollowed := map[string]bool{}
		for _, p := range g.Problems {
			if p.Kind == parsers.ProblemUnfollowed {
				unfollowed[p.Range.File] = true
			}
		}
		for _, c := range g.Configs[parsers.FormatNginx] {
			nc := c.(*topology.NginxConfig)
			// No file is silently empty: a configuration with nothing read
			// says why (a parse error, a template).
			if len(nc.Directives) == 0 && !explained[nc.Main.Path] && strings.TrimSpace(stripComments(nc.Main.Bytes())) != "" {
				t.Errorf("%s: read as empty nginx, with no finding saying why", nc.Main.Path)
			}
			// Nor is a main file whose servers are all elsewhere (zulip's
			// include /etc/nginx/sites-enabled/*; awesome-compose's and the
			// tutorials' default.conf copied into conf.d/ at build time).
			if !nc.Fragment && len(nc.Model.Servers) == 0 && len(nc.Directives) > 0 && !explained[nc.Main.Path] && !unfollowed[nc.Main.Path] {
				t.Errorf("%s: an nginx configuration with no server, with no finding saying why", nc.Main.Path)
			}
			for _, f := range nc.Files {
				nginxFiles++
				for _, never := range neverRead {
					if f.Path == never {
						t.Errorf("%s read %s, which nginx never reads", nc.Main.Path, never)
					}
				}
			}
		}
	}
	for k := range knownBroken {
		t.Errorf("%s: expected parse error not reported", k)
	}
	if nginxFiles < 40 {
		t.Errorf("only %d nginx files read from the corpus; discovery or includes are broken", nginxFiles)
	}
}

func stripComments(data []byte) string {
	var b strings.Builder
	for _, line := range strings.Split(string(data), "\n") {
		if t := strings.TrimSpace(line); t != "" && !strings.HasPrefix(t, "#") {
			b.WriteString(t)
		}
	}
	return b.String()
}
