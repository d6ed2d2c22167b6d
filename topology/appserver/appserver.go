// Package appserver works out which HTTP server a process runs and the
// settings that decide how it treats the connections a proxy or load
// balancer opens to it: keep-alive, timeouts, body limits.
//
// It is a leaf of the graph: it knows nothing of hops or edges. Every
// source that runs processes (a Kubernetes container, a compose service, an
// ECS container definition) describes the process in the same neutral
// terms, a Process, and gets the same answer, an Info. What the process
// is comes from its command line first (gunicorn, uvicorn, Puma), then
// from what the image runs.
package appserver

import (
	"github.com/hoplint/hoplint/parsers"
	"github.com/hoplint/hoplint/topology/setting"
)

// Str is one literal value of a manifest, compose file or task definition,
// with the range it was read from.
type Str struct {
	Value string
	Range parsers.Range
	// Unknown: the value is written but known only at deploy time (a
	// placeholder, an unresolved variable); Value then equals no other value.
	Unknown bool
}

// Process is what a container runs, in the terms every source can give.
type Process struct {
	// Image is the image reference ("gunicorn-app:1.2", "node:20-alpine").
	Image Str
	// Command is the entrypoint followed by the command (or args), one Str
	// per item as the source writes them; a shell script ("sh -c 'exec
	// gunicorn …'") is split into words here.
	Command []Str
	// Env is the literal environment; a variable whose value comes from
	// elsewhere (a Secret, the host) is absent.
	Env map[string]Str
	// Context is the directory the image is built from (a compose
	// service's build.context, the directory of the Dockerfile that builds
	// the image), as a slash path like the discovered files' paths; ""
	// when the tree does not build the image. The application's own
	// settings are read from there, never from another application.
	Context string
	// Dockerfile is the Dockerfile that builds the image, "" when none;
	// messages name it when the command or image came from it.
	Dockerfile string
	// Version returns the version a user configured for a product
	// ("gunicorn", "puma" in .hoplint.yml); nil or "" when none.
	Version func(product string) string
}

// Info is what is known of the server a process runs.
type Info struct {
	// Label names the server for messages ("gunicorn (gthread)",
	// "uvicorn", "Puma"); empty when no server was recognised.
	Label string
	// KeepAlive is how long the server keeps an idle client connection
	// open; Unknown when that cannot be told, zero when the server closes
	// every connection after its response.
	KeepAlive setting.Duration
	// Notes are assumptions a finding built on these values must repeat.
	Notes []string
}

// Identify works out which HTTP server p runs and its keep-alive. A
// process it cannot identify gives the zero Info: no label, every
// setting Unknown, and so no finding.
func Identify(p Process) Info {
	words := Words(p.Command)
	for i, w := range words {
		switch baseName(w.Text) {
		case "gunicorn":
			return gunicorn(words[i:], p.Env, p.version("gunicorn"))
		case "uvicorn":
			return uvicorn(words[i:], p.Env)
		case "puma":
			return puma(w, p.version("puma"))
		}
	}
	return Info{}
}

func (p Process) version(product string) string {
	if p.Version == nil {
		return ""
	}
	return p.Version(product)
}

func baseName(s string) string {
	for i := len(s) - 1; i >= 0; i-- {
		if s[i] == '/' {
			return s[i+1:]
		}
	}
	return s
}
