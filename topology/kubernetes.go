package topology

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/hoplint/hoplint/parsers"
	"github.com/hoplint/hoplint/parsers/kubernetes"
)

func init() { RegisterLoader(parsers.FormatKubernetes, loadKubernetes) }

// KindIngress is an Ingress served by a controller hoplint does not model
// (Traefik, GCE, …): it still routes traffic to pods, with every setting
// Unknown.
const KindIngress HopKind = "k8s-ingress"

// k8sCluster is everything the Kubernetes loader read, indexed so that
// every link is a lookup, never a scan over all pairs of objects.
type k8sCluster struct {
	part *Graph
	env  *Env

	workloads []*kubernetes.Workload
	services  []*kubernetes.Service
	ingresses []*kubernetes.Ingress
	tgbs      []*kubernetes.TargetGroupBinding
	// byLabel maps "namespace\x00key=value" to the workloads whose pods
	// carry that label.
	byLabel map[string][]int
	// svcByName maps "namespace/name" to Services (a tree can hold the
	// same object twice, for two environments).
	svcByName  map[string][]*kubernetes.Service
	configMaps map[string][]*kubernetes.ConfigMap
	classes    map[string][]*kubernetes.IngressClass
	// containerHops maps a workload's containers to their hops.
	containerHops map[*kubernetes.Workload][]*Hop
	serviceHops   map[*kubernetes.Service]*Hop
	controllers   []*nginxController
	// embeddedPick is the server of that configuration a container runs.
	embeddedPick map[*kubernetes.Container][]*Hop
	pod          *podState // kubernetes_pod.go
}

func loadKubernetes(part *Graph, files []*parsers.File, env *Env) {
	results := make([]*kubernetes.Result, len(files))
	ParallelFiles(part, files, func(i int, f *parsers.File) { results[i] = kubernetes.Parse(f) },
		func(i int, _ *parsers.File) { results[i] = &kubernetes.Result{} })

	c := &k8sCluster{
		part: part, env: env,
		byLabel: map[string][]int{}, svcByName: map[string][]*kubernetes.Service{},
		configMaps: map[string][]*kubernetes.ConfigMap{}, classes: map[string][]*kubernetes.IngressClass{},
		containerHops: map[*kubernetes.Workload][]*Hop{}, serviceHops: map[*kubernetes.Service]*Hop{},
	}
	for i, res := range results {
		if files[i].Consumed {
			// A kustomization or chart renders it: its objects arrive
			// through the rendered file; only its comments count here.
			part.AddComments(files[i].Path, res.Comments)
			continue
		}
		part.AddProblems(res.Problems...)
		if files[i].Map == nil {
			// A rendered file's comments sit at rendered lines; the
			// sources' own comments are read from the consumed files.
			part.AddComments(files[i].Path, res.Comments)
		}
		part.Suppressions = append(part.Suppressions, res.Suppressions...)
		for _, o := range res.Objects {
			part.AddConfig(parsers.FormatKubernetes, o)
			c.index(o)
		}
	}
	c.findControllers()
	for _, w := range c.workloads {
		c.workloadHops(w)
	}
	for _, s := range c.services {
		c.serviceHop(s)
	}
	for _, in := range c.ingresses {
		c.ingressHop(in)
	}
	for _, b := range c.tgbs {
		c.targetGroupBindingHop(b)
	}
}

// targetGroupBindingHop stands for a target group made outside the
// cluster (often in Terraform) into which the AWS Load Balancer Controller
// registers a Service's pods: a load balancer sends to those pods.
func (c *k8sCluster) targetGroupBindingHop(b *kubernetes.TargetGroupBinding) {
	h := &Hop{
		ID: hopID(&b.Object, ""), Kind: KindTargetGroup, File: b.File.Path, Range: b.NameRange, Config: b,
		Name: "target group of TargetGroupBinding " + refName(&b.Object),
	}
	c.part.AddHop(h)
	svcs := c.svcByName[b.Space()+"/"+b.ServiceName.Value]
	if len(svcs) == 0 {
		return
	}
	s := closest(b.File.Path, svcs)[0]
	port, _ := strconv.Atoi(b.ServicePort.Value)
	bk := kubernetes.Backend{Service: s.Name, PortNum: port}
	if port == 0 {
		bk.PortName = b.ServicePort.Value
	}
	p, ok := servicePortFor(s, bk)
	for _, w := range closest(s.File.Path, c.selected(s.Space(), s.Selector)) {
		var hops []*Hop
		sure := false
		if ok {
			hops, sure = c.servingHops(w, p.TargetPort, p.Port)
		} else {
			hops = c.containerHops[w]
		}
		for _, to := range hops {
			why := fmt.Sprintf("TargetGroupBinding %s registers the pods of Service %s, whose selector matches %s", refName(&b.Object), refName(&s.Object), w.Ref())
			conf := Reference
			if !sure {
				conf = Assumed
			}
			c.part.Link(&Edge{From: h, To: to, Why: why, Confidence: conf, Range: b.ServiceName.Range})
		}
	}
}

func (c *k8sCluster) index(o kubernetes.Obj) {
	switch o := o.(type) {
	case *kubernetes.Workload:
		i := len(c.workloads)
		c.workloads = append(c.workloads, o)
		for k, v := range o.PodLabels {
			key := o.Space() + "\x00" + k + "=" + v.Value
			c.byLabel[key] = append(c.byLabel[key], i)
		}
	case *kubernetes.Service:
		c.services = append(c.services, o)
		c.svcByName[o.Space()+"/"+o.Name] = append(c.svcByName[o.Space()+"/"+o.Name], o)
	case *kubernetes.Ingress:
		c.ingresses = append(c.ingresses, o)
	case *kubernetes.ConfigMap:
		c.configMaps[o.Space()+"/"+o.Name] = append(c.configMaps[o.Space()+"/"+o.Name], o)
	case *kubernetes.IngressClass:
		c.classes[o.Name] = append(c.classes[o.Name], o)
	case *kubernetes.TargetGroupBinding:
		c.tgbs = append(c.tgbs, o)
	}
}

// selected returns the workloads in ns whose pod labels carry every pair
// of the selector: the intersection of one index lookup per pair,
// starting from the rarest. An empty selector selects nothing (a Service
// without one has manually managed endpoints).
func (c *k8sCluster) selected(ns string, sel map[string]kubernetes.Str) []*kubernetes.Workload {
	if len(sel) == 0 {
		return nil
	}
	lists := make([][]int, 0, len(sel))
	for k, v := range sel {
		l := c.byLabel[ns+"\x00"+k+"="+v.Value]
		if len(l) == 0 {
			return nil
		}
		lists = append(lists, l)
	}
	sort.Slice(lists, func(i, j int) bool { return len(lists[i]) < len(lists[j]) })
	var out []*kubernetes.Workload
	for _, i := range lists[0] {
		all := true
		for _, l := range lists[1:] {
			if !containsInt(l, i) {
				all = false
				break
			}
		}
		if all {
			out = append(out, c.workloads[i])
		}
	}
	return out
}

func containsInt(sorted []int, x int) bool {
	i := sort.SearchInts(sorted, x)
	return i < len(sorted) && sorted[i] == x
}

func hopID(o *kubernetes.Object, suffix string) string {
	return o.File.Path + "#" + o.ID() + suffix
}

// workloadHops makes one hop per container that can serve traffic: the
// app containers and the sidecars (init containers with restartPolicy
// Always). Plain init containers run to completion before the pod is
// ready and never receive requests.
func (c *k8sCluster) workloadHops(w *kubernetes.Workload) {
	for _, ct := range w.Pod.Containers {
		c.checkQuantities(w, ct)
		if ct.Init && !ct.Sidecar {
			continue
		}
		h := &Hop{
			ID:     hopID(&w.Object, "/containers/"+ct.Name.Value),
			Kind:   KindAppServer,
			File:   w.File.Path,
			Range:  ct.Range,
			Config: &kubernetes.PodContainer{Workload: w, Container: ct},
			Pods:   []string{hopID(&w.Object, "")},
		}
		for _, p := range ct.Ports {
			h.Listen = append(h.Listen, Listen{Port: p.Port, Range: p.Range})
		}
		app := c.appServer(w, ct)
		h.KeepAlive = app.keepAlive
		h.Notes = app.notes
		h.Name = fmt.Sprintf("container %s of %s", ct.Name.Value, w.Ref())
		if app.label != "" {
			// The container's name matters only where the pod runs several.
			h.Name = fmt.Sprintf("%s in %s", app.label, w.Ref())
			if serving(w) > 1 {
				h.Name = fmt.Sprintf("%s in container %s of %s", app.label, ct.Name.Value, w.Ref())
			}
		}
		c.part.AddHop(h)
		c.containerHops[w] = append(c.containerHops[w], h)
		for _, s := range c.embeddedPick[ct] {
			// The server runs inside the container: its locations' timeouts
			// and limits are the container's.
			c.part.Link(&Edge{From: h, To: s, Within: true, Confidence: Reference, Range: s.Range,
				Why: s.Name + " is the configuration " + h.Name + " runs"})
		}
	}
}

// checkQuantities reports resource quantities Kubernetes cannot read:
// the API server rejects the pod.
func (c *k8sCluster) checkQuantities(w *kubernetes.Workload, ct *kubernetes.Container) {
	if ct.Resources == nil {
		return
	}
	for _, side := range []struct {
		name string
		qs   map[string]kubernetes.Quantity
	}{{"limits", ct.Resources.Limits}, {"requests", ct.Resources.Requests}} {
		names := make([]string, 0, len(side.qs))
		for n := range side.qs {
			names = append(names, n)
		}
		sort.Strings(names)
		for _, n := range names {
			if q := side.qs[n]; !q.OK && !q.Unknown {
				c.part.AddProblems(parsers.Problem{Kind: parsers.ProblemInvalid, Range: q.Range,
					Message: fmt.Sprintf("resources.%s.%s %q of container %s of %s is not a Kubernetes quantity, so the API server rejects the pod; write it like 512Mi, 1Gi, 500m or 2",
						side.name, n, q.Raw, ct.Name.Value, w.Ref())})
			}
		}
	}
}

// serving counts the containers of w that can receive traffic.
func serving(w *kubernetes.Workload) int {
	n := 0
	for _, ct := range w.Pod.Containers {
		if !ct.Init || ct.Sidecar {
			n++
		}
	}
	return n
}

// servingHops returns the hops of w that receive traffic sent to a
// Service port with the given targetPort (a number or a port name; ""
// means the Service port number svcPort), and whether the choice is
// certain. A port that no container declares still reaches the pod (ports
// are informational); with one serving container that is the one.
func (c *k8sCluster) servingHops(w *kubernetes.Workload, targetPort string, svcPort int) ([]*Hop, bool) {
	hops := c.containerHops[w]
	if len(hops) == 0 {
		return nil, false
	}
	num, err := strconv.Atoi(targetPort)
	if targetPort == "" {
		num, err = svcPort, nil
	}
	var out []*Hop
	for _, h := range hops {
		pc := podContainerOf(h)
		if pc == nil {
			continue
		}
		for _, p := range pc.Container.Ports {
			if (err == nil && p.Port == num && num != 0) || (err != nil && p.Name == targetPort) {
				out = append(out, h)
				break
			}
		}
	}
	if len(out) > 0 {
		return out, true
	}
	if len(hops) == 1 && err == nil {
		return hops, true
	}
	return hops, false
}

// podContainerOf returns the container behind a container hop.
func podContainerOf(h *Hop) *kubernetes.PodContainer {
	pc, _ := h.Config.(*kubernetes.PodContainer)
	return pc
}

func (c *k8sCluster) serviceHop(s *kubernetes.Service) {
	h := &Hop{
		ID: hopID(&s.Object, ""), Kind: KindService, Name: "Service " + refName(&s.Object),
		File: s.File.Path, Range: s.NameRange, Config: s,
	}
	for _, p := range s.Ports {
		h.Listen = append(h.Listen, Listen{Host: s.Name + "." + s.NS() + ".svc.cluster.local", Port: p.Port, Range: p.Range})
	}
	if s.Type.Value == "LoadBalancer" {
		c.loadBalancerService(s, h)
	}
	c.part.AddHop(h)
	c.serviceHops[s] = h
	for _, w := range closest(s.File.Path, c.selected(s.Space(), s.Selector)) {
		seen := map[*Hop]bool{}
		ports := s.Ports
		if len(ports) == 0 {
			ports = []kubernetes.ServicePort{{}}
		}
		for _, p := range ports {
			hops, sure := c.servingHops(w, p.TargetPort, p.Port)
			for _, to := range hops {
				if seen[to] {
					continue
				}
				seen[to] = true
				why := fmt.Sprintf("Service %s selects the pods of %s (%s)", refName(&s.Object), w.Ref(), selectorWords(s.Selector))
				conf := Reference
				if !sure {
					conf = Assumed
					why += fmt.Sprintf("; no container declares port %s, so every container was taken", portWords(p))
				}
				c.part.Link(&Edge{From: h, To: to, Why: why, Confidence: conf, Range: s.SelectorRange})
			}
		}
	}
}

func refName(o *kubernetes.Object) string {
	if o.Namespace == "" {
		return o.Name
	}
	return o.Namespace + "/" + o.Name
}

func selectorWords(sel map[string]kubernetes.Str) string {
	keys := make([]string, 0, len(sel))
	for k := range sel {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = k + "=" + sel[k].Value
	}
	return strings.Join(parts, ", ")
}

func portWords(p kubernetes.ServicePort) string {
	if p.TargetPort != "" {
		return p.TargetPort
	}
	return strconv.Itoa(p.Port)
}

// backendHops resolves an Ingress backend to the Service and the container
// hops behind it.
func (c *k8sCluster) backendHops(in *kubernetes.Ingress, b kubernetes.Backend) (*kubernetes.Service, []*kubernetes.Workload) {
	svcs := c.svcByName[in.Space()+"/"+b.Service]
	if len(svcs) == 0 {
		return nil, nil
	}
	s := closest(in.File.Path, svcs)[0]
	return s, closest(s.File.Path, c.selected(s.Space(), s.Selector))
}

// closest keeps, among objects with the same kind, namespace and name
// (one object written for two environments), the copies nearest to the
// file at from: a tree with overlays/prod and overlays/staging links
// each Service to the Deployment beside it, not to both.
func closest[T kubernetes.Obj](from string, objs []T) []T {
	if len(objs) < 2 {
		return objs
	}
	key := func(o T) string { m := o.Meta(); return m.Kind + "/" + m.NS() + "/" + m.Name }
	best := map[string]int{}
	for _, o := range objs {
		if n := commonDirs(from, o.Meta().File.Path) + 1; n > best[key(o)] {
			best[key(o)] = n
		}
	}
	var out []T
	for _, o := range objs {
		if commonDirs(from, o.Meta().File.Path)+1 == best[key(o)] {
			out = append(out, o)
		}
	}
	return out
}

// commonDirs counts the leading path elements two slash paths share; the
// same file counts one more than its directory.
func commonDirs(a, b string) int {
	if a == b {
		return strings.Count(a, "/") + 1
	}
	pa, pb := strings.Split(a, "/"), strings.Split(b, "/")
	n := 0
	for n < len(pa)-1 && n < len(pb)-1 && pa[n] == pb[n] {
		n++
	}
	return n
}

// servicePortFor finds the Service port an Ingress backend names.
func servicePortFor(s *kubernetes.Service, b kubernetes.Backend) (kubernetes.ServicePort, bool) {
	for _, p := range s.Ports {
		if (b.PortNum != 0 && p.Port == b.PortNum) || (b.PortName != "" && p.Name == b.PortName) {
			return p, true
		}
	}
	if len(s.Ports) == 1 {
		return s.Ports[0], true
	}
	return kubernetes.ServicePort{}, false
}

// linkBackends draws the edges from an ingress hop to the containers its
// backends reach.
func (c *k8sCluster) linkBackends(h *Hop, in *kubernetes.Ingress) {
	for _, b := range in.Backends {
		s, ws := c.backendHops(in, b)
		if s == nil {
			continue
		}
		p, ok := servicePortFor(s, b)
		if !ok && len(s.Ports) > 0 && (b.PortNum != 0 || b.PortName != "") {
			// The backend names a port the Service does not have: the
			// controller finds no endpoints, and nothing reaches the pods.
			continue
		}
		for _, w := range ws {
			var hops []*Hop
			sure := false
			if ok {
				hops, sure = c.servingHops(w, p.TargetPort, p.Port)
			} else {
				hops = c.containerHops[w]
			}
			for _, to := range hops {
				why := fmt.Sprintf("Ingress %s routes to Service %s, whose selector matches %s", refName(&in.Object), refName(&s.Object), w.Ref())
				conf := Reference
				if !sure {
					conf = Assumed
					why += "; the port does not name a declared container port, so every container was taken"
				}
				c.part.Link(&Edge{From: h, To: to, Why: why, Confidence: conf, Range: b.Range})
			}
		}
	}
}
