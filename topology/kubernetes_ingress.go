package topology

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/hoplint/hoplint/parsers"
	"github.com/hoplint/hoplint/parsers/kubernetes"
	"github.com/hoplint/hoplint/topology/appserver"
)

const (
	ingressNginxConfigDoc     = "https://kubernetes.github.io/ingress-nginx/user-guide/nginx-configuration/configmap/"
	ingressNginxAnnotationDoc = "https://kubernetes.github.io/ingress-nginx/user-guide/nginx-configuration/annotations/"
	albIngressDoc             = "https://kubernetes-sigs.github.io/aws-load-balancer-controller/latest/guide/ingress/annotations/"
	albAttributesDoc          = "https://docs.aws.amazon.com/elasticloadbalancing/latest/application/edit-load-balancer-attributes.html"
	clbIdleDoc                = "https://docs.aws.amazon.com/elasticloadbalancing/latest/classic/config-idle-timeout.html"

	nginxAnnotationPrefix = "nginx.ingress.kubernetes.io/"
	albAnnotationPrefix   = "alb.ingress.kubernetes.io/"
	awsServicePrefix      = "service.beta.kubernetes.io/aws-load-balancer-"
	ingressNginxClass     = "k8s.io/ingress-nginx"
	albIdleAttribute      = "idle_timeout.timeout_seconds"
	albControllerClass    = "ingress.k8s.aws/alb"
)

// nginxController is an ingress-nginx controller found among the linted
// workloads, with what its arguments say.
type nginxController struct {
	w               *kubernetes.Workload
	configMap       string // "namespace/name"; "" when it reads none
	ingressClass    string
	controllerClass string
	version         string
}

// controllerIndex finds the ingress-nginx controllers that may serve an
// Ingress, each resolved to its copies nearest to the Ingress, and caches
// what their ConfigMaps say per set of controllers: a thousand Ingresses
// behind one controller read its ConfigMap once.
type controllerIndex struct {
	keys   map[string]int // "Kind/namespace/name" of the controller workload
	copies []*NearIndex[*nginxController]
	// byClass maps an --ingress-class to controller keys; byBoth maps
	// --controller-class and --ingress-class, joined by NUL.
	byClass, byBoth map[string][]int
	all             []int
	// conventional lists the ConfigMaps named like the controller's own
	// (for a tree that holds the ConfigMap but not the controller), sorted.
	conventional []string
	settings     map[string]*ctlSettings
}

// ctlSettings is what the ConfigMaps of one set of controllers say.
type ctlSettings struct {
	cms     []*kubernetes.ConfigMap
	note    string
	version string
	values  map[string]cmValue
}

// get reads one key from every candidate ConfigMap, once.
func (s *ctlSettings) get(key string) cmValue {
	v, ok := s.values[key]
	if !ok {
		v = lookupCM(s.cms, key)
		s.values[key] = v
	}
	return v
}

// findControllers looks for ingress-nginx controller containers: the
// controller image, or the /nginx-ingress-controller binary.
func (c *k8sCluster) findControllers() {
	for _, w := range c.workloads {
		for _, ct := range w.Pod.Containers {
			words := append(append([]kubernetes.Str{}, ct.Command...), ct.Args...)
			isCtl := strings.Contains(ct.Image.Value, "ingress-nginx/controller") ||
				strings.Contains(ct.Image.Value, "nginx-ingress-controller")
			for _, wd := range words {
				if strings.HasSuffix(wd.Value, "/nginx-ingress-controller") || wd.Value == "nginx-ingress-controller" {
					isCtl = true
				}
			}
			if !isCtl {
				continue
			}
			ctl := &nginxController{w: w, ingressClass: "nginx", controllerClass: ingressNginxClass}
			_, ctl.version = appserver.ImageName(ct.Image.Value)
			for i, wd := range words {
				name, val, hasVal := strings.Cut(wd.Value, "=")
				if !hasVal && i+1 < len(words) && strings.HasPrefix(name, "--") {
					val = words[i+1].Value
				}
				val = strings.ReplaceAll(val, "$(POD_NAMESPACE)", w.NS())
				switch name {
				case "--configmap":
					ctl.configMap = val
				case "--ingress-class":
					ctl.ingressClass = val
				case "--controller-class":
					ctl.controllerClass = val
				}
			}
			c.controllers = append(c.controllers, ctl)
			break
		}
	}
	c.indexControllers()
}

func (c *k8sCluster) indexControllers() {
	x := &c.ctl
	x.keys, x.byClass, x.byBoth, x.settings = map[string]int{}, map[string][]int{}, map[string][]int{}, map[string]*ctlSettings{}
	var copies [][]*nginxController
	for _, ctl := range c.controllers {
		key := ctl.w.Kind + "/" + ctl.w.NS() + "/" + ctl.w.Name
		k, ok := x.keys[key]
		if !ok {
			k = len(copies)
			x.keys[key] = k
			copies = append(copies, nil)
			x.all = append(x.all, k)
		}
		copies[k] = append(copies[k], ctl)
		addKey(x.byClass, ctl.ingressClass, k)
		addKey(x.byBoth, ctl.controllerClass+"\x00"+ctl.ingressClass, k)
	}
	for _, cs := range copies {
		x.copies = append(x.copies, NewNearIndex(cs, func(n *nginxController) string { return n.w.File.Path }))
	}
	for key := range c.configMaps {
		_, name, _ := strings.Cut(key, "/")
		if name == "ingress-nginx-controller" || name == "nginx-configuration" {
			x.conventional = append(x.conventional, key)
		}
	}
	sort.Strings(x.conventional)
}

// addKey appends k to m[name] unless it is there already. A class has few
// distinct controllers (copies of one controller share its key), so the
// scan stays short.
func addKey(m map[string][]int, name string, k int) {
	for _, have := range m[name] {
		if have == k {
			return
		}
	}
	m[name] = append(m[name], k)
}

// ingressController decides which controller serves an Ingress, and the
// assumptions that took.
type ingressRoute struct {
	kind HopKind
	// controllers are controller keys (controllerIndex.copies); each
	// resolves to its copies nearest to the Ingress.
	controllers []int
	notes       []string
}

func (c *k8sCluster) route(in *kubernetes.Ingress) ingressRoute {
	class := in.ClassName.Value
	if class == "" {
		class = in.ClassAnnotation.Value
	}
	if class == "" {
		if ic, _ := nearestOne(in.File.Path, c.defaultClasses); ic != nil {
			class = ic.Name
		}
	}
	if class != "" {
		if ic, _ := nearestOne(in.File.Path, c.classes[class]); ic != nil {
			ctl := ic.Controller.Value
			switch ctl {
			case albControllerClass:
				return ingressRoute{kind: KindIngressALB}
			case nginxIncClass:
				return ingressRoute{kind: KindIngressNginxInc}
			case azureAppRoutingCtl:
				// AKS application routing runs a managed ingress-nginx.
				return ingressRoute{kind: KindIngressNginx, notes: []string{"IngressClass " + class + " is AKS application routing, a managed ingress-nginx; its controller's ConfigMap is not among the linted files"}}
			}
			// A controller serves the IngressClasses whose spec.controller is
			// its --controller-class and whose name is its --ingress-class.
			ctls := c.ctl.byBoth[ctl+"\x00"+class]
			if len(ctls) > 0 || ctl == ingressNginxClass {
				return ingressRoute{kind: KindIngressNginx, controllers: ctls}
			}
			return ingressRoute{kind: KindIngress}
		}
		ctls := c.ctl.byClass[class]
		switch {
		case len(ctls) > 0:
			return ingressRoute{kind: KindIngressNginx, controllers: ctls}
		case class == "alb":
			return ingressRoute{kind: KindIngressALB, notes: []string{`assuming class "alb" is the AWS Load Balancer Controller's (no IngressClass alb among the linted files)`}}
		case class == "nginx":
			// Both ingress-nginx and NGINX Inc's controller install a
			// class named nginx: the annotations tell them apart.
			f := families(in)
			if !f.nginxInc && !f.ingressNginx {
				// No annotation says: the chart that renders the
				// Ingress may, by the controller chart it depends on.
				switch inc, community := chartControllerDeps(c.env, in.File); {
				case inc && !community:
					return ingressRoute{kind: KindIngress, notes: []string{`class "nginx" may be NGINX Inc's NGINX Ingress Controller, which the chart rendering this Ingress installs as a dependency (from helm.nginx.com), or ingress-nginx: hoplint cannot tell which serves it`}}
				case community && !inc:
					return ingressRoute{kind: KindIngressNginx, notes: []string{`assuming class "nginx" is served by ingress-nginx, which the chart rendering this Ingress installs as a dependency`}}
				}
			}
			switch {
			case f.nginxInc && !f.ingressNginx:
				return ingressRoute{kind: KindIngressNginxInc, notes: []string{`assuming class "nginx" is served by NGINX Inc's NGINX Ingress Controller (no IngressClass nginx among the linted files; the Ingress uses nginx.org annotations)`}}
			case f.nginxInc && f.ingressNginx:
				return ingressRoute{kind: KindIngress, notes: []string{`class "nginx" with both nginx.org and nginx.ingress.kubernetes.io annotations: hoplint cannot tell whether ingress-nginx or NGINX Inc's controller serves it`}}
			}
			return ingressRoute{kind: KindIngressNginx, notes: []string{`assuming class "nginx" is served by ingress-nginx (no IngressClass nginx among the linted files)`}}
		case class == azureAppRouting:
			return ingressRoute{kind: KindIngressNginx, notes: []string{"class " + azureAppRouting + " is AKS application routing, a managed ingress-nginx; its controller's ConfigMap is not among the linted files"}}
		}
		return ingressRoute{kind: KindIngress}
	}
	f := families(in)
	switch {
	case f.ingressNginx && !f.nginxInc && !f.alb:
		return ingressRoute{kind: KindIngressNginx, controllers: c.ctl.all, notes: []string{"assuming ingress-nginx serves this Ingress: it names no class and uses nginx.ingress.kubernetes.io annotations"}}
	case f.nginxInc && !f.ingressNginx && !f.alb:
		return ingressRoute{kind: KindIngressNginxInc, notes: []string{"assuming NGINX Inc's NGINX Ingress Controller serves this Ingress: it names no class and uses nginx.org annotations"}}
	case f.alb && !f.ingressNginx && !f.nginxInc:
		return ingressRoute{kind: KindIngressALB, notes: []string{"assuming the AWS Load Balancer Controller serves this Ingress: it names no class and uses alb.ingress.kubernetes.io annotations"}}
	}
	return ingressRoute{kind: KindIngress}
}

func (c *k8sCluster) ingressHop(in *kubernetes.Ingress) {
	rt := c.route(in)
	h := &Hop{
		ID: hopID(&in.Object, ""), Kind: rt.kind, File: in.File.Path, Range: in.NameRange,
		Config: in, Notes: rt.notes,
	}
	if len(in.Backends) > 0 {
		h.Proxy = in.Backends[0].Range
	}
	if in.Legacy {
		h.Notes = append(h.Notes, "the Ingress uses the "+in.APIVersion+" API, removed in Kubernetes 1.22; hoplint reads it as networking.k8s.io/v1 would")
	}
	switch rt.kind {
	case KindIngressNginx:
		h.Name = "ingress-nginx for Ingress " + refName(&in.Object)
		c.ingressNginxSettings(h, in, rt)
	case KindIngressALB:
		h.Name = "ALB of Ingress " + refName(&in.Object)
		c.albSettings(h, in)
	case KindIngressNginxInc:
		h.Name = "NGINX Ingress Controller for Ingress " + refName(&in.Object)
		c.nginxIncSettings(h, in)
	default:
		h.Name = "Ingress " + refName(&in.Object)
	}
	c.part.AddHop(h)
	c.linkBackends(h, in)
}

// cmValue is a controller ConfigMap key as the candidate ConfigMaps say it.
type cmValue struct {
	v     kubernetes.Str
	agree bool // false when candidates disagree: the value is Unknown
}

// controllerSettings returns what configures the controllers of rt as
// seen from the Ingress at from: each controller's copies nearest to the
// Ingress, and for each of those the copies of its --configmap nearest to
// it. Copies that are equally near all count: a key is known only when
// they agree. The result is shared by every Ingress that resolves to the
// same copies.
func (c *k8sCluster) controllerSettings(from string, rt ingressRoute) *ctlSettings {
	x := &c.ctl
	var sig strings.Builder
	var runs [][]*nginxController
	if len(rt.controllers) > 0 {
		for _, k := range rt.controllers {
			ctls, lo := x.copies[k].Nearest(from)
			fmt.Fprintf(&sig, "%d:%d:%d;", k, lo, len(ctls))
			runs = append(runs, ctls)
		}
	} else {
		for i, key := range x.conventional {
			cms, lo := c.configMaps[key].Nearest(from)
			fmt.Fprintf(&sig, "c%d:%d:%d;", i, lo, len(cms))
		}
	}
	if s, ok := x.settings[sig.String()]; ok {
		return s
	}
	s := &ctlSettings{values: map[string]cmValue{}}
	x.settings[sig.String()] = s
	switch {
	case len(runs) > 0:
		versions := map[string]bool{}
		for _, r := range runs {
			for _, ctl := range r {
				versions[ctl.version] = true
				if ctl.configMap != "" {
					cms, _ := c.configMaps[ctl.configMap].Nearest(ctl.w.File.Path)
					s.cms = append(s.cms, cms...)
				}
			}
		}
		if len(versions) == 1 {
			for v := range versions {
				s.version = v
			}
		}
	case len(x.conventional) > 0:
		// No controller among the files: the conventional names of the Helm
		// chart and of the old static manifests.
		for _, key := range x.conventional {
			cms, _ := c.configMaps[key].Nearest(from)
			s.cms = append(s.cms, cms...)
		}
		s.note = "assuming ConfigMap " + x.conventional[0] + " configures the ingress-nginx controller (its conventional name; the controller is not among the linted files)"
	default:
		s.note = "the ingress-nginx controller and its ConfigMap are not among the linted files; its defaults are assumed"
	}
	return s
}

// lookup reads one key from every candidate ConfigMap: the value when all
// agree (all unset means the default applies).
func lookupCM(cms []*kubernetes.ConfigMap, key string) cmValue {
	var first kubernetes.Str
	for i, cm := range cms {
		v := cm.Data.Get(key)
		if i == 0 {
			first = v
			continue
		}
		if v.Set != first.Set || v.Value != first.Value {
			return cmValue{}
		}
	}
	return cmValue{v: first, agree: true}
}

func ingressNginxDefault(key string, version string) *DefaultSource {
	v := "all versions"
	if version != "" {
		v = version
	}
	return &DefaultSource{Product: "ingress-nginx", Version: v, URL: ingressNginxConfigDoc + "#" + key}
}

func (c *k8sCluster) ingressNginxSettings(h *Hop, in *kubernetes.Ingress, rt ingressRoute) {
	set := c.controllerSettings(in.File.Path, rt)
	if set.note != "" {
		h.Notes = append(h.Notes, set.note)
	}
	version := set.version
	obj := in.NameRange
	seconds := func(key, annotation string, def time.Duration) Duration {
		if annotation != "" {
			if a, ok := in.Annotations.Lookup(nginxAnnotationPrefix + annotation); ok && a.Set {
				if n, err := strconv.Atoi(strings.TrimSpace(a.Value)); err == nil && n >= 0 {
					return SetAt(nginxAnnotationPrefix+annotation, time.Duration(n)*time.Second, a.Range)
				}
				c.part.AddProblems(parsers.Problem{Kind: parsers.ProblemInvalid, Range: a.Range,
					Message: fmt.Sprintf("ingress-nginx reads %s%s as a whole number of seconds; %q is not one, so the controller ignores the annotation and keeps the ConfigMap value or its default. Write %q.",
						nginxAnnotationPrefix, annotation, a.Value, wholeSeconds(a.Value))})
			}
		}
		cv := set.get(key)
		switch {
		case !cv.agree:
			return Duration{Name: key}
		case cv.v.Set:
			if n, err := strconv.Atoi(strings.TrimSpace(cv.v.Value)); err == nil && n >= 0 {
				return SetAt(key, time.Duration(n)*time.Second, cv.v.Range)
			}
			c.part.AddProblems(parsers.Problem{Kind: parsers.ProblemInvalid, Range: cv.v.Range,
				Message: fmt.Sprintf("ingress-nginx reads %s as a whole number of seconds; %q is not one. Write %q.", key, cv.v.Value, wholeSeconds(cv.v.Value))})
			return Duration{Name: key}
		}
		return DefaultFor(key, def, obj, ingressNginxDefault(key, version))
	}
	// Annotations read as unitless seconds that no hop field carries are
	// still checked: a unit makes the controller ignore them.
	for _, a := range []string{"proxy-connect-timeout", "proxy-send-timeout"} {
		seconds(a, a, 0)
	}
	h.KeepAlive = seconds("keep-alive", "", 75*time.Second)
	h.UpstreamTimeout = seconds("proxy-read-timeout", "proxy-read-timeout", 60*time.Second)

	pooled := true
	if cv := set.get("upstream-keepalive-connections"); !cv.agree {
		pooled = false
	} else if cv.v.Set && strings.TrimSpace(cv.v.Value) == "0" {
		pooled = false
	}
	if a := in.Annotations.Get(nginxAnnotationPrefix + "proxy-http-version"); a.Set && strings.TrimSpace(a.Value) == "1.0" {
		pooled = false // HTTP/1.0 upstream requests close the connection
	}
	if pooled {
		h.PoolIdle = seconds("upstream-keepalive-timeout", "", 60*time.Second)
	}

	// Body size: the annotation, then the ConfigMap, then 1m.
	if a, ok := in.Annotations.Lookup(nginxAnnotationPrefix + "proxy-body-size"); ok && a.Set {
		if n, ok := nginxSize(a.Value); ok {
			h.BodyLimit = SetAt(nginxAnnotationPrefix+"proxy-body-size", n, a.Range)
			return
		}
		c.part.AddProblems(parsers.Problem{Kind: parsers.ProblemInvalid, Range: a.Range,
			Message: fmt.Sprintf("%sproxy-body-size %q is not an nginx size (a number with an optional k, m or g suffix); nginx would refuse the generated configuration", nginxAnnotationPrefix, a.Value)})
		return
	}
	cv := set.get("proxy-body-size")
	switch {
	case !cv.agree:
		h.BodyLimit = Size{Name: "proxy-body-size"}
	case cv.v.Set:
		if n, ok := nginxSize(cv.v.Value); ok {
			h.BodyLimit = SetAt("proxy-body-size", n, cv.v.Range)
		} else {
			c.part.AddProblems(parsers.Problem{Kind: parsers.ProblemInvalid, Range: cv.v.Range,
				Message: fmt.Sprintf("proxy-body-size %q is not an nginx size (a number with an optional k, m or g suffix)", cv.v.Value)})
			h.BodyLimit = Size{Name: "proxy-body-size"}
		}
	default:
		h.BodyLimit = DefaultFor(nginxAnnotationPrefix+"proxy-body-size", int64(1<<20), obj, ingressNginxDefault("proxy-body-size", version))
	}
}

// wholeSeconds suggests the unitless form of "60s" or "2m".
func wholeSeconds(v string) string {
	if d, err := time.ParseDuration(strings.TrimSpace(v)); err == nil && d >= time.Second {
		return strconv.Itoa(int(d / time.Second))
	}
	return "60"
}

// nginxSize reads an nginx size: digits with an optional k, m or g
// suffix (either case). "0" switches the limit off.
func nginxSize(s string) (int64, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, false
	}
	mult := int64(1)
	switch s[len(s)-1] {
	case 'k', 'K':
		mult, s = 1<<10, s[:len(s)-1]
	case 'm', 'M':
		mult, s = 1<<20, s[:len(s)-1]
	case 'g', 'G':
		mult, s = 1<<30, s[:len(s)-1]
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n < 0 || n > (1<<62)/mult {
		return 0, false
	}
	if n == 0 {
		return Unlimited, true
	}
	return n * mult, true
}

// attributes parses "key=value,key=value" (the AWS LB controller's
// attribute annotations).
func attributes(s string) map[string]string {
	out := map[string]string{}
	for _, kv := range strings.Split(s, ",") {
		k, v, ok := strings.Cut(kv, "=")
		if ok {
			out[strings.TrimSpace(k)] = strings.TrimSpace(v)
		}
	}
	return out
}

func (c *k8sCluster) albSettings(h *Hop, in *kubernetes.Ingress) {
	const attr = albIdleAttribute
	src := &DefaultSource{Product: "AWS Application Load Balancer", Version: "all versions", URL: albAttributesDoc}
	idle := DefaultFor(attr, 60*time.Second, in.NameRange, src)
	a, ok := in.Annotations.Lookup(albAnnotationPrefix + "load-balancer-attributes")
	if !ok {
		// In an IngressGroup, attributes set on another member apply to
		// the shared load balancer: the member nearest to this Ingress.
		if g := in.Annotations.Get(albAnnotationPrefix + "group.name"); g.Set {
			if o, _ := nearestOne(in.File.Path, c.albGroups[g.Value]); o != nil {
				a, ok = o.Annotations.Get(albAnnotationPrefix+"load-balancer-attributes"), true
				h.Notes = append(h.Notes, "Ingress "+refName(&o.Object)+" sets the attributes of IngressGroup "+g.Value)
			}
		}
	}
	if ok {
		if v, has := attributes(a.Value)[attr]; has {
			n, err := strconv.Atoi(v)
			if err != nil || n < 1 || n > 4000 {
				c.part.AddProblems(parsers.Problem{Kind: parsers.ProblemInvalid, Range: a.Range,
					Message: fmt.Sprintf("%s=%s: AWS takes a whole number of seconds from 1 to 4000 and rejects this value, so the controller cannot apply the attributes", attr, v)})
				idle = Duration{Name: attr}
			} else {
				idle = SetAt(attr, time.Duration(n)*time.Second, a.Range)
			}
		}
	}
	h.KeepAlive, h.PoolIdle, h.UpstreamTimeout = idle, idle, idle
}

// loadBalancerService turns a Service of type LoadBalancer into the load
// balancer it makes, where the annotations say which AWS one that is.
// Without AWS annotations the provider is unknown and the hop keeps
// Unknown settings.
func (c *k8sCluster) loadBalancerService(s *kubernetes.Service, h *Hop) {
	aws := s.LoadBalancerClass.Value == "service.k8s.aws/nlb"
	for _, a := range s.Annotations {
		if strings.HasPrefix(a.Name, awsServicePrefix) {
			aws = true
		}
	}
	if !aws {
		h.Name = "load balancer of Service " + refName(&s.Object)
		return
	}
	typ := s.Annotations.Get(awsServicePrefix + "type").Value
	idleAnn, hasIdle := s.Annotations.Lookup(awsServicePrefix + "connection-idle-timeout")
	if typ == "nlb" || typ == "external" || typ == "nlb-ip" || s.LoadBalancerClass.Value == "service.k8s.aws/nlb" {
		h.Kind = KindNLB
		h.Name = "NLB of Service " + refName(&s.Object)
		if hasIdle {
			c.part.AddProblems(parsers.Problem{Kind: ignoredAnnotationKind, Range: idleAnn.Key,
				Message: fmt.Sprintf("%sconnection-idle-timeout only applies to a Classic ELB; this Service makes a network load balancer (%stype: %s), which ignores it. Remove it, or set the NLB's TCP idle timeout with %slistener-attributes.TCP-PORT: tcp.idle_timeout.seconds=N.",
					awsServicePrefix, awsServicePrefix, typ, awsServicePrefix)})
		}
		return
	}
	h.Kind = KindCLB
	h.Name = "Classic ELB of Service " + refName(&s.Object)
	src := &DefaultSource{Product: "AWS Classic Load Balancer", Version: "all versions", URL: clbIdleDoc}
	idle := DefaultFor("connection-idle-timeout", 60*time.Second, s.NameRange, src)
	if hasIdle {
		n, err := strconv.Atoi(strings.TrimSpace(idleAnn.Value))
		if err != nil || n < 1 || n > 4000 {
			c.part.AddProblems(parsers.Problem{Kind: parsers.ProblemInvalid, Range: idleAnn.Range,
				Message: fmt.Sprintf("%sconnection-idle-timeout %q: the Classic ELB idle timeout is a whole number of seconds from 1 to 4000", awsServicePrefix, idleAnn.Value)})
			idle = Duration{Name: "connection-idle-timeout"}
		} else {
			idle = SetAt(awsServicePrefix+"connection-idle-timeout", time.Duration(n)*time.Second, idleAnn.Range)
		}
	}
	h.KeepAlive = idle
	// A Classic ELB pools connections to its instances only with HTTP
	// listeners; TCP listeners (the default) pass each connection through.
	if p := strings.ToLower(s.Annotations.Get(awsServicePrefix + "backend-protocol").Value); p == "http" || p == "https" {
		h.PoolIdle = idle
		h.UpstreamTimeout = idle
	}
}

// ignoredAnnotationKind reports an annotation the load balancer ignores;
// the ignored-lb-attribute rule reports it.
const ignoredAnnotationKind = parsers.ProblemIgnoredAttribute
