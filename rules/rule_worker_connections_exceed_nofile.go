package rules

import (
	"fmt"

	"github.com/hoplint/hoplint/parsers"
	"github.com/hoplint/hoplint/parsers/nginx"
)

var workerConnectionsExceedNofile = &Rule{
	ID:       "worker-connections-exceed-nofile",
	Title:    "nginx worker_connections above worker_rlimit_nofile",
	Severity: Warning,
	Doc: `Each nginx connection needs a file descriptor, and a proxied request needs two
(the client's and the upstream's), plus descriptors for files and logs. When
` + "`worker_connections`" + ` exceeds the descriptor limit the worker runs under
(` + "`worker_rlimit_nofile`" + `), nginx warns at start-up ("worker_connections exceed
open file resource limit") and, under load, fails to accept or to connect
upstream with "Too many open files": clients see resets and 502s exactly when
traffic peaks.

Raise ` + "`worker_rlimit_nofile`" + ` to at least twice ` + "`worker_connections`" + ` for a proxy,
or lower ` + "`worker_connections`" + `. Without ` + "`worker_rlimit_nofile`" + ` the limit is the
operating system's, which hoplint cannot see, so it reports nothing.`,
	Examples: []Example{
		{Name: "over the limit", Bad: true, Archive: `-- nginx.conf --
worker_rlimit_nofile 1024;
events {
    worker_connections 4096;
}
http {}
`},
		{Name: "room for proxying", Archive: `-- nginx.conf --
worker_rlimit_nofile 8192;
events {
    worker_connections 4096;
}
http {}
`},
	},
	Run: runWorkerConnectionsExceedNofile,
}

func init() { Register(workerConnectionsExceedNofile) }

func runWorkerConnectionsExceedNofile(p *Pass) {
	for _, nc := range nginxConfigs(p) {
		m := nc.Model
		rl := m.Main.Last("worker_rlimit_nofile")
		if rl == nil {
			continue // the OS limit applies; unknown here
		}
		nofile, err := nginx.ParseNumber(rl.Arg(0))
		if err != nil {
			continue
		}
		wc, wcWords, wcRange := int64(512), "the nginx default of 512", nc.Main.LineRange(1)
		if m.Events != nil {
			wcRange = m.Events.Block.Range
			if d := m.Events.Last("worker_connections"); d != nil {
				n, err := nginx.ParseNumber(d.Arg(0))
				if err != nil {
					continue
				}
				wc, wcWords, wcRange = n, fmt.Sprint(n), d.Range
			}
		} else if nc.Fragment {
			continue
		}
		if wc <= nofile {
			continue
		}
		p.Report(Finding{
			Range:   wcRange,
			Related: []parsers.Related{relatedAt(rl.Range, fmt.Sprintf("worker_rlimit_nofile is %d here", nofile))},
			Message: fmt.Sprintf("worker_connections is %s, above worker_rlimit_nofile %d: under load nginx runs out of file descriptors (\"Too many open files\") and drops connections. Raise worker_rlimit_nofile to at least %d (two descriptors per proxied connection) or lower worker_connections.",
				wcWords, nofile, 2*wc),
		})
	}
}
