package rules

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/hoplint/hoplint/topology"
)

var nodeHeadersTimeout = &Rule{
	ID:       "node-headers-timeout",
	Title:    "headersTimeout at or below keepAliveTimeout on a Node.js version that then resets reused connections",
	Severity: Warning,
	Doc: `From Node.js 11.3 until 12.19 (and 14.0), ` + "`server.headersTimeout`" + ` was measured from the end
of the previous request on a keep-alive connection, not from the start of the
next one. With ` + "`headersTimeout`" + ` at or below ` + "`keepAliveTimeout`" + `, a connection that a
load balancer reuses after sitting idle longer than ` + "`headersTimeout`" + ` is destroyed
as soon as the next request arrives: the load balancer answers 502. The
common trigger is raising ` + "`keepAliveTimeout`" + ` above an ALB's 60 s and leaving
` + "`headersTimeout`" + ` below it (nodejs/node#27363, fixed by nodejs/node#32329).

Node.js 12.19, 14 and later measure the headers timeout from the first byte of
each request, so the order no longer matters there; hoplint reports this only
when the Node.js version is known (from the image tag or ` + "`versions: {node: …}`" + ` in
.hoplint.yml) to be an affected one, and only for values the code sets.

Set ` + "`server.headersTimeout`" + ` above ` + "`server.keepAliveTimeout`" + ` (by a second or more), or
upgrade Node.js.`,
	Examples: []Example{
		{Name: "Node.js 12.18 with headersTimeout below keepAliveTimeout", Bad: true, Archive: nodeHeadersExample("node:12.18-alpine", "60000")},
		{Name: "headersTimeout above keepAliveTimeout", Archive: nodeHeadersExample("node:12.18-alpine", "66000")},
		{Name: "Node.js 20 measures headersTimeout per request", Archive: nodeHeadersExample("node:20-alpine", "60000")},
	},
	Run: runNodeHeadersTimeout,
}

func init() { Register(nodeHeadersTimeout) }

func nodeHeadersExample(image, headers string) string {
	return `-- deploy.yaml --
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
        - name: web
          image: ` + image + `
          command: ["node", "server.js"]
          resources:
            limits:
              memory: 256Mi
              cpu: 500m
-- package.json --
{"name": "web", "scripts": {"start": "node server.js"}}
-- server.js --
const http = require('http');
const server = http.createServer((req, res) => res.end('ok'));
server.keepAliveTimeout = 65000;
server.headersTimeout = ` + headers + `;
server.listen(3000);
`
}

// headersRaceVersion reports whether a Node.js version measures
// headersTimeout from the end of the previous request on a keep-alive
// connection (docs/facts/node.md): 11.3 and later 11.x, 12.0 to 12.18. A
// version without a minor (node:12, the line's latest release) and 10.x
// (the fix's backport is not documented) are not reported.
func headersRaceVersion(v string) bool {
	parts := strings.Split(v, ".")
	major, err := strconv.Atoi(parts[0])
	if err != nil {
		return false
	}
	switch major {
	case 11:
		if len(parts) < 2 {
			return true // every 11.x after 11.3 is affected, and node:11 is 11.15
		}
		minor, err := strconv.Atoi(parts[1])
		return err == nil && minor >= 3
	case 12:
		if len(parts) < 2 {
			return false
		}
		minor, err := strconv.Atoi(parts[1])
		return err == nil && minor < 19
	}
	return false
}

func runNodeHeadersTimeout(p *Pass) {
	seen := map[string]bool{}
	for _, c := range p.Graph.Configs[topology.AppServerFormat] {
		ns, ok := c.(*topology.NodeServer)
		if !ok || !ns.HeadersTimeout.Known() || !ns.KeepAlive.Known() || ns.KeepAlive.Value == topology.Forever {
			continue
		}
		h, ka := ns.HeadersTimeout, ns.KeepAlive
		if h.Value > ka.Value || !headersRaceVersion(ns.Version) {
			continue
		}
		key := h.Range.String() + "|" + ns.Version
		if seen[key] {
			continue // one application run by several containers
		}
		seen[key] = true
		related := settingRelated(ka, fmt.Sprintf("%s is %s here", ka.Name, topology.FormatDuration(ka.Value)))
		related = append(related, h.Via...)
		p.Report(Finding{Range: h.Range, Related: related, Message: fmt.Sprintf(
			"server.headersTimeout is %s, not above %s: Node.js %s (%s) measures the headers timeout from the end of the previous request, so a keep-alive connection reused after more than %s is destroyed when its next request arrives, and the proxy in front answers 502. Set server.headersTimeout above %s (for example %d), or upgrade to Node.js 12.19 or later.%s",
			topology.FormatDuration(h.Value), valueWords(ka, topology.FormatDuration), ns.Version, ns.VersionFrom,
			topology.FormatDuration(h.Value), topology.FormatDuration(ka.Value), ka.Value.Milliseconds()+1000,
			assumptions(append(append([]string(nil), ns.Notes...), h.Note, ka.Note)...))})
	}
}
