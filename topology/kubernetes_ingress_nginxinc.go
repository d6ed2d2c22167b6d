package topology

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/hoplint/hoplint/parsers"
	"github.com/hoplint/hoplint/parsers/kubernetes"
	"github.com/hoplint/hoplint/parsers/nginx"
)

// NGINX Inc's Ingress controller (nginxinc/kubernetes-ingress, "NGINX
// Ingress Controller", images nginx/nginx-ingress) is not ingress-nginx:
// it reads nginx.org/* annotations (nginx.com/* with NGINX Plus) and a
// ConfigMap of its own, with its own keys and defaults
// (docs/facts/nginx-inc-ingress.md). An Ingress it serves is its hop, and
// what ingress-nginx would read there means nothing to it.

// KindIngressNginxInc is NGINX Inc's Ingress controller serving an Ingress.
const KindIngressNginxInc HopKind = "nginx-inc-ingress"

const (
	nginxOrgPrefix     = "nginx.org/"
	nginxComPrefix     = "nginx.com/"
	nginxIncClass      = "nginx.org/ingress-controller"
	nginxIncDoc        = "https://docs.nginx.com/nginx-ingress-controller/configuration/ingress-resources/advanced-configuration-with-annotations/"
	nginxIncConfigMap  = "nginx-config"
	azureAppRouting    = "webapprouting.kubernetes.azure.com"
	azureAppRoutingCtl = "webapprouting.kubernetes.azure.com/nginx"
	azureAppRoutingDoc = "https://learn.microsoft.com/en-us/azure/aks/app-routing"
)

// annotationFamilies says which controllers' annotations an Ingress
// carries.
type annotationFamilies struct {
	ingressNginx, nginxInc, alb bool
}

func families(in *kubernetes.Ingress) annotationFamilies {
	var f annotationFamilies
	for _, a := range in.Annotations {
		switch k := a.Name; {
		case strings.HasPrefix(k, nginxAnnotationPrefix):
			f.ingressNginx = true
		case strings.HasPrefix(k, nginxOrgPrefix), strings.HasPrefix(k, nginxComPrefix):
			f.nginxInc = true
		case strings.HasPrefix(k, albAnnotationPrefix):
			f.alb = true
		}
	}
	return f
}

// nginxIncSettings reads what NGINX Inc's controller does for one Ingress:
// the annotation, else the key of a ConfigMap named nginx-config (the name
// its manifests use) when every such ConfigMap agrees, else the
// controller's default.
func (c *k8sCluster) nginxIncSettings(h *Hop, in *kubernetes.Ingress) {
	cms := c.nginxIncConfigMaps(in)
	obj := in.NameRange
	src := &DefaultSource{Product: "NGINX Ingress Controller", Version: "all versions", URL: nginxIncDoc}
	if len(cms) == 0 {
		h.Notes = append(h.Notes, "assuming the controller's ConfigMap (not among the linted files) leaves client-max-body-size and proxy-read-timeout at their defaults")
	}
	value := func(key string) (kubernetes.Str, string, bool) {
		if a, ok := in.Annotations.Lookup(nginxOrgPrefix + key); ok && a.Set {
			return a, nginxOrgPrefix + key, true
		}
		cv := lookupCM(cms, key)
		if !cv.agree {
			return kubernetes.Str{}, key, false
		}
		return cv.v, key, true
	}
	if v, name, known := value("client-max-body-size"); !known {
		h.BodyLimit = Size{Name: name}
	} else if v.Set {
		if n, err := nginx.ParseSize(strings.TrimSpace(v.Value), nginx.Offset); err == nil {
			if n == 0 {
				n = Unlimited
			}
			h.BodyLimit = SetAt(name, n, v.Range)
		} else {
			c.part.AddProblems(parsers.Problem{Kind: parsers.ProblemInvalid, Range: v.Range,
				Message: fmt.Sprintf("%s %q is not an nginx size (%v); the NGINX Ingress Controller rejects the value", name, v.Value, err)})
			h.BodyLimit = Size{Name: name}
		}
	} else {
		h.BodyLimit = DefaultFor(nginxOrgPrefix+"client-max-body-size", int64(1<<20), obj, src)
	}
	if v, name, known := value("proxy-read-timeout"); !known {
		h.UpstreamTimeout = Duration{Name: name}
	} else if v.Set {
		if d, err := nginx.ParseTime(strings.TrimSpace(v.Value), nginx.Millis); err == nil {
			h.UpstreamTimeout = SetAt(name, d, v.Range)
		} else {
			c.part.AddProblems(parsers.Problem{Kind: parsers.ProblemInvalid, Range: v.Range,
				Message: fmt.Sprintf("%s %q is not an nginx time (%v)", name, v.Value, err)})
			h.UpstreamTimeout = Duration{Name: name}
		}
	} else {
		h.UpstreamTimeout = DefaultFor(nginxOrgPrefix+"proxy-read-timeout", 60*time.Second, obj, src)
	}
	// Upstream connections are pooled only when keepalive is above 0 (its
	// default); the pool then idles for nginx's upstream keepalive_timeout,
	// which the controller does not set.
	if v, _, known := value("keepalive"); known && v.Set {
		if n, err := strconv.Atoi(strings.TrimSpace(v.Value)); err == nil && n > 0 {
			nsrc := &DefaultSource{Product: "nginx (upstream keepalive_timeout, which the NGINX Ingress Controller does not set)", Version: "1.15.3 and later", URL: "https://nginx.org/en/docs/http/ngx_http_upstream_module.html#keepalive_timeout"}
			h.PoolIdle = DefaultFor("keepalive_timeout", 60*time.Second, v.Range, nsrc)
		}
	}
}

// nginxIncConfigMaps are the ConfigMaps named nginx-config nearest to the
// Ingress, in any namespace (the controller's namespace is its own).
func (c *k8sCluster) nginxIncConfigMaps(in *kubernetes.Ingress) []*kubernetes.ConfigMap {
	var keys []string
	for key := range c.configMaps {
		if _, name, _ := strings.Cut(key, "/"); name == nginxIncConfigMap {
			keys = append(keys, key)
		}
	}
	sort.Strings(keys)
	var out []*kubernetes.ConfigMap
	for _, key := range keys {
		near, _ := c.configMaps[key].Nearest(in.File.Path)
		out = append(out, near...)
	}
	return out
}
