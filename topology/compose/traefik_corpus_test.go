package compose_test

import (
	"fmt"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/hoplint/hoplint/internal/linttest"
	"github.com/hoplint/hoplint/rules"
	"github.com/hoplint/hoplint/topology"
)

// The compose folders of ../shared/corpus (CLASSES.md class 10) where a
// proxy is configured by labels or environment: Traefik's Docker
// provider, nginx-proxy's VIRTUAL_HOST.
var labelProxyCorpusDirs = []string{
	"fastapi__full-stack-fastapi-template",
	"miniflux__v2/contrib/docker-compose",
	"authelia__authelia/examples/compose",
	"pixelfed__pixelfed",
	"nginx-proxy__nginx-proxy",
	"socketio__socket.io/examples/cluster-traefik",
}

// corpusLabelProxyHops pins the route hops the labels make: "DIR | hop ID
// | pool body -> target". Hand checks below.
var corpusLabelProxyHops = `
authelia__authelia/examples/compose | examples/compose/lite/compose.yml#services/authelia/traefik/traefik | pool=90s(default) body=unknown -> compose service authelia
authelia__authelia/examples/compose | examples/compose/lite/compose.yml#services/public/traefik/traefik | pool=90s(default) body=unknown -> compose service public
authelia__authelia/examples/compose | examples/compose/lite/compose.yml#services/secure/traefik/traefik | pool=90s(default) body=unknown -> compose service secure
authelia__authelia/examples/compose | examples/compose/local/compose.yml#services/authelia/traefik/traefik | pool=90s(default) body=unknown -> compose service authelia
authelia__authelia/examples/compose | examples/compose/local/compose.yml#services/public/traefik/traefik | pool=90s(default) body=unknown -> compose service public
authelia__authelia/examples/compose | examples/compose/local/compose.yml#services/secure/traefik/traefik | pool=90s(default) body=unknown -> compose service secure
authelia__authelia/examples/compose | examples/compose/production/compose.yml#services/authelia/traefik/traefik | pool=90s(default) body=unknown -> compose service authelia
authelia__authelia/examples/compose | examples/compose/production/compose.yml#services/public/traefik/traefik | pool=90s(default) body=unknown -> compose service public
authelia__authelia/examples/compose | examples/compose/production/compose.yml#services/secure/traefik/traefik | pool=90s(default) body=unknown -> compose service secure
fastapi__full-stack-fastapi-template | compose.yml#services/adminer/traefik/proxy | pool=90s(default) body=unknown -> compose service adminer
fastapi__full-stack-fastapi-template | compose.yml#services/backend/traefik/proxy | pool=90s(default) body=unknown -> compose service backend
nginx-proxy__nginx-proxy | docker-compose.yml#services/whoami/nginx-proxy/nginx-proxy | pool=60s(default) body=1m(default) -> compose service whoami
pixelfed__pixelfed | docker-compose.yml#services/web/nginx-proxy/proxy | pool=60s(default) body=unknown -> compose service web
socketio__socket.io/examples/cluster-traefik | examples/cluster-traefik/docker-compose.yml#services/server/traefik/traefik | pool=90s(default) body=unknown -> Node.js http server in compose service server
`

// Hand checks of the hop list:
//   - authelia lite/local/production: traefik:v3.6.13 with
//     --providers.docker=true and exposedByDefault=false; authelia, secure
//     and public say traefik.enable 'true' and share network net with it;
//     redis has no label; Traefik's own router goes to api@internal (no
//     hop). No buffering middleware (forwardAuth only): body unknown.
//   - fastapi: traefik:3.6, --providers.docker, exposedbydefault=false;
//     adminer and backend are enabled (ports 8080 and 8000 by label), db
//     is not. compose.deploy.yml alone names no image for the proxy: no
//     Traefik there.
//   - nginx-proxy's own docker-compose.yml: image nginxproxy/nginx-proxy
//     with no tag (assumed 1.7 or later: keepalive on, nginx's 60s), no
//     vhost.d or conf.d mounted: nginx's 1m.
//   - pixelfed: nginxproxy/nginx-proxy:1.4 and the label keepalive 30 on
//     web (a count, so on since 1.3.0; nginx's 60s). vhost.d and conf.d
//     come from ${DOCKER_ALL_HOST_CONFIG_ROOT_PATH} (no value) and are
//     also written by proxy-acme and web: body unknown.
//   - socket.io cluster-traefik: traefik:2.4 reads traefik.yml (docker: {},
//     exposedByDefault left true); server has router labels, redis says
//     traefik.enable=false.
//   - miniflux: contrib/docker-compose/traefik.yml is named like no compose
//     file, so discovery does not read it (no hops).

// corpusLabelProxyFindings pins the findings on those hops (a finding
// whose message names a Traefik router or an nginx-proxy virtual host),
// each checked by hand.
var corpusLabelProxyFindings = `
nginx-proxy__nginx-proxy/docker-compose.yml:16 missing-body-size-limit
	# true: VIRTUAL_HOST=whoami.example, nothing in vhost.d or conf.d, and nginx.tmpl writes no
	# client_max_body_size, so uploads over 1m get 413 from nginx-proxy
socketio__socket.io/examples/cluster-traefik/server/index.js:4 keepalive-order
	# true: traefik:2.4 (traefik.yml sets no serversTransport) pools idle connections 90s; server/Dockerfile
	# FROM node:14-alpine, npm start runs index.js, whose http.createServer keeps Node's 5 s keepAliveTimeout
`

func TestLabelProxyCorpus(t *testing.T) {
	corpus := linttest.CorpusDir(t)
	var hops, found []string
	for _, dir := range labelProxyCorpusDirs {
		repo, sub, _ := strings.Cut(dir, "/")
		if sub == "" {
			sub = "."
		}
		g, err := topology.Load([]string{sub}, nil, filepath.Join(corpus, repo))
		if err != nil {
			t.Fatal(err)
		}
		for _, h := range g.Hops {
			if h.Kind != topology.KindTraefikRoute && h.Kind != topology.KindNginxProxy {
				continue
			}
			var to []string
			for _, e := range g.Out(h) {
				to = append(to, e.To.Name)
			}
			hops = append(hops, fmt.Sprintf("%s | %s | pool=%s body=%s -> %s", dir, h.ID, durWords(h.PoolIdle), sizeWords(h.BodyLimit), strings.Join(to, ", ")))
		}
		for _, f := range rules.Run(g, nil, rules.Options{}) {
			if strings.Contains(f.Message, "Traefik") || strings.Contains(f.Message, "nginx-proxy") {
				found = append(found, fmt.Sprintf("%s/%s:%d %s", repo, f.Range.File, f.Range.Start.Line, f.Rule))
			}
		}
	}
	check := func(what string, got []string, pinned string) {
		var want []string
		for _, l := range strings.Split(pinned, "\n") {
			if l = strings.TrimSpace(l); l != "" && !strings.HasPrefix(l, "#") {
				want = append(want, l)
			}
		}
		sort.Strings(got)
		sort.Strings(want)
		if strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Errorf("label-proxy corpus %s changed; check each by hand, then update the list.\ngot:\n%s\nwant:\n%s", what, strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
	}
	check("hops", hops, corpusLabelProxyHops)
	check("findings", found, corpusLabelProxyFindings)
}

func durWords(s topology.Duration) string {
	if !s.Known() {
		return "unknown"
	}
	w := topology.FormatDuration(s.Value)
	if s.IsDefault() {
		w += "(default)"
	}
	return w
}

func sizeWords(s topology.Size) string {
	if !s.Known() {
		return "unknown"
	}
	w := topology.FormatSize(s.Value)
	if s.IsDefault() {
		w += "(default)"
	}
	return w
}
