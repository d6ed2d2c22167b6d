// Package appserver works out which HTTP server a process runs and the
// settings that decide how it treats the connections a proxy or load
// balancer opens to it: keep-alive, timeouts, body limits.
//
// It is a leaf of the graph: it knows nothing of hops or edges. Every
// source that runs processes (a Kubernetes container, a compose service, an
// ECS container definition) describes the process in the same neutral
// terms, a Process, and gets the same answer, an Info. What the process
// is comes from its command line first (gunicorn, uvicorn, Puma), then
// from what the command leads to in the repository: a shell entrypoint
// script, a package.json script, a Procfile, a Node.js entry file and the
// files it imports. Those are read through Files, a read-only view bounded
// to the linted root; nothing is executed.
//
// Where an application's files are read from:
//
//   - Process.Context, when the source knows which directory the image is
//     built from (a compose service's build context, the directory of the
//     Dockerfile that builds the image). Only files inside it are read:
//     scripts, package.json and the entry file are looked up there, and a
//     path the container names (/app/server.js) is matched by its longest
//     tail that exists there. Imports are followed wherever they lead
//     inside the root (a monorepo's shared package), never through a
//     symlink or ".." out of it.
//   - Else, for a process that is known to run Node.js (its command is
//     node, npm, yarn, …), the repository's one Node.js application (a
//     package.json with a start script or a server framework) when there is
//     exactly one; the finding's notes say that this is an assumption.
//     With two or more, nothing is read: settings never come from another
//     application's directory.
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
	// the image), as a slash path relative to the working directory like
	// the discovered files' paths (parsers.File.Path), "." for the working
	// directory itself; "" when the tree does not build the image. The
	// container's working directory is taken to be this directory. The
	// application's own settings are read from there, never from another
	// application. A Context outside Files' root is not read.
	Context string
	// Dockerfile is the Dockerfile that builds the image (a slash path
	// like Context), "" when none; messages name it when the command or
	// image came from it. A source that builds the image fills Command with
	// the Dockerfile's ENTRYPOINT and CMD when the container does not
	// override them, with their ranges in the Dockerfile.
	Dockerfile string
	// FromImage is the image the Dockerfile's final stage is built FROM
	// ("node:20-alpine"): the runtime's version comes from its tag when
	// Image is the repository's own.
	FromImage Str
	// Files is the read-only view of the linted tree the application's
	// files are read through; nil reads none (the command line alone
	// decides). Share one per root between processes: each file is then
	// read and parsed once.
	Files *Files
	// Mounts are the files and directories of the linted tree the
	// container has at known paths: the Dockerfile's COPY and ADD from the
	// build context, then the bind mounts and configs of the source, in
	// that order (a later one wins at the same path). The servers' own
	// config files (php.ini, php-fpm pools) are found through them.
	Mounts []Mount
	// Opaque are container paths where the source mounts something
	// hoplint does not read (a named volume, a ConfigMap, a bind mount
	// from outside the tree; "/" when the source cannot tell its mounts):
	// a server's config file under one of them is unknown, and so are the
	// defaults that assume the image's own.
	Opaque []string
	// Runs are the RUN instructions of the Dockerfile that builds the
	// image (its base stages' first): the image's config files some of
	// them write (echo "upload_max_filesize = 64M" > …/uploads.ini).
	Runs []Str
	// Version returns the version a user configured for a product
	// ("gunicorn", "puma" in .hoplint.yml); nil or "" when none.
	Version func(product string) string
}

// Mount is a file or directory of the linted tree that a container has at
// Target.
type Mount struct {
	// Target is the absolute path in the container.
	Target string
	// Source is a slash path relative to the working directory, like
	// Process.Context.
	Source string
	// Into: a file Source goes into the directory Target under its own
	// name (COPY a.ini b.ini /dir/); a directory's contents go to Target
	// either way.
	Into bool
	// Range is where the mount or the COPY is written.
	Range parsers.Range
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
	// Heartbeat is how often the application itself writes on a
	// long-lived stream (Socket.IO's pingInterval); Unknown when it does
	// not, or hoplint cannot tell.
	Heartbeat setting.Duration
	// BodyLimit is the largest request body the server takes; Unknown
	// when that cannot be told. BodyRefusal says, in the server's own
	// terms, what happens to a larger body when the server does not simply
	// answer 413 ("" when it does).
	BodyLimit   setting.Size
	BodyRefusal string
	// RequestTimeout is how long the server lets a request run before it
	// kills it (php-fpm's request_terminate_timeout); Unknown when none is
	// written.
	RequestTimeout setting.Duration
	// Notes are assumptions a finding built on these values must repeat.
	Notes []string
	// Node is the Node.js server read from the application's code, nil
	// for any other server.
	Node *NodeServer
	// Sources are the files read outside discovery that findings may
	// point into (a script, package.json, the server's source), for the
	// graph's sources; Problems the files among them that could not be
	// read (each reported once per Files view).
	Sources  []*parsers.File
	Problems []parsers.Problem
}

// Identify works out which HTTP server p runs and its keep-alive. A
// process it cannot identify gives an Info with no label and every
// setting Unknown, and so no finding; only its Problems may be set (a
// file it needed was too large to read), for the caller to report.
func Identify(p Process) Info {
	r := &resolver{p: p}
	info, ok := r.serverFrom(commandsOf(p.Command), nil, anyBackground(p.Command))
	if !ok && len(p.Command) == 0 {
		info, ok = r.procfile()
	}
	if !ok && len(p.Command) == 0 && !p.Image.Unknown {
		if name, _ := ImageName(p.Image.Value); name == "node" {
			info, ok = r.imageNode(), true
		}
	}
	if !ok && len(p.Command) == 0 {
		// The official php:*-fpm images run php-fpm by default.
		switch img := r.image(); {
		case phpFPMImage(img.Value):
			info, ok = r.phpFPM(nil), true
		case isTomcatImage(img.Value):
			// The official tomcat images run catalina.sh run.
			info, ok = r.tomcat(img), true
		}
	}
	if !ok {
		// No server, but a file too large to read may be why: say so.
		return Info{Problems: r.problems}
	}
	if r.refused {
		forgetSettings(&info)
	}
	info.Notes = append(info.Notes, r.notes...)
	if info.Node != nil {
		info.Node.Notes = append(info.Node.Notes, r.notes...)
	}
	info.Sources = append(info.Sources, r.sources...)
	info.Problems = append(info.Problems, r.problems...)
	return info
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
