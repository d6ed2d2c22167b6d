package rules

import (
	"fmt"
	"strings"

	"github.com/hoplint/hoplint/parsers"
	"github.com/hoplint/hoplint/parsers/apache"
)

var proxyKeepaliveMisread = &Rule{
	ID:       "proxy-keepalive-misread",
	Title:    "keepalive=On on an Apache ProxyPass sets TCP keep-alive probes, not HTTP keep-alive",
	Severity: Info,
	Doc: `The ` + "`keepalive=`" + ` parameter of ` + "`ProxyPass`" + `, ` + "`BalancerMember`" + ` and
` + "`ProxySet`" + ` switches on TCP keep-alive probes (SO_KEEPALIVE) on the connections
to the backend. It is meant for firewalls that drop idle connections. It does
not switch on HTTP keep-alive: mod_proxy reuses backend connections by default
(` + "`disablereuse=Off`" + `), and keeps a pooled connection until the backend
closes it unless ` + "`ttl=`" + ` says otherwise.

Written in the belief that it enables connection reuse, it changes nothing
about reuse, and the setting that matters is missing: give the worker a
` + "`ttl=`" + ` below the backend's keep-alive timeout so that Apache drops idle
connections before the backend does (see keepalive-order). If the TCP probes
are what you want, suppress the finding with that reason.`,
	Examples: []Example{
		{Name: "keepalive=On without ttl", Bad: true, Archive: `-- httpd.conf --
<VirtualHost *:80>
    ServerName shop.example.com
    LimitRequestBody 10485760
    ProxyPass "/" "http://app:8080/" keepalive=On
</VirtualHost>
`},
		{Name: "ttl bounds reuse", Archive: `-- httpd.conf --
<VirtualHost *:80>
    ServerName shop.example.com
    LimitRequestBody 10485760
    ProxyPass "/" "http://app:8080/" ttl=4
</VirtualHost>
`},
	},
	Run: runProxyKeepaliveMisread,
}

func init() { Register(proxyKeepaliveMisread) }

func runProxyKeepaliveMisread(p *Pass) {
	for _, c := range p.Graph.Configs[parsers.FormatApache] {
		cfg, ok := c.(*apache.Config)
		if !ok {
			continue
		}
		for _, w := range cfg.Server().Workers {
			prm, ok := w.Param("keepalive")
			if !ok {
				continue
			}
			if on, ok := apache.OnOff(prm.Value); !ok || !on {
				continue
			}
			reuse := "mod_proxy already reuses backend connections by default, and keeps each until the backend closes it because no ttl= is set: add ttl= below the backend's keep-alive timeout"
			if t, ok := w.Param("ttl"); ok {
				reuse = fmt.Sprintf("mod_proxy already reuses backend connections by default, for up to ttl=%s seconds here", t.Value)
			}
			if d, ok := w.Param("disablereuse"); ok && strings.EqualFold(d.Value, "on") {
				reuse = "this worker does not reuse connections at all (disablereuse=On)"
			}
			p.Report(Finding{
				Range: w.D.ArgRange(prm.Arg),
				Message: fmt.Sprintf("%s %s keepalive=%s turns on TCP keep-alive probes to the backend, not HTTP keep-alive; %s. Keep it only if the probes are wanted (a firewall that drops idle connections) and suppress this with that reason.",
					w.Kind, w.URL, prm.Value, reuse),
			})
		}
	}
}
