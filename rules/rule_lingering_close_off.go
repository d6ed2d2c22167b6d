package rules

import "github.com/hoplint/hoplint/parsers/nginx"

var lingeringCloseOff = &Rule{
	ID:       "lingering-close-off",
	Title:    "nginx lingering_close off resets clients that are still sending",
	Severity: Warning,
	Doc: `When nginx answers before it has read the whole request — a 413 for a body
over ` + "`client_max_body_size`" + `, a 401, a redirect — it keeps reading and discarding
what the client still sends for a while ("lingering close") before closing.
With ` + "`lingering_close off`" + ` it closes at once; the kernel then answers the bytes
still arriving with a TCP reset, and the client reports "connection reset by
peer" instead of reading the response nginx sent. nginx's documentation says
turning it off "breaks the protocol" and should be used only in special cases.

Remove the directive (the default, ` + "`on`" + `, is right), or use ` + "`always`" + `.`,
	Examples: []Example{
		{Name: "off", Bad: true, Archive: `-- nginx.conf --
events {}
http {
    server {
        listen 80;
        lingering_close off;
    }
}
`},
		{Name: "default", Archive: `-- nginx.conf --
events {}
http {
    server {
        listen 80;
        lingering_close on;
    }
}
`},
	},
	Run: runLingeringCloseOff,
}

func init() { Register(lingeringCloseOff) }

func runLingeringCloseOff(p *Pass) {
	for _, nc := range nginxConfigs(p) {
		walkDirectives(nc.Directives, func(d *nginx.Directive) {
			if d.Name == "lingering_close" && d.Arg(0) == "off" {
				p.Report(Finding{Range: d.Range, Fix: &Fix{Range: d.Range, Old: "off", New: "on", Description: "set lingering_close to on, nginx's default"},
					Message: "lingering_close off makes nginx close a connection as soon as it has answered, even while the client is still sending: an early response (413, 401, a redirect) then reaches the client as a connection reset. Remove this line; the default (on) reads and discards the rest first."})
			}
		})
	}
}

// walkDirectives calls fn for every directive, nested ones included.
func walkDirectives(ds []*nginx.Directive, fn func(*nginx.Directive)) {
	for _, d := range ds {
		fn(d)
		if d.IsBlock {
			walkDirectives(d.Block, fn)
		}
	}
}
