package rules

import (
	"fmt"
	"time"

	"github.com/hoplint/hoplint/parsers"
	"github.com/hoplint/hoplint/parsers/nginx"
	"github.com/hoplint/hoplint/parsers/openapi"
	"github.com/hoplint/hoplint/topology"
)

var streamCutByTimeout = &Rule{
	ID:       "stream-cut-by-timeout",
	Title:    "a streaming route sits behind a hop that closes quiet responses",
	Severity: Warning,
	Doc: `A route that streams its response (` + "`text/event-stream`" + ` server-sent events,
` + "`application/x-ndjson`" + `, a websocket upgrade) keeps the response open and sends
data in pieces, often with long pauses. The hops in front of it do not
know that: each has a timer for the gap between two pieces of a response,
and closes the connection when it expires:

- nginx ` + "`proxy_read_timeout`" + ` (default 60s) "is set only between two successive
  read operations"; when the backend sends nothing for that long, nginx
  closes the connection. With ` + "`proxy_buffering on`" + ` (the default) events may
  also wait in nginx's buffers before they reach the client.
- An AWS Application Load Balancer's ` + "`idle_timeout`" + ` (default 60 s) closes a
  connection on which no data was sent or received for that long.
- A CloudFront origin's ` + "`origin_read_timeout`" + ` (default 30 s, at most 60 s, 180 s
  with a quota increase) is also the wait for each next packet.
- ingress-nginx ` + "`proxy-read-timeout`" + ` and Apache ` + "`ProxyTimeout`" + ` (default ` + "`Timeout`" + `, 60 s)
  behave the same way.

hoplint reads which routes stream from the OpenAPI spec and reports every
such timer in front of them that is at most ` + "`longest-silence`" + ` (60s by
default: how long a stream may go without a byte). Raise the timeout for
the streaming routes (an nginx location of their own with
` + "`proxy_read_timeout 1h; proxy_buffering off;`" + `), or make the application send a
heartbeat (an SSE comment line, ` + "`: ping`" + `) more often than the shortest timer.`,
	Params: []Param{{Name: "longest-silence", Default: "60s",
		Doc: "how long a stream may go without sending anything; timers at or below it are reported"}},
	Run: runStreamCutByTimeout,
}

func init() { Register(streamCutByTimeout) }

func runStreamCutByTimeout(p *Pass) {
	silence, err := time.ParseDuration(p.Param("longest-silence"))
	if err != nil || silence <= 0 {
		silence = 60 * time.Second
	}
	type hit struct {
		f     front
		route *topology.Hop
		s     openapi.Stream
		more  int
	}
	type key struct {
		r    parsers.Range
		name string
	}
	var order []key
	hits := map[key]*hit{}
	for _, rh := range specRoutes(p.Graph) {
		if len(rh.r.Streams) == 0 {
			continue
		}
		for _, f := range routeFronts(p.Graph, rh.h) {
			t := f.hop.UpstreamTimeout
			if !t.Known() || t.Value == topology.Forever || t.Value > silence {
				continue
			}
			k := key{t.Range, t.Name}
			if h := hits[k]; h != nil {
				h.more++
				continue
			}
			hits[k] = &hit{f: f, route: rh.h, s: rh.r.Streams[0]}
			order = append(order, k)
		}
	}
	for _, k := range order {
		h := hits[k]
		a, t := h.f.hop, h.f.hop.UpstreamTimeout
		others := ""
		if h.more > 0 {
			others = fmt.Sprintf(" (and %d more streaming %s behind it)", h.more, plural(h.more, "route", "routes"))
		}
		buffering := ""
		if nginxBuffers(a) {
			buffering = " proxy_buffering is on there (the nginx default), so events may also wait in nginx's buffers: set proxy_buffering off for that location, or have the application send X-Accel-Buffering: no."
		}
		words := ""
		if h.f.link != nil {
			words = linkWords(h.f.link)
		}
		related := append([]parsers.Related{relatedAt(h.s.Range, fmt.Sprintf("%s answers %s here", specFile(h.route), h.s.What))}, t.Via...)
		p.Report(Finding{
			Range:   t.Range,
			Related: related,
			Message: fmt.Sprintf("%s closes a response that sends nothing for %s, and %s%s streams (%s): a stream that pauses that long is cut off mid-way and the client sees it end or reset. Raise %s for the streaming routes, or have the application send a heartbeat (an SSE comment line) more often than every %s.%s%s%s",
				hopFile(a), valueWords(t, topology.FormatDuration), specFile(h.route), others, h.s.What,
				t.Name, topology.FormatDuration(t.Value), buffering, words,
				assumptions(append(append([]string(nil), a.Notes...), t.Note)...)),
		})
	}
}

// nginxBuffers reports whether an nginx location buffers proxied
// responses (proxy_buffering on, the default).
func nginxBuffers(h *topology.Hop) bool {
	l, ok := h.Config.(*nginx.Location)
	if !ok || h.Kind != topology.KindNginxLocation || l.Pass == nil || l.Pass.Name != "proxy_pass" {
		return false
	}
	d := l.Last("proxy_buffering")
	return d == nil || d.Arg(0) == "on"
}
