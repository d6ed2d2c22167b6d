package appserver_test

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hoplint/hoplint/config"
	"github.com/hoplint/hoplint/internal/linttest"
	"github.com/hoplint/hoplint/topology"
)

// appCorpus pins what hoplint reads of the app servers of corpus
// repositories (CLASSES.md classes 7, 17, 18 and 19), each checked by hand
// against the files. None of these gives a finding of its own: no proxy
// in the tree stands in front of these servers, or the limits are unknown.
var appCorpus = []struct {
	dir, hop string
	// want describes the hop's settings, as check renders them.
	want string
	why  string
}{
	{"healthchecks__healthchecks", "uWSGI in compose service web",
		"keepalive=unknown body=unknown request=10s@healthchecks__healthchecks/docker/uwsgi.ini:11",
		"the compose command runs `uwsgi /opt/healthchecks/docker/uwsgi.ini`, the file docker/uwsgi.ini of the repository: harakiri = 10 (line 11); no limit-post; uWSGI's keep-alive is not derived"},
	{"dotnet-architecture__eShopOnContainers/src", "Kestrel (ASP.NET Core) in compose service basket-api",
		"keepalive=unknown body=unknown request=unknown",
		"Basket.API's Dockerfile runs `dotnet Basket.API.dll` in mcr.microsoft.com/dotnet/aspnet, but the corpus holds no Basket.API.csproj: the project, its appsettings and its code are not known, so Kestrel's defaults are not assumed"},
}

func TestAppCorpus(t *testing.T) {
	corpus := linttest.CorpusDir(t)
	for _, c := range appCorpus {
		g, err := topology.Load([]string{c.dir}, &config.Config{}, corpus)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, h := range g.Hops {
			if h.Name == c.hop {
				got = append(got, describe(h))
			}
		}
		if len(got) != 1 || got[0] != c.want {
			t.Errorf("%s: %s: got %q, want %q (%s)", c.dir, c.hop, got, c.want, c.why)
		}
	}
}

func describe(h *topology.Hop) string {
	d := func(s topology.Duration) string {
		if !s.Known() {
			return "unknown"
		}
		out := s.Value.String()
		if s.Value%time.Second == 0 {
			out = topology.FormatDuration(s.Value)
		}
		return out + "@" + strings.TrimPrefix(s.Range.File, "./") + ":" + strconv.Itoa(s.Range.Start.Line)
	}
	b := "unknown"
	if h.BodyLimit.Known() {
		b = topology.FormatSize(h.BodyLimit.Value) + "@" + h.BodyLimit.Range.File + ":" + strconv.Itoa(h.BodyLimit.Range.Start.Line)
	}
	return "keepalive=" + d(h.KeepAlive) + " body=" + b + " request=" + d(h.UpstreamTimeout)
}
