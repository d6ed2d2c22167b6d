package compose

import (
	"strings"
	"testing"

	"github.com/hoplint/hoplint/parsers"
	"github.com/hoplint/hoplint/parsers/compose"
	"github.com/hoplint/hoplint/topology/appserver"
)

// FuzzTraefikConfig feeds hostile static configuration files, command
// lines and labels to the Traefik readers: they must never panic, and a
// duration they accept is never negative.
func FuzzTraefikConfig(f *testing.F) {
	f.Add("providers:\n  docker: {}\nserversTransport:\n  forwardingTimeouts:\n    idleConnTimeout: 30s\n", "--providers.docker --entrypoints.web.address=:80", "traefik.http.routers.a.middlewares=b@docker", "90")
	f.Add("- a\n- b", "--configFile", "traefik.http.middlewares..buffering.maxRequestBodyBytes=-1", "-5")
	f.Add("a: &x [*x]\n", "-- = =", "traefik.enable", "1h1m")
	f.Add("Label(`a`, `b`) || !(LabelRegex(`c`,`[`) && Label(\"d\",\"\"))", "--providers.docker.constraints=Label(`a`, `b`)", "a=b", "0")
	f.Fuzz(func(t *testing.T, file, cmd, label, dur string) {
		st := yamlStatic(parsers.NewFile("traefik.yml", "/r/traefik.yml", "/r", "", []byte(file)))
		_ = st.on("providers.docker")
		var items []appserver.Str
		for _, w := range strings.Fields(cmd) {
			items = append(items, appserver.Str{Value: w})
		}
		_ = traefikFlags(appserver.Words(items), "x")
		k, v, _ := strings.Cut(label, "=")
		s := &compose.Service{Labels: map[string]compose.String{k: {Value: v, Known: true, Set: true}}}
		ls := traefikLabelsOf(s)
		var routers []string
		for r := range ls.routers {
			routers = append(routers, r)
		}
		_ = bodyLimit(ls, routers, traefikMiddlewares(&project{p: &compose.Project{}, services: []*service{{s: s}}}))
		// The constraint expression is as hostile as the file.
		if m, known := matchConstraints(file, s.Labels); m && !known {
			t.Fatalf("a match hoplint does not know from %q", file)
		}
		if d, ok := traefikDuration(dur); ok && d < 0 {
			t.Fatalf("negative duration %v from %q", d, dur)
		}
	})
}
