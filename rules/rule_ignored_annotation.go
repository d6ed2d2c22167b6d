package rules

import (
	"fmt"
	"strings"

	"github.com/hoplint/hoplint/parsers/kubernetes"
	"github.com/hoplint/hoplint/topology"
)

var ignoredAnnotation = &Rule{
	ID:       "ignored-annotation",
	Title:    "an Ingress annotation that its controller does not read",
	Severity: Warning,
	Doc: `An annotation on an Ingress takes effect only when the controller that
serves the Ingress reads it; any other annotation is accepted by the API
server and silently ignored, so the configuration reads as if a timeout or
limit were tuned while the controller runs with its own value:

- ` + "`nginx.ingress.kubernetes.io/upstream-keepalive-timeout`" + ` (and the other
  ` + "`upstream-keepalive-*`" + `, ` + "`keep-alive`" + ` and ` + "`keep-alive-requests`" + ` keys): ingress-nginx reads
  these only from its controller ConfigMap, never from an Ingress.
- ` + "`nginx.org/*`" + ` and ` + "`nginx.com/*`" + ` annotations on an Ingress that ingress-nginx serves:
  they belong to NGINX Inc's NGINX Ingress Controller.
- ` + "`nginx.ingress.kubernetes.io/*`" + ` annotations on an Ingress that NGINX Inc's
  controller serves: they belong to ingress-nginx.

Which controller serves an Ingress is decided as for every other rule: its
IngressClass's controller, else its class name and the annotations it
carries (docs/facts/ingress-nginx.md, docs/facts/nginx-inc-ingress.md).
Move the setting to where the controller reads it: the ConfigMap key, or
the annotation of the controller that serves the Ingress.`,
	Examples: []Example{
		{Name: "upstream-keepalive-timeout on an Ingress", Bad: true, Archive: `-- ingress.yaml --
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: web
  annotations:
    nginx.ingress.kubernetes.io/proxy-body-size: 8m
    nginx.ingress.kubernetes.io/upstream-keepalive-timeout: "30"
spec:
  ingressClassName: nginx
  defaultBackend:
    service: {name: web, port: {number: 80}}
`},
		{Name: "upstream-keepalive-timeout in the controller ConfigMap", Archive: `-- ingress.yaml --
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: web
  annotations:
    nginx.ingress.kubernetes.io/proxy-body-size: 8m
spec:
  ingressClassName: nginx
  defaultBackend:
    service: {name: web, port: {number: 80}}
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: ingress-nginx-controller
  namespace: ingress-nginx
data:
  upstream-keepalive-timeout: "30"
`},
	},
	Run: runIgnoredAnnotation,
}

func init() { Register(ignoredAnnotation) }

// ingressNginxConfigMapOnly are ingress-nginx settings that exist only as
// ConfigMap keys (docs/facts/ingress-nginx.md).
var ingressNginxConfigMapOnly = map[string]bool{
	"upstream-keepalive-timeout": true, "upstream-keepalive-connections": true,
	"upstream-keepalive-requests": true, "upstream-keepalive-time": true,
	"keep-alive": true, "keep-alive-requests": true,
}

// nginxIncToIngressNginx maps NGINX Inc annotation keys to the
// ingress-nginx annotation that does the same (both directions are used).
var nginxIncToIngressNginx = map[string]string{
	"client-max-body-size":  "proxy-body-size",
	"proxy-read-timeout":    "proxy-read-timeout",
	"proxy-send-timeout":    "proxy-send-timeout",
	"proxy-connect-timeout": "proxy-connect-timeout",
	"proxy-buffering":       "proxy-buffering",
}

const (
	ingressNginxPrefix = "nginx.ingress.kubernetes.io/"
	nginxOrgPrefix     = "nginx.org/"
	nginxComPrefix     = "nginx.com/"
)

func runIgnoredAnnotation(p *Pass) {
	for _, h := range p.Graph.Hops {
		in, ok := h.Config.(*kubernetes.Ingress)
		if !ok || (h.Kind != topology.KindIngressNginx && h.Kind != topology.KindIngressNginxInc) {
			continue
		}
		for _, a := range in.Annotations { // sorted by name
			k := a.Name
			if why, fix := ignoredWhy(h.Kind, k); why != "" {
				at := a.Key
				if at.IsZero() {
					at = a.Range
				}
				p.Report(Finding{Range: at, Message: fmt.Sprintf("%s on Ingress %s is ignored: %s. %s%s",
					k, ingressRef(in), why, fix, assumptions(h.Notes...))})
			}
		}
	}
}

// ignoredWhy says why the controller of kind ignores annotation k, and
// what to write instead; "" when it reads it (or hoplint cannot tell).
func ignoredWhy(kind topology.HopKind, k string) (string, string) {
	switch kind {
	case topology.KindIngressNginx:
		if key, ok := strings.CutPrefix(k, ingressNginxPrefix); ok && ingressNginxConfigMapOnly[key] {
			return "ingress-nginx reads " + key + " only from its controller ConfigMap, never from an Ingress, so every Ingress keeps the ConfigMap's value or the default",
				"Set " + key + " in the ingress-nginx controller's ConfigMap (it applies to every Ingress), and remove the annotation."
		}
		for _, pre := range []string{nginxOrgPrefix, nginxComPrefix} {
			if key, ok := strings.CutPrefix(k, pre); ok {
				fix := "Remove it, or serve the Ingress with NGINX Inc's controller (its IngressClass)."
				if eq, ok := nginxIncToIngressNginx[key]; ok {
					fix = "Write " + ingressNginxPrefix + eq + " instead."
				}
				return "it is an annotation of NGINX Inc's NGINX Ingress Controller, and ingress-nginx serves this Ingress", fix
			}
		}
	case topology.KindIngressNginxInc:
		if key, ok := strings.CutPrefix(k, ingressNginxPrefix); ok {
			fix := "Remove it, or serve the Ingress with ingress-nginx (its IngressClass)."
			for inc, eq := range nginxIncToIngressNginx {
				if eq == key {
					fix = "Write " + nginxOrgPrefix + inc + " instead."
				}
			}
			return "it is an ingress-nginx annotation, and NGINX Inc's NGINX Ingress Controller serves this Ingress", fix
		}
	}
	return "", ""
}

// ingressRef names an Ingress as "namespace/name" or "name".
func ingressRef(in *kubernetes.Ingress) string {
	if in.Namespace == "" {
		return in.Name
	}
	return in.Namespace + "/" + in.Name
}
