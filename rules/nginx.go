package rules

import (
	"github.com/hoplint/hoplint/parsers"
	"github.com/hoplint/hoplint/topology"
)

// nginxConfigs returns the nginx configurations the loader built.
func nginxConfigs(p *Pass) []*topology.NginxConfig {
	var out []*topology.NginxConfig
	for _, c := range p.Graph.Configs[parsers.FormatNginx] {
		if nc, ok := c.(*topology.NginxConfig); ok {
			out = append(out, nc)
		}
	}
	return out
}
