package terraform

import (
	"path"
	"path/filepath"
	"slices"
)

// Relevance: which module calls a module instance evaluates on its own.
//
// hoplint reads a few resource types (load balancers, listeners, target
// groups, CloudFront, ECS, CodeDeploy, Kubernetes). A module whose files,
// and the local modules they call, declare none of them creates nothing
// hoplint reads: an application's IAM, networking, S3 or CodePipeline
// modules. Such a call is evaluated only when something reads one of its
// outputs (a load balancer's subnets from module.networking, say), which
// ensure does on demand; evaluating it up front as well, as every module
// call was, cost about a third of the Terraform evaluation on the
// ECS-heavy benchmark trees and changed no object and no finding.
//
// A call stays eager wherever skipping it could hide something: a
// registry module hoplint reads without its files (registry.go), a local
// source whose files are missing or unreadable, outside the root, too deep
// or in a cycle (each has a note, made when the call is evaluated), and a
// module that calls any of those.

// relevantType reports whether hoplint extracts resources of type t.
func relevantType(t string) bool {
	if schemas[canonicalType(t)] != nil {
		return true
	}
	if _, ok := kubeResources[t]; ok {
		return true
	}
	switch t {
	case "kubernetes_manifest", "aws_ecs_task_definition", "aws_ecs_service",
		"aws_codedeploy_app", "aws_codedeploy_deployment_group":
		return true
	}
	return false
}

// Values of moduleDir.relevance.
const (
	relevanceUnknown int32 = iota
	relevanceNone
	relevanceSome
)

// eagerModule evaluates module call name unless it is known to create
// nothing hoplint reads (see above); then it is left to ensure.
func (m *modInst) eagerModule(name string) {
	for _, c := range m.dir.modules {
		if c.name == name {
			if m.l.callRelevant(m.dir, c, nil) {
				m.module(name)
			}
			return
		}
	}
}

// maxRelevanceDepth bounds the chain of calls callRelevant follows; a
// longer one is taken as relevant (evaluated, as before).
const maxRelevanceDepth = 4 * maxModuleDepth

// callRelevant reports whether call c of directory md may create something
// hoplint reads or something with a note. visiting are the directories on
// the way here: a cycle is relevant (it has a note).
//
// The module depth a call is made at does not count: a call too deep has a
// note, but only when hoplint evaluates it, and it evaluates a call too
// deep only if the module it names (read here) creates something hoplint
// reads.
func (l *loader) callRelevant(md *moduleDir, c *moduleCall, visiting []string) bool {
	if registryKind(c.source) != "" {
		return true
	}
	if !localSource(c.source) {
		// Not read: evaluating it only evaluates its inputs, unless
		// its name says it makes a hop, which has a note.
		_, noted := remotePathModule(c.source)
		return noted
	}
	abs := filepath.Clean(filepath.Join(md.abs, filepath.FromSlash(c.source)))
	if abs == md.abs || len(visiting) >= maxRelevanceDepth {
		return true
	}
	for _, v := range visiting {
		if v == abs {
			return true
		}
	}
	child := l.dir(abs, md.root, path.Clean(path.Join(md.rel, c.source)))
	if child == nil {
		return true
	}
	return l.dirRelevant(child, append(visiting, md.abs))
}

// dirRelevant reports whether module directory md, or a module it calls,
// declares a resource hoplint reads or a call with a note. The answer is
// kept on md for its instances in every root module (they run in
// parallel; two that work it out at once find the same). It does not
// depend on visiting: a call from md's modules back to a directory on the
// way here is a cycle through md itself, found from any way in.
func (l *loader) dirRelevant(md *moduleDir, visiting []string) bool {
	switch md.relevance.Load() {
	case relevanceNone:
		return false
	case relevanceSome:
		return true
	}
	some := slices.ContainsFunc(md.resources, func(r *resourceDecl) bool { return relevantType(r.typ) }) ||
		slices.ContainsFunc(md.modules, func(c *moduleCall) bool { return l.callRelevant(md, c, visiting) })
	if some {
		md.relevance.Store(relevanceSome)
	} else {
		md.relevance.Store(relevanceNone)
	}
	return some
}
