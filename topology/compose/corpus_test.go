package compose_test

import (
	"fmt"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/hoplint/hoplint/config"
	"github.com/hoplint/hoplint/internal/linttest"
	"github.com/hoplint/hoplint/rules"
	"github.com/hoplint/hoplint/topology"
)

// composeCorpus pins every finding hoplint reports on the corpus
// repositories whose path runs through docker-compose and Dockerfiles
// (CLASSES.md classes 7, 10 and 11), each checked by hand against the
// files (the comment above it says why it is true).
var composeCorpus = map[string]string{
	"docker__awesome-compose": `
# proxy/Dockerfile COPYs conf into nginx:1.13-alpine's conf.d; the stock
# nginx.conf sets no client_max_body_size, so uploads over 1m get 413.
docker__awesome-compose/nginx-flask-mysql/proxy/conf:4 missing-body-size-limit
# nginx/Dockerfile COPYs this nginx.conf into nginx:1.21; no
# client_max_body_size anywhere.
docker__awesome-compose/nginx-nodejs-redis/nginx/nginx.conf:9 missing-body-size-limit
# nginx/Dockerfile COPYs nginx.conf, whose include conf.d/*.conf finds
# nothing in the image: start.sh envsubsts /tmp/default.conf there at start.
docker__awesome-compose/nginx-wsgi-flask/nginx/nginx.conf:48 include-not-followed
`,
	"socketio__socket.io": `
# httpd:2.4-alpine runs the bind-mounted httpd.conf, no LimitRequestBody.
socketio__socket.io/examples/cluster-httpd/httpd.conf:2 missing-body-size-limit
# No stream-cut-by-timeout for ProxyTimeout 60 on the ws:// members' tunnels: index.js
# creates a Socket.IO server, which pings every 25 s (pingInterval's default), so the tunnel is
# never silent for 60 s (the file's own comment sizes the timeout for that).
# RewriteRule [P] to balancer://nodes_polling: each http:// BalancerMember pools with no ttl in
# front of server-NAME's Node 14 (node:14-alpine, npm start → index.js), 5 s keepAliveTimeout.
# The ws:// members tunnel, and httpd closes a tunnel's connection: no finding for them.
socketio__socket.io/examples/cluster-httpd/server/index.js:4 keepalive-order
socketio__socket.io/examples/cluster-httpd/server/index.js:4 keepalive-order
socketio__socket.io/examples/cluster-httpd/server/index.js:4 keepalive-order
socketio__socket.io/examples/cluster-httpd/server/index.js:4 keepalive-order
# nginx:alpine runs the bind-mounted nginx.conf: no client_max_body_size. Its WebSockets
# pass through proxy_read_timeout's 60 s default, but Socket.IO pings every 25 s: no
# stream-cut-by-timeout (it was reported, falsely, before hoplint read the pings).
socketio__socket.io/examples/cluster-nginx/nginx.conf:13 missing-body-size-limit
# traefik:2.4 (traefik.yml sets no serversTransport) pools idle connections 90s; server/Dockerfile
# FROM node:14-alpine, npm start runs index.js, whose http.createServer keeps Node's 5 s keepAliveTimeout
socketio__socket.io/examples/cluster-traefik/server/index.js:4 keepalive-order
`,
	"LemmyNet__lemmy-ansible": `
# Jinja tags ({{ lemmy_port }}, {% if %}): a template, not a broken file.
LemmyNet__lemmy-ansible/templates/docker-compose.yml:12 skipped-file
LemmyNet__lemmy-ansible/templates/nginx_internal.conf:69 include-not-followed
LemmyNet__lemmy-ansible/templates/nginx_internal.conf:91 include-not-followed
`,
	"healthchecks__healthchecks": `
# docker/.env is not in the repository: ${DB_NAME}, ${DB_PASSWORD} and the
# env_file's variables are unknown.
healthchecks__healthchecks/docker/docker-compose.yml:10 include-not-followed
healthchecks__healthchecks/docker/docker-compose.yml:19 include-not-followed
`,
	"maybe-finance__maybe": `
# No .env beside compose.example.yml: ${OPENAI_ACCESS_TOKEN} is unknown.
maybe-finance__maybe/compose.example.yml:45 include-not-followed
`,
	"spring-petclinic__spring-petclinic-microservices": `
# No .env: the OpenAI variables of genai-service are unknown.
spring-petclinic__spring-petclinic-microservices/docker-compose.yml:87 include-not-followed
`,
	"TrafeX__docker-php-nginx": `
# The image's nginx runs config/conf.d/default.conf (COPYed by the
# Dockerfile); no client_max_body_size anywhere, so the PHP location (and
# fpm-status, folded into it) forwards bodies up to nginx's 1m default.
TrafeX__docker-php-nginx/config/conf.d/default.conf:27 missing-body-size-limit
# No .env: ${IMAGE_NAME} and ${IMAGE_TAG} of the test compose file are unknown.
TrafeX__docker-php-nginx/docker-compose.test.yml:3 include-not-followed
`,
	"paperless-ngx__paperless-ngx": `
# docker-compose.portainer.yml's env_file stack.env is not in the repository.
paperless-ngx__paperless-ngx/docker/compose/docker-compose.portainer.yml:60 include-not-followed
`,
	"Unidata__tomcat-docker": ``,
	"mealie-recipes__mealie": ``,
}

// composeLinks are edges the corpus must show: proxies reaching compose
// services by name through configurations bind-mounted or COPYed.
var composeLinks = []struct{ dir, from, to string }{
	{"docker__awesome-compose/nginx-flask-mysql", `nginx location / of server localhost \(port 80\)`, `compose service backend`},
	{"docker__awesome-compose/nginx-flask-mysql", `nginx 1\.13 in compose service proxy`, `nginx server localhost \(port 80\)`},
	{"socketio__socket.io/examples/cluster-nginx", `nginx upstream nodes`, `(Node\.js.* in )?compose service server-(john|paul|george|ringo)`},
}

func TestComposeCorpus(t *testing.T) {
	corpus := linttest.CorpusDir(t)
	repos := make([]string, 0, len(composeCorpus))
	for r := range composeCorpus {
		repos = append(repos, r)
	}
	sort.Strings(repos)
	for _, repo := range repos {
		g, err := topology.Load([]string{repo}, &config.Config{}, corpus)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, f := range rules.Run(g, &config.Config{}, rules.Options{}) {
			got = append(got, fmt.Sprintf("%s:%d %s", filepath.ToSlash(f.Range.File), f.Range.Start.Line, f.Rule))
		}
		sort.Strings(got)
		var want []string
		for _, l := range strings.Split(composeCorpus[repo], "\n") {
			if l = strings.TrimSpace(l); l != "" && !strings.HasPrefix(l, "#") {
				want = append(want, l)
			}
		}
		sort.Strings(want)
		if strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Errorf("%s: findings changed; check each by hand, then update the list.\ngot:\n%s\nwant:\n%s", repo, strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
	}
	for _, l := range composeLinks {
		g, err := topology.Load([]string{l.dir}, &config.Config{}, corpus)
		if err != nil {
			t.Fatal(err)
		}
		from, to := regexp.MustCompile("^(?:"+l.from+")$"), regexp.MustCompile("^(?:"+l.to+")$")
		n := 0
		for _, e := range g.Edges {
			if from.MatchString(e.From.Name) && to.MatchString(e.To.Name) {
				n++
			}
		}
		if n == 0 {
			t.Errorf("%s: no link %s → %s", l.dir, l.from, l.to)
		}
	}
}

// TestComposeCorpusLimits pins what the limit rules read of a real compose
// file: every service of spring-petclinic-microservices sets
// deploy.resources.limits.memory (512M for the Java services, 256M for
// Grafana and Prometheus; compose's M is MiB), and none is reported: no
// -Xmx or reservation exceeds them, and a compose service without a limit
// would not be reported either (see missing-memory-limit's doc).
func TestComposeCorpusLimits(t *testing.T) {
	corpus := linttest.CorpusDir(t)
	g, err := topology.Load([]string{"spring-petclinic__spring-petclinic-microservices"}, &config.Config{}, corpus)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]int64{
		"config-server": 512, "discovery-server": 512, "customers-service": 512, "visits-service": 512,
		"vets-service": 512, "genai-service": 512, "api-gateway": 512, "tracing-server": 512,
		"admin-server": 512, "grafana-server": 256, "prometheus-server": 256,
	}
	got := map[string]int64{}
	for _, h := range g.Hops {
		rh, ok := h.Config.(topology.ResourceHolder)
		if !ok {
			continue
		}
		r := rh.Resources()
		name := strings.TrimPrefix(r.Words, "compose service ")
		if r.MemoryLimit == nil {
			t.Errorf("%s: no memory limit read", r.Words)
			continue
		}
		if r.MemoryLimit.Key != "deploy.resources.limits.memory" || r.NoMemoryLimit != "" {
			t.Errorf("%s: limit read as %+v (no-limit reason %q)", r.Words, r.MemoryLimit, r.NoMemoryLimit)
		}
		got[name] = r.MemoryLimit.N >> 20
	}
	for svc, mib := range want {
		if got[svc] != mib {
			t.Errorf("%s: memory limit %d MiB, want %d", svc, got[svc], mib)
		}
	}
}
