// Package topology is where formats meet: it turns what the parsers read
// into hops (places that terminate or forward HTTP) and edges (which hop
// sends requests to which), each value carrying where it came from.
//
// # Package layout
//
// The core (this package) holds what every source and every rule shares:
//
//   - the graph: Hop, Edge, the hop kinds, Setting with its provenance,
//     and the typed configs rules read (kinds.go declares those of the
//     sources that live elsewhere, so that rules import topology only);
//   - the Loader/Linker API (RegisterLoader, RegisterLinker,
//     RegisterDetails) and Load/Build, which run loaders in parallel and
//     linkers in name order;
//   - scopes and NearIndex, the limits that bound a run, and the generic
//     linkers (by address, declared stacks, NodePort, sidecars);
//   - for now, the nginx, Apache, Kubernetes and Terraform sources. They
//     embed one another (a pod runs the nginx or httpd a ConfigMap
//     configures; Terraform holds Kubernetes objects and load balancers
//     in front of them), so they share internals and move out last, each
//     once what it takes from the others is a small exported API.
//
// Each other source of the path lives in topology/<source>
// (topology/gateway, topology/openapi, topology/compose for docker-compose
// projects and Dockerfiles, topology/ecs for task-definition files): its
// loader, the linkers that start from its hops, and its own defaults with
// their sources. A source package imports topology and parsers/*, never
// another source package, and registers itself from init. What it may use
// of the core is exported on purpose: sourceapi.go (object names, hop IDs,
// the containers behind a Service port, nginx sizes and documentation, the
// app servers' file view), embed.go (the nginx or httpd a container runs
// from files a mount or COPY puts into it, and the images the tree builds)
// and, for a source that puts other formats' files into servers, a
// Preparer (RegisterPreparer), which runs before the loaders and claims
// those files so that they are linted once, inside the server that runs
// them.
//
// A source package registers only when imported, as database/sql drivers
// do. Every program and test that builds graphs imports
// topology/sources, which imports them all; its tests fail when a source
// package or a discovered format is not registered.
//
// # Adding a source
//
//  1. Create topology/<source> with an init that calls RegisterLoader for
//     its format (parsers.Format) and RegisterLinker for its linkers
//     (named so that name order runs them after what they link to), and
//     RegisterDetails if `hoplint graph` should print more than settings.
//  2. Declare its hop kinds and typed configs here (kinds.go) when a rule
//     reads them; keep everything else in the source package.
//  3. Add its blank import to topology/sources/sources.go.
//  4. Export from the core only what it needs, as a small documented
//     function in sourceapi.go, not the internals it wraps.
package topology
