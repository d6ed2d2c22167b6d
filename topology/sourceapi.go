package topology

import (
	"github.com/hoplint/hoplint/parsers"
	"github.com/hoplint/hoplint/parsers/kubernetes"
	"github.com/hoplint/hoplint/parsers/terraform"
	"github.com/hoplint/hoplint/topology/appserver"
)

// What the source packages (topology/<source>) use from the core besides
// the graph types and the Loader/Linker API: the few helpers of the
// Kubernetes, Terraform and nginx loaders that a source building on their
// hops needs, so that names, hop IDs and documented defaults read the same
// whichever package made the hop. Each delegates to the loader's own
// helper; nothing here holds state.

// Documentation of the nginx modules whose defaults NGINX-based products
// (NGINX Gateway Fabric) inherit; the default sources cite them.
const (
	NginxCoreDoc     = nginxCoreDoc
	NginxProxyDoc    = nginxProxyDoc
	NginxUpstreamDoc = nginxUpstreamDoc
	NginxGRPCDoc     = nginxGRPCDoc
)

// RefName names a Kubernetes object as messages do: "shop/web", or "web"
// when the manifest writes no namespace.
func RefName(o *kubernetes.Object) string { return refName(o) }

// ObjectHopID is the ID of a hop made from a Kubernetes object: its file,
// "#", the object's ID, then suffix for the several hops one object makes
// ("/rules/0"). Hop IDs must be unique and stable across runs; every
// package that makes hops from objects builds them this way.
func ObjectHopID(o *kubernetes.Object, suffix string) string { return hopID(o, suffix) }

// ClusterDNSName reads a Service's cluster DNS name,
// NAME.NAMESPACE.svc[.CLUSTER-DOMAIN]; ok is false for any other host.
func ClusterDNSName(host string) (name, ns string, ok bool) { return clusterDNSName(host) }

// ServicePortTargets returns the edges from the hop of a Kubernetes
// Service to the containers that serve one of its ports, given by number
// (0: the Service's only port) or, when portName is not "", by name: what
// a route sending to that Service port reaches. Nil when svc is no Service
// hop or the Service has no such port.
func ServicePortTargets(g *Graph, svc *Hop, port int, portName string) []*Edge {
	s, ok := svc.Config.(*kubernetes.Service)
	if !ok {
		return nil
	}
	sp, ok := servicePortByNumber(s, port)
	if portName != "" {
		ok = false
		for _, p := range s.Ports {
			if p.Name == portName {
				sp, ok = p, true
			}
		}
	}
	if !ok {
		return nil
	}
	var out []*Edge
	for _, e := range g.Out(svc) {
		if pc := podContainerOf(e.To); pc != nil && declaresPort(pc, sp) {
			out = append(out, e)
		}
	}
	return out
}

// NginxSize reads a size as nginx writes it: digits with an optional k, m
// or g suffix (either case); "0" is Unlimited.
func NginxSize(s string) (int64, bool) { return nginxSize(s) }

// TerraformName is how a message names a Terraform object: its address,
// without the [0] of a count that makes exactly one instance.
func TerraformName(o *terraform.Object) string { return objName(o) }

// IsLoopback reports a host that means "this machine": localhost, a
// loopback or unspecified address, or no host at all.
func IsLoopback(host string) bool { return loopback(host) }

// AppFiles is the read-only view of the linted root that holds file (or,
// when file is nil, the root of the discovered file at the display path
// rel) through which app servers' code and settings are read: one per
// root and run, shared by every source, so each file is read once.
func (env *Env) AppFiles(file *parsers.File, rel string) *appserver.Files {
	return env.appFiles(file, rel)
}

// RecordApp adds what reading an app server's files gave (the files read,
// their problems, the Node.js server read from code) to part, as the
// Kubernetes and ECS loaders do.
func RecordApp(part *Graph, info appserver.Info) { recordApp(part, info) }

// TerraformTargetGroups returns the hops of the Terraform target groups
// that v, written in object from, refers to (target_group_arn =
// aws_lb_target_group.web.arn), resolved as the Terraform loader resolves
// its own references: in from's root module, the copies nearest from's
// file. Nil when v names none that was linted.
func TerraformTargetGroups(g *Graph, v terraform.Value, from *terraform.Object) []*Hop {
	var tgs []*Hop
	for _, h := range g.Hops {
		if _, ok := h.Config.(*terraform.TargetGroup); ok && h.Kind == KindTargetGroup {
			tgs = append(tgs, h)
		}
	}
	ix := newTFRefIndex(tgs, func(h *Hop) *terraform.Object { return &h.Config.(*terraform.TargetGroup).Object })
	return ix.resolve(v, from)
}
