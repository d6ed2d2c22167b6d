package topology

import (
	"strings"
	"testing"
	"time"

	"github.com/hoplint/hoplint/parsers"
)

// An httpd.conf held in a ConfigMap: positions land in the YAML file, and
// its includes (paths in the container) are not followed.
func TestApacheEmbedded(t *testing.T) {
	conf := "Listen 8080\n<VirtualHost *:8080>\n  ServerName web\n  Include /usr/local/apache2/conf/extra.conf\n  ProxyPass / http://app:8000/ ttl=30\n</VirtualHost>\n"
	f := parsers.NewFile("k8s/httpd.yaml", "/x/k8s/httpd.yaml", "/x", parsers.FormatApache, []byte(conf))
	f.Shift = parsers.Pos{Line: 10, Col: 4}
	part := &Graph{}
	hops := loadApacheEmbedded(part, f, &Env{})
	if len(hops) != 1 || hops[0].Kind != KindApacheVHost {
		t.Fatalf("hops = %+v", hops)
	}
	h := hops[0]
	if h.Range.File != "k8s/httpd.yaml" || h.Range.Start.Line != 12 || h.Range.Start.Col != 5 {
		t.Errorf("vhost range = %v, want k8s/httpd.yaml:12:5", h.Range)
	}
	if len(h.Listen) != 1 || h.Listen[0].Port != 8080 {
		t.Errorf("listen = %+v", h.Listen)
	}
	out := part.Out(h)
	if len(out) != 1 {
		t.Fatalf("edges = %d", len(out))
	}
	b := out[0].To
	if b.Kind != KindApacheBackend || b.PoolIdle.Value != 30*time.Second || b.PoolIdle.Range.Start.Line != 15 {
		t.Errorf("backend = %+v pool %+v", b, b.PoolIdle)
	}
	if len(b.Targets) != 1 || b.Targets[0].Host != "app" || b.Targets[0].Port != 8000 {
		t.Errorf("targets = %+v", b.Targets)
	}
	found := false
	for _, p := range part.Problems {
		if p.Kind == parsers.ProblemUnfollowed && strings.Contains(p.Message, "embedded") && p.Range.Start.Line == 14 {
			found = true
		}
	}
	if !found {
		t.Errorf("include not reported as unfollowed: %+v", part.Problems)
	}
	if len(part.Configs[parsers.FormatApache]) != 1 {
		t.Error("config not recorded")
	}
}
