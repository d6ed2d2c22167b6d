// Package compose makes docker-compose projects and Dockerfiles sources of
// the path, as Kubernetes workloads are: each service is a container hop
// (the app server its command line or image names, or the nginx or httpd
// its mounted or copied configuration runs), service names and network
// aliases are DNS names that proxies in the project reach, and the files a
// bind mount, a config or a Dockerfile's COPY puts into a server's
// configuration directory are linted as that server, never a second time
// on their own.
//
// The work is split the way topology's API allows:
//   - a preparer (prepare.go) loads every project and Dockerfile before
//     any loader runs, works out what each container runs and claims the
//     files its server reads (parsers.File.Consumed), so that the nginx
//     and Apache loaders do not also lint them alone;
//   - the compose and Dockerfile loaders (hops.go) build the hops from
//     that plan;
//   - a linker (link.go) joins proxies to the services they name.
package compose

import (
	"github.com/hoplint/hoplint/parsers"
	"github.com/hoplint/hoplint/parsers/compose"
	"github.com/hoplint/hoplint/parsers/dockerfile"
	"github.com/hoplint/hoplint/topology"
	"github.com/hoplint/hoplint/topology/appserver"
)

func init() {
	topology.RegisterPreparer("compose", prepare)
	topology.RegisterLoader(parsers.FormatCompose, loadCompose)
	topology.RegisterLoader(parsers.FormatDockerfile, loadDockerfiles)
	// After the declared stacks, before linking by address: a proxy that
	// names a service is linked to it, not to whatever listens on its
	// port.
	topology.RegisterLinker("c-compose", link)
}

// Service is the typed object behind a compose service's hop.
type Service struct {
	Project *compose.Project
	Service *compose.Service
	// Stage is the Dockerfile stage the service's build runs, nil when it
	// runs an image.
	Stage *dockerfile.Stage
	// Command and Env are what the container runs with (the service's,
	// else its image's), for the limit rules.
	Command []appserver.Str
	Env     map[string]appserver.Str
}

// Image is the typed object behind the hop of an image a Dockerfile
// builds that no linted compose file runs.
type Image struct {
	Dockerfile *dockerfile.Dockerfile
	Stage      *dockerfile.Stage
}
