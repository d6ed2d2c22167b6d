package rules

import "github.com/hoplint/hoplint/parsers"

var includeNotFollowed = &Rule{
	ID:       "include-not-followed",
	Title:    "an include hoplint did not follow, so what it sets is unknown",
	Severity: Info,
	Doc: `hoplint reads only files inside the directory it is given: linting an untrusted
repository in CI must never read the rest of the machine. An include that
points elsewhere (` + "`include /etc/letsencrypt/options-ssl-nginx.conf;`" + `, a path with
` + "`..`" + ` that leaves the tree) or that is computed at run time is not read.

The configuration may be perfectly fine; this note says that settings made in
that file are unknown to hoplint, so a finding that depends on them is not
reported. Absolute includes under the usual configuration prefixes
(` + "`/etc/nginx/`" + `, ` + "`/usr/local/nginx/conf/`" + `…) are read from the linted tree when the
main file's directory holds the same relative path, since repositories keep
the content of /etc/nginx rather than the machine's /etc.

An nginx configuration with no server of its own whose glob include
(` + "`include /etc/nginx/sites-enabled/*;`" + `) matches no file in the linted tree is
reported too: its servers are in files hoplint was not given, and the run
would otherwise say nothing. So is a Dockerfile named under ` + "`images:`" + ` in
.hoplint.yml that is not among the linted files (a typo, or a path outside
the directory given): the containers running that image are linted
without it.`,
	Examples: []Example{
		{Name: "outside the root", Bad: true, Archive: `-- nginx.conf --
events {}
http {
    include /etc/letsencrypt/options-ssl-nginx.conf;
}
`},
		{Name: "inside the tree", Archive: `-- nginx.conf --
events {}
http {
    include /etc/nginx/conf.d/*.conf;
}
-- conf.d/app.conf --
server {
    listen 80;
}
`},
	},
	Run: func(p *Pass) { reportProblems(p, parsers.ProblemUnfollowed) },
}

func init() { Register(includeNotFollowed) }
