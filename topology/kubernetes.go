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
//
// A tree can hold the same object many times (one copy per environment,
// overlay or cluster). Every name resolves to the copies nearest to the
// object that names it (NearIndex): its own stack first. Copies that are
// equally near are a tie; hoplint then links one of them and says which,
// never every copy to every copy.
type k8sCluster struct {
	part *Graph
	env  *Env
	// strict (link: strict) drops the links that rest on an assumption:
	// a name with equally near copies then resolves to none.
	strict bool

	workloads []*kubernetes.Workload
	services  []*kubernetes.Service
	ingresses []*kubernetes.Ingress
	tgbs      []*kubernetes.TargetGroupBinding

	// wlKeys numbers the distinct workloads ("Deployment/shop/web"); wlCopies
	// holds each one's copies.
	wlKeys   map[string]int
	wlCopies []*NearIndex[*kubernetes.Workload]
	// byLabel maps "namespace\x00key=value" to the workload keys (sorted,
	// each once) of which some copy's pods carry that label.
	byLabel map[string][]int
	// selections caches the workload keys a selector can match, by
	// namespace and selector: a hundred copies of one Service intersect the
	// label lists once.
	selections map[string][]int

	// svcByName, configMaps and classes map "namespace/name" (a class:
	// its name) to the copies of that object.
	svcByName  map[string]*NearIndex[*kubernetes.Service]
	configMaps map[string]*NearIndex[*kubernetes.ConfigMap]
	classes    map[string]*NearIndex[*kubernetes.IngressClass]
	// defaultClasses holds the IngressClasses marked as the default.
	defaultClasses *NearIndex[*kubernetes.IngressClass]
	// albGroups maps an IngressGroup name to its members that set the load
	// balancer's idle timeout.
	albGroups map[string]*NearIndex[*kubernetes.Ingress]

	// containerHops maps a workload's containers to their hops.
	containerHops map[*kubernetes.Workload][]*Hop
	serviceHops   map[*kubernetes.Service]*Hop
	// ambiguous holds the Services already reported for selecting too much.
	ambiguous   map[*kubernetes.Service]bool
	controllers []*nginxController
	ctl         controllerIndex
	// embeddedPick is the server of that configuration a container runs.
	embeddedPick map[*kubernetes.Container][]*Hop
	pod          *podState // kubernetes_pod.go
}

func loadKubernetes(part *Graph, files []*parsers.File, env *Env) {
	results := make([]*kubernetes.Result, len(files))
	ParallelFiles(part, files, func(i int, f *parsers.File) {
		results[i] = kubernetes.Parse(f)
		// The model holds copies of every value it read, so the text is
		// dropped now rather than held to the end of the run (a fifth of
		// the live heap on a tree of manifests); a finding's line reads
		// it again.
		f.Release()
	},
		func(i int, _ *parsers.File) { results[i] = &kubernetes.Result{} })

	c := &k8sCluster{
		part: part, env: env,
		containerHops: map[*kubernetes.Workload][]*Hop{}, serviceHops: map[*kubernetes.Service]*Hop{},
		ambiguous: map[*kubernetes.Service]bool{}, strict: env.Config.Strict(),
	}
	var objs []kubernetes.Obj
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
		}
		objs = append(objs, res.Objects...)
	}
	c.index(objs)
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
	s, tie := nearestOne(b.File.Path, c.svcByName[b.Space()+"/"+b.ServiceName.Value])
	if s == nil || tie != "" && c.strict {
		return
	}
	port, _ := strconv.Atoi(b.ServicePort.Value)
	bk := kubernetes.Backend{Service: s.Name, PortNum: port}
	if port == 0 {
		bk.PortName = b.ServicePort.Value
	}
	p, ok := servicePortFor(s, bk)
	for _, sw := range c.selected(s) {
		w := sw.w
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
			if n := joinTies(tie, sw.tie); n != "" {
				why += "; " + n
				conf = Assumed
			}
			c.part.Link(&Edge{From: h, To: to, Why: why, Confidence: conf, Range: b.ServiceName.Range})
		}
	}
}

// index sorts the objects into the lookups the links use.
func (c *k8sCluster) index(objs []kubernetes.Obj) {
	var (
		wls      = map[string][]*kubernetes.Workload{}
		svcs     = map[string][]*kubernetes.Service{}
		cms      = map[string][]*kubernetes.ConfigMap{}
		classes  = map[string][]*kubernetes.IngressClass{}
		defaults []*kubernetes.IngressClass
		groups   = map[string][]*kubernetes.Ingress{}
	)
	c.wlKeys, c.byLabel, c.selections = map[string]int{}, map[string][]int{}, map[string][]int{}
	for _, o := range objs {
		switch o := o.(type) {
		case *kubernetes.Workload:
			if o.Fragment {
				// A patch no linted kustomization applies: it runs as
				// part of an object hoplint does not see, so it is no
				// pod a Service or proxy can reach.
				continue
			}
			c.workloads = append(c.workloads, o)
			key := o.Kind + "/" + o.Space() + "/" + o.Name
			k, ok := c.wlKeys[key]
			if !ok {
				k = len(c.wlKeys)
				c.wlKeys[key] = k
			}
			wls[key] = append(wls[key], o)
			for _, lab := range o.PodLabels {
				l := o.Space() + "\x00" + lab.Name + "=" + lab.Value
				// Keys are numbered in order of first sight, so each list
				// stays sorted by appending only a key it does not end with.
				if ks := c.byLabel[l]; len(ks) == 0 || ks[len(ks)-1] < k {
					c.byLabel[l] = append(ks, k)
				} else if !containsInt(ks, k) {
					c.byLabel[l] = insertInt(ks, k)
				}
			}
		case *kubernetes.Service:
			c.services = append(c.services, o)
			svcs[o.Space()+"/"+o.Name] = append(svcs[o.Space()+"/"+o.Name], o)
		case *kubernetes.Ingress:
			c.ingresses = append(c.ingresses, o)
			if g := o.Annotations.Get(albAnnotationPrefix + "group.name"); g.Set {
				if a, ok := o.Annotations.Lookup(albAnnotationPrefix + "load-balancer-attributes"); ok {
					if _, has := attributes(a.Value)[albIdleAttribute]; has {
						groups[g.Value] = append(groups[g.Value], o)
					}
				}
			}
		case *kubernetes.ConfigMap:
			cms[o.Space()+"/"+o.Name] = append(cms[o.Space()+"/"+o.Name], o)
		case *kubernetes.IngressClass:
			classes[o.Name] = append(classes[o.Name], o)
			if o.IsDefault {
				defaults = append(defaults, o)
			}
		case *kubernetes.TargetGroupBinding:
			c.tgbs = append(c.tgbs, o)
		}
	}
	c.wlCopies = make([]*NearIndex[*kubernetes.Workload], len(c.wlKeys))
	for key, k := range c.wlKeys {
		c.wlCopies[k] = NewNearIndex(wls[key], objPath[*kubernetes.Workload])
	}
	c.svcByName = nearIndexes(svcs)
	c.configMaps = nearIndexes(cms)
	c.classes = nearIndexes(classes)
	c.albGroups = nearIndexes(groups)
	if len(defaults) > 0 {
		c.defaultClasses = NewNearIndex(defaults, objPath[*kubernetes.IngressClass])
	}
}

func objPath[T kubernetes.Obj](o T) string { return o.Meta().File.Path }

func nearIndexes[T kubernetes.Obj](m map[string][]T) map[string]*NearIndex[T] {
	out := make(map[string]*NearIndex[T], len(m))
	for k, v := range m {
		out[k] = NewNearIndex(v, objPath[T])
	}
	return out
}

// nearestOne resolves a name to one object: the nearest copy, or the first
// of equally near copies, with the words that say so (else "").
func nearestOne[T kubernetes.Obj](from string, idx *NearIndex[T]) (T, string) {
	copies, _ := idx.Nearest(from)
	if len(copies) == 0 {
		var zero T
		return zero, ""
	}
	return copies[0], tieWords(copies)
}

// tieWords says which of several equally near copies a link took.
func tieWords[T kubernetes.Obj](copies []T) string {
	if len(copies) < 2 {
		return ""
	}
	m := copies[0].Meta()
	others := []string{}
	for _, o := range copies[1:] {
		if p := o.Meta().File.Path; p != m.File.Path && (len(others) == 0 || others[len(others)-1] != p) {
			others = append(others, p)
		}
		if len(others) == 2 {
			break
		}
	}
	where := "another in the same file"
	if len(others) > 0 {
		where = strings.Join(others, ", ")
		if len(copies) > len(others)+1 {
			where += ", …"
		}
	}
	return fmt.Sprintf("%d copies of %s are equally near (%s), so hoplint took the one in %s", len(copies), m.Ref(), where, m.File.Path)
}

func joinTies(a, b string) string {
	if a != "" && b != "" {
		return a + "; " + b
	}
	return a + b
}

// selectedWorkload is a workload a Service selects, with the words that
// say which copy was taken when several were equally near.
type selectedWorkload struct {
	w   *kubernetes.Workload
	tie string
}

// selected returns the workloads whose pods Service s selects: for each
// workload whose pod labels can carry every pair of the selector, the copy
// nearest to the Service (its own stack), kept when that copy's labels
// match. An empty selector selects nothing (a Service without one has
// manually managed endpoints). A selector that matches more than
// maxFanOut workloads is reported as ambiguous and selects nothing.
func (c *k8sCluster) selected(s *kubernetes.Service) []selectedWorkload {
	keys := c.selectionKeys(s.Space(), s.Selector)
	if len(keys) > maxFanOut {
		if !c.ambiguous[s] {
			c.ambiguous[s] = true
			c.ambiguousSelector(s, keys)
		}
		return nil
	}
	var out []selectedWorkload
	for _, k := range keys {
		copies, _ := c.wlCopies[k].Nearest(s.File.Path)
		var match []*kubernetes.Workload
		for _, w := range copies {
			if selects(s.Selector, w.PodLabels) {
				match = append(match, w)
			}
		}
		if len(match) == 1 || len(match) > 1 && !c.strict {
			out = append(out, selectedWorkload{match[0], tieWords(match)})
		}
	}
	return out
}

func selects(sel, labels kubernetes.StrMap) bool {
	for _, s := range sel {
		if l, ok := labels.Lookup(s.Name); !ok || l.Value != s.Value {
			return false
		}
	}
	return true
}

// selectionKeys returns the workload keys some copy of which carries each
// pair of the selector: the intersection of one index lookup per pair,
// starting from the rarest, computed once per namespace and selector.
func (c *k8sCluster) selectionKeys(ns string, sel kubernetes.StrMap) []int {
	if len(sel) == 0 {
		return nil
	}
	memo := ns + "\x00" + sel.String()
	if keys, ok := c.selections[memo]; ok {
		return keys
	}
	lists := make([][]int, 0, len(sel))
	for _, s := range sel {
		l := c.byLabel[ns+"\x00"+s.Name+"="+s.Value]
		if len(l) == 0 {
			c.selections[memo] = nil
			return nil
		}
		lists = append(lists, l)
	}
	sort.Slice(lists, func(i, j int) bool { return len(lists[i]) < len(lists[j]) })
	var out []int
	for _, i := range lists[0] {
		all := true
		for _, l := range lists[1:] {
			if !containsInt(l, i) {
				all = false
				break
			}
		}
		if all {
			out = append(out, i)
		}
	}
	c.selections[memo] = out
	return out
}

// ambiguousSelector reports a selector that matches too many workloads to
// link: each link would be a guess, and all of them together a cross
// product.
func (c *k8sCluster) ambiguousSelector(s *kubernetes.Service, keys []int) {
	names := make([]string, 0, 3)
	for _, k := range keys[:3] {
		copies, _ := c.wlCopies[k].Nearest(s.File.Path)
		names = append(names, copies[0].Ref())
	}
	c.part.AddProblems(parsers.Problem{Kind: parsers.ProblemAmbiguous, Range: s.SelectorRange,
		Message: fmt.Sprintf("the selector of Service %s (%s) matches the pods of %d workloads (%s, …); hoplint links a Service to at most %d workloads, so it links this one to none and checks nothing behind it. Give the Service a selector that names its own pods, or declare the stack in .hoplint.yml.",
			refName(&s.Object), s.Selector.String(), len(keys), strings.Join(names, ", "), maxFanOut)})
}

func containsInt(sorted []int, x int) bool {
	i := sort.SearchInts(sorted, x)
	return i < len(sorted) && sorted[i] == x
}

func insertInt(sorted []int, x int) []int {
	i := sort.SearchInts(sorted, x)
	sorted = append(sorted, 0)
	copy(sorted[i+1:], sorted[i:])
	sorted[i] = x
	return sorted
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
		app.set(h)
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
	for _, sw := range c.selected(s) {
		w := sw.w
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
				why := fmt.Sprintf("Service %s selects the pods of %s (%s)", refName(&s.Object), w.Ref(), s.Selector.String())
				conf := Reference
				if !sure {
					conf = Assumed
					why += fmt.Sprintf("; no container declares port %s, so every container was taken", portWords(p))
				}
				if sw.tie != "" {
					why += "; " + sw.tie
					conf = Assumed
				}
				c.part.Link(&Edge{From: h, To: to, Why: why, Confidence: conf, Range: s.SelectorRange, tie: sw.tie})
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

func portWords(p kubernetes.ServicePort) string {
	if p.TargetPort != "" {
		return p.TargetPort
	}
	return strconv.Itoa(p.Port)
}

// backendHops resolves an Ingress backend to the Service (the nearest
// copy) and the workloads behind it, with the words that say which copy
// was taken when several were equally near.
func (c *k8sCluster) backendHops(in *kubernetes.Ingress, b kubernetes.Backend) (*kubernetes.Service, string, []selectedWorkload) {
	s, tie := nearestOne(in.File.Path, c.svcByName[in.Space()+"/"+b.Service])
	if s == nil || tie != "" && c.strict {
		return nil, "", nil
	}
	return s, tie, c.selected(s)
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
		s, tie, ws := c.backendHops(in, b)
		if s == nil {
			continue
		}
		p, ok := servicePortFor(s, b)
		if !ok && len(s.Ports) > 0 && (b.PortNum != 0 || b.PortName != "") {
			// The backend names a port the Service does not have: the
			// controller finds no endpoints, and nothing reaches the pods.
			continue
		}
		for _, sw := range ws {
			w := sw.w
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
				if n := joinTies(tie, sw.tie); n != "" {
					why += "; " + n
					conf = Assumed
				}
				c.part.Link(&Edge{From: h, To: to, Why: why, Confidence: conf, Range: b.Range})
			}
		}
	}
}
