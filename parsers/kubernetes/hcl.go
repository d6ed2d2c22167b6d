package kubernetes

import (
	"gopkg.in/yaml.v3"

	"github.com/hoplint/hoplint/parsers"
)

// UnknownTag marks a scalar whose value is known only when Terraform
// applies the configuration: an object written in HCL (a kubernetes_*
// resource) can hold one where a variable has no default or a value comes
// from another resource. Str.Unknown and Quantity.Unknown report it.
const UnknownTag = "!hoplint/unknown"

// FromNode reads one object given as a tree of yaml Nodes whose lines and
// columns are positions in f (a Terraform file): the Kubernetes objects
// written in HCL, which the topology package shapes as manifests. rng is
// the whole object (the resource block).
func FromNode(f *parsers.File, top *yaml.Node, rng parsers.Range) *Result {
	res := &Result{File: f}
	n := countNodes(top, 0)
	r := &reader{f: f, budget: 16*n + 4096}
	res.object(r, top, rng)
	if r.blown {
		res.Objects = nil
	}
	return res
}
