package rules

import (
	"fmt"
	"strings"

	"github.com/hoplint/hoplint/parsers"
	"github.com/hoplint/hoplint/parsers/nginx"
	"github.com/hoplint/hoplint/topology"
)

var upstreamKeepaliveIneffective = &Rule{
	ID:       "upstream-keepalive-ineffective",
	Title:    "nginx pools upstream connections that the proxying location cannot reuse",
	Severity: Warning,
	Doc: `` + "`keepalive N`" + ` in an upstream block keeps idle connections to the backends
for reuse. Before nginx 1.29.7 the proxy module still speaks HTTP/1.0 and
sends ` + "`Connection: close`" + ` by default, so unless every location that proxies to
the upstream also says

    proxy_http_version 1.1;
    proxy_set_header Connection "";

each request still opens and closes its own connection: the pool stays empty,
and the latency, ephemeral-port and TIME_WAIT problems it was meant to fix
remain. A common trap is inheritance: ` + "`proxy_set_header`" + ` is inherited only by
a level that sets none, so a location that adds ` + "`proxy_set_header Host $host;`" + `
silently drops the ` + "`Connection \"\"`" + ` set in its server.

nginx 1.29.7 made HTTP/1.1 and an empty Connection header the default. When
the nginx version is unknown (set ` + "`versions: {nginx: \"1.24\"}`" + ` in .hoplint.yml),
hoplint reports only what breaks reuse in every version: an explicit
` + "`proxy_http_version 1.0`" + ` or an explicit ` + "`Connection close`" + `.`,
	Examples: []Example{
		{Name: "http/1.0 on nginx 1.24", Bad: true, Archive: `-- .hoplint.yml --
versions: {nginx: "1.24"}
-- nginx.conf --
events {}
http {
    upstream app {
        server 127.0.0.1:8000;
        keepalive 16;
    }
    server {
        listen 80;
        location / {
            client_max_body_size 10m;
            proxy_pass http://app;
        }
    }
}
`},
		{Name: "http/1.1 and no Connection header", Archive: `-- .hoplint.yml --
versions: {nginx: "1.24"}
-- nginx.conf --
events {}
http {
    upstream app {
        server 127.0.0.1:8000;
        keepalive 16;
    }
    server {
        listen 80;
        location / {
            client_max_body_size 10m;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_pass http://app;
        }
    }
}
`},
	},
	Run: runUpstreamKeepaliveIneffective,
}

func init() { Register(upstreamKeepaliveIneffective) }

func runUpstreamKeepaliveIneffective(p *Pass) {
	for _, nc := range nginxConfigs(p) {
		ups := nc.Model.UpstreamByName()
		before, known := topology.AtLeast(nc.Version, "1.29.7")
		before = known && !before
		version := "nginx " + nc.Version
		switch {
		case nc.Version != "" && nc.VersionFromImage:
			version += " (from " + nc.VersionFrom + ")"
		case nc.Version != "" && p.Config.File != "":
			version += " (from " + p.Config.File + ")"
		}
		for _, l := range nc.Model.Locations {
			if l.Pass == nil || l.Pass.Name != "proxy_pass" {
				continue
			}
			u := ups[nginx.UpstreamName(l.Pass)]
			if u == nil {
				continue
			}
			ka := u.Local("keepalive")
			if len(ka) == 0 {
				continue
			}
			if n, err := nginx.ParseNumber(ka[0].Arg(0)); err != nil || n == 0 {
				continue
			}
			if l.Opaque() {
				continue // an include hoplint could not read may set the headers
			}
			why, fix, related := reuseBlockers(l, before, version)
			related = append([]parsers.Related{relatedAt(ka[0].Range, "upstream "+u.Name+" pools connections here")}, related...)
			if len(why) == 0 {
				continue
			}
			p.Report(Finding{
				Range:   l.Pass.Range,
				Related: related,
				Message: fmt.Sprintf("upstream %s keeps a pool of idle connections (keepalive %s), but location %s cannot reuse them: %s. Every request still opens a new connection to the backend. Add %s to this location.",
					u.Name, ka[0].Arg(0), l.Match, strings.Join(why, ", and "), strings.Join(fix, " and ")),
			})
		}
	}
}

// reuseBlockers says why location l cannot reuse pooled upstream
// connections: it speaks HTTP/1.0 or asks the backend to close. before
// says the nginx version is known to be older than 1.29.7, where both are
// the defaults; version names it for messages. No reasons: l may reuse.
func reuseBlockers(l *nginx.Location, before bool, version string) (why, fix []string, related []parsers.Related) {
	switch hv := l.Last("proxy_http_version"); {
	case hv != nil && hv.Arg(0) == "1.0":
		why = append(why, "it sets proxy_http_version 1.0")
		related = append(related, relatedAt(hv.Range, "HTTP/1.0 here"))
		fix = append(fix, "proxy_http_version 1.1;")
	case hv == nil && before:
		why = append(why, "it speaks HTTP/1.0, the proxy_http_version default of "+version)
		fix = append(fix, "proxy_http_version 1.1;")
	}

	conn, connAt := connectionHeader(l.Scope)
	switch {
	case conn != nil && headerCloses(conn):
		why = append(why, fmt.Sprintf("it sets the Connection header to %s", conn.Arg(1)))
		related = append(related, relatedAt(conn.Range, "Connection header set here"))
		fix = append(fix, `proxy_set_header Connection "";`)
	case conn == nil && before:
		msg := "it sends Connection: close, the default of " + version
		if dropped := droppedConnection(connAt); dropped != nil {
			msg += fmt.Sprintf(" — the Connection header set at an outer level is not inherited, because this level sets its own proxy_set_header (%s)", connAt.Local("proxy_set_header")[0].Arg(0))
			related = append(related, relatedAt(dropped.Range, "not inherited by the location"))
		}
		why = append(why, msg)
		fix = append(fix, `proxy_set_header Connection "";`)
	}
	return why, fix, related
}

// poolNeverReused reports an nginx upstream hop whose pool no location can
// use: every location that proxies to it is blocked as above (what
// upstream-keepalive-ineffective reports). Such a pool stays empty, so
// there is no idle connection for the backend to close under it. An
// upstream that no location names, or a location with an include hoplint
// could not read, may reuse: false.
func poolNeverReused(p *Pass, h *topology.Hop) bool {
	u, ok := h.Config.(*nginx.Upstream)
	if !ok {
		return false
	}
	for _, nc := range nginxConfigs(p) {
		if nc.UpstreamHops[u] != h {
			continue
		}
		before, known := topology.AtLeast(nc.Version, "1.29.7")
		before = known && !before
		users := 0
		for _, l := range nc.Model.Locations {
			if l.Pass == nil || l.Pass.Name != "proxy_pass" || nginx.UpstreamName(l.Pass) != u.Name {
				continue
			}
			users++
			if why, _, _ := reuseBlockers(l, before, ""); len(why) == 0 || l.Opaque() {
				return false
			}
		}
		return users > 0
	}
	return false
}

// connectionHeader returns the effective proxy_set_header Connection of a
// location (nil when the effective set has none) and the scope whose
// proxy_set_header list is in effect (nil when no level sets any).
func connectionHeader(sc *nginx.Scope) (*nginx.Directive, *nginx.Scope) {
	for s := sc; s != nil; s = s.Parent {
		hs := s.Local("proxy_set_header")
		if len(hs) == 0 {
			continue
		}
		var conn *nginx.Directive
		for _, h := range hs {
			if strings.EqualFold(h.Arg(0), "Connection") {
				conn = h
			}
		}
		return conn, s
	}
	return nil, nil
}

// droppedConnection finds a Connection header set above the level whose
// proxy_set_header list is in effect: inheritance dropped it.
func droppedConnection(effective *nginx.Scope) *nginx.Directive {
	if effective == nil {
		return nil
	}
	for s := effective.Parent; s != nil; s = s.Parent {
		for _, h := range s.Local("proxy_set_header") {
			if strings.EqualFold(h.Arg(0), "Connection") {
				return h
			}
		}
	}
	return nil
}

// headerCloses reports a literal Connection value that asks the backend to
// close ("close", or "Close, TE"); a variable is unknown and not reported.
func headerCloses(d *nginx.Directive) bool {
	v := strings.ToLower(d.Arg(1))
	return !strings.Contains(v, "$") && strings.Contains(v, "close")
}
