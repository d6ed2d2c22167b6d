// Package sources registers every source of the path with topology.
//
// Each source that lives in its own package (topology/gateway,
// topology/openapi, …) registers its loader and linkers from init, as
// database/sql drivers do. Importing this package, for its side effect,
// is how a program or a test gets all of them:
//
//	import _ "github.com/hoplint/hoplint/topology/sources"
//
// Without it, topology.Load still builds a graph, but one that silently
// lacks the sources that were not imported: every caller of Load or Build
// (cmd/hoplint, internal/linttest, tests that build graphs) imports this
// package. A new source adds its blank import here; the tests of this
// package fail when a source package or a discovered format is left out.
package sources

import (
	// docker-compose projects and Dockerfiles: services as containers,
	// service names as DNS names, bind mounts and COPY as embedded
	// servers.
	_ "github.com/hoplint/hoplint/topology/compose"
	// Amazon ECS task-definition JSON files.
	_ "github.com/hoplint/hoplint/topology/ecs"
	// The Gateway API and its implementations' routing objects.
	_ "github.com/hoplint/hoplint/topology/gateway"
	// OpenAPI specs and the hops that serve their routes.
	_ "github.com/hoplint/hoplint/topology/openapi"
)
