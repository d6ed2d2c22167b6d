//go:build linux

package hostile_test

import (
	"fmt"
	"strings"
	"testing"
)

const chartYAML = "apiVersion: v2\nname: c\nversion: 1.0.0\n"

const podTemplate = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: main\n      image: nginx:1.27\n"

// gatewayHead is a Gateway of Envoy Gateway's class with one listener.
const gatewayHead = `apiVersion: gateway.networking.k8s.io/v1
kind: GatewayClass
metadata:
  name: eg
spec:
  controllerName: gateway.envoyproxy.io/gatewayclass-controller
---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata:
  name: edge
  namespace: web
spec:
  gatewayClassName: eg
  listeners:
    - name: http
      protocol: HTTP
      port: 80
`

func route(i int) string {
	return fmt.Sprintf("---\napiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata:\n  name: r%d\n  namespace: web\nspec:\n  parentRefs:\n    - name: edge\n  rules:\n    - matches:\n        - path: {type: PathPrefix, value: /r%d}\n      backendRefs:\n        - name: proxy\n          port: 80\n", i, i)
}

// Variants for the formats that came with rendering (Kustomize, Helm) and
// with the Gateway API and OpenAPI loaders.
var formatCases = []hostileCase{
	// Kustomize.
	{name: "kustomize overlay chain 200 deep", gen: func(t *testing.T, d string) {
		write(t, d, "k0/kustomization.yaml", "resources:\n- pod.yaml\n")
		write(t, d, "k0/pod.yaml", podTemplate)
		for i := 1; i < 200; i++ {
			write(t, d, fmt.Sprintf("k%d/kustomization.yaml", i), fmt.Sprintf("resources:\n- ../k%d\nnamePrefix: a-\n", i-1))
		}
	}, want: []want{{"missing-memory-limit", "", 0, `container main`}}},
	{name: "kustomize lists itself", gen: func(t *testing.T, d string) {
		write(t, d, "kustomization.yaml", "resources:\n- .\n- ./\n- ../d\n")
	}, want: []want{{"parse-error", "d/kustomization.yaml", 0, `kustomize build fails`}}, maxFindings: 3},
	{name: "kustomize patch bomb", gen: func(t *testing.T, d string) {
		var b strings.Builder
		b.WriteString("resources:\n- pod.yaml\npatches:\n")
		for i := 0; i < 2000; i++ {
			fmt.Fprintf(&b, "- target: {kind: Pod}\n  patch: |\n    - op: add\n      path: /metadata/labels/l%d\n      value: \"%s\"\n", i, rep("x", 1000))
		}
		write(t, d, "kustomization.yaml", b.String())
		write(t, d, "pod.yaml", strings.Replace(podTemplate, "  name: p\n", "  name: p\n  labels: {}\n", 1))
	}, want: []want{{"parse-error", "d/kustomization.yaml", 1, `kustomization d was not built: with its bases it has 2000 patches`}}, maxFindings: 1},
	{name: "kustomize 199 patches of 16 KB on one Pod", gen: func(t *testing.T, d string) {
		// Under the patch limit, but each patch makes kustomize encode the
		// growing Pod again: 36 s, and minutes for larger patches.
		var b strings.Builder
		b.WriteString("resources:\n- pod.yaml\npatches:\n")
		for i := 0; i < 199; i++ {
			fmt.Fprintf(&b, "- target: {kind: Pod}\n  patch: |\n    - op: add\n      path: /metadata/labels/l%d\n      value: \"%s\"\n", i, rep("x", 16000))
		}
		write(t, d, "kustomization.yaml", b.String())
		write(t, d, "pod.yaml", strings.Replace(podTemplate, "  name: p\n", "  name: p\n  labels: {}\n", 1))
	}, want: []want{{"parse-error", "d/kustomization.yaml", 1, `kustomization d was not built: with its bases it applies many large patches to the same objects`}}, maxFindings: 1},
	{name: "kustomize 199 patches over 300 Deployments", gen: func(t *testing.T, d string) {
		// Under the patch limit, but with kustomize's own origin tracking
		// the build cost patches² × objects: 57 s for 100 Deployments,
		// minutes for 300. hoplint tags origins itself: about a second.
		var b strings.Builder
		for i := 0; i < 300; i++ {
			fmt.Fprintf(&b, "---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d%d\nspec:\n  selector: {matchLabels: {app: a%d}}\n  template:\n    metadata: {labels: {app: a%d}}\n    spec:\n      containers: [{name: c, image: nginx:1.27}]\n", i, i, i)
		}
		write(t, d, "all.yaml", b.String())
		var k strings.Builder
		k.WriteString("resources:\n- all.yaml\npatches:\n")
		for p := 0; p < 199; p++ {
			write(t, d, fmt.Sprintf("p%d.yaml", p), fmt.Sprintf("apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d%d\nspec:\n  replicas: %d\n", p, p+1))
			fmt.Fprintf(&k, "- path: p%d.yaml\n", p)
		}
		write(t, d, "kustomization.yaml", k.String())
	}, want: []want{{"missing-memory-limit", "d/all.yaml", 3300, `container c of Deployment d299 has no memory limit`}}},
	{name: "kustomize 300 overlays of a base of 3500 objects", gen: func(t *testing.T, d string) {
		// kustomize's time grows with the square of a build's objects:
		// 300 overlays of 2,000 did not end in ten minutes.
		var b strings.Builder
		for i := 0; i < 3500; i++ {
			fmt.Fprintf(&b, "---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c%d\ndata: {k: v}\n", i)
		}
		write(t, d, "base/all.yaml", b.String())
		write(t, d, "base/kustomization.yaml", "resources:\n- all.yaml\n")
		for i := 0; i < 300; i++ {
			write(t, d, fmt.Sprintf("o%03d/kustomization.yaml", i), fmt.Sprintf("resources:\n- ../base\nnamePrefix: o%d-\n", i))
		}
	}, want: []want{
		{"parse-error", "d/o000/kustomization.yaml", 1, `kustomization d/o000 was not built: with its bases it holds about 3500 objects, over hoplint.s limit of 3000`},
		{"parse-error", "d/o299/kustomization.yaml", 1, `kustomization d/o299 was not built`},
	}, maxFindings: 300},
	{name: "kustomize a List of 20000 items", gen: func(t *testing.T, d string) {
		var b strings.Builder
		b.WriteString("apiVersion: v1\nkind: List\nitems:\n")
		for i := 0; i < 20000; i++ {
			fmt.Fprintf(&b, "- {apiVersion: v1, kind: ConfigMap, metadata: {name: c%d}}\n", i)
		}
		write(t, d, "list.yaml", b.String())
		write(t, d, "kustomization.yaml", "resources:\n- list.yaml\n")
	}, want: []want{{"parse-error", "d/kustomization.yaml", 1, `holds about 20000 objects, over hoplint.s limit of 3000`}}, maxFindings: 1},
	{name: "kustomize huge configMapGenerator", gen: func(t *testing.T, d string) {
		var b strings.Builder
		b.WriteString("configMapGenerator:\n- name: big\n  literals:\n")
		for i := 0; i < 100000; i++ {
			fmt.Fprintf(&b, "  - k%d=%s\n", i, rep("v", 100))
		}
		write(t, d, "kustomization.yaml", b.String())
	}, want: []want{{"parse-error", "d/kustomization.yaml", 1, `100000 generator entries, over hoplint.s limits`}}, maxFindings: 1},
	// 600 KB of input builds to about 24 MB: one value, forty copies.
	{name: "kustomize replacement copies a value into many objects", gen: replacements(600000, 40),
		want: []want{{"parse-error", "d/kustomization.yaml", 1, `kustomize builds d to more than 16777216 bytes \(at ConfigMap t\d+\), over hoplint.s limit for a file`}}, maxFindings: 1},
	// 4 MB copied into 300 objects: 1.2 GB of YAML, which took 89 s and
	// 9 GB before the build's output was capped.
	{name: "kustomize replacement bomb", gen: replacements(4000000, 300),
		want: []want{{"parse-error", "d/kustomization.yaml", 1, `kustomize builds d to more than 16777216 bytes`}}, maxFindings: 1},

	// Helm.
	{name: "helm template looping a million times", gen: func(t *testing.T, d string) {
		write(t, d, "c/Chart.yaml", chartYAML)
		write(t, d, "c/templates/loop.yaml", "{{- range $i := until 1000000 }}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm{{ $i }}\n{{- end }}\n")
	}, want: []want{{"parse-error", "d/c/templates/loop.yaml", 1, `helm renders chart d/c to more than 16777216 bytes \(at c/templates/loop\.yaml\)`}}, maxFindings: 1},
	{name: "helm recursive include", gen: func(t *testing.T, d string) {
		write(t, d, "c/Chart.yaml", chartYAML)
		write(t, d, "c/templates/_h.tpl", "{{- define \"r\" }}{{ include \"r\" . }}{{ end }}\n")
		write(t, d, "c/templates/pod.yaml", "x: {{ include \"r\" . }}\n")
	}, want: []want{{"parse-error", "", 0, `helm template fails`}}},
	{name: "helm recursive tpl", gen: func(t *testing.T, d string) {
		write(t, d, "c/Chart.yaml", chartYAML)
		write(t, d, "c/values.yaml", "t: '{{ tpl .Values.t . }}'\n")
		write(t, d, "c/templates/pod.yaml", "x: {{ tpl .Values.t . }}\n")
	}, want: []want{{"parse-error", "", 0, `helm template fails`}}},
	{name: "helm doubling includes", gen: func(t *testing.T, d string) {
		var b strings.Builder
		b.WriteString("{{- define \"t0\" }}abcdefgh{{ end }}\n")
		for i := 1; i <= 40; i++ {
			fmt.Fprintf(&b, "{{- define \"t%d\" }}{{ include \"t%d\" . }}{{ include \"t%d\" . }}{{ end }}\n", i, i-1, i-1)
		}
		write(t, d, "c/Chart.yaml", chartYAML)
		write(t, d, "c/templates/_h.tpl", b.String())
		write(t, d, "c/templates/pod.yaml", "x: {{ include \"t40\" . }}\n")
	}, want: []want{{"parse-error", "", 0, ``}}},
	{name: "helm six charts that never end", gen: func(t *testing.T, d string) {
		// Each runs until the 10 s limit; after three, the rest are not
		// started: 30 s, not a minute, and a hundred charts cost the same.
		for i := 0; i < 6; i++ {
			write(t, d, fmt.Sprintf("c%d/Chart.yaml", i), chartYAML)
			write(t, d, fmt.Sprintf("c%d/templates/spin.yaml", i), "{{- range until 100000 }}{{- range until 100000 }}{{- end }}{{- end }}\n")
		}
	}, want: []want{
		{"parse-error", "d/c0/Chart.yaml", 1, `rendering took longer than 10s`},
		{"parse-error", "d/c2/Chart.yaml", 1, `rendering took longer than 10s`},
		{"parse-error", "d/c3/Chart.yaml", 1, `chart d/c3 was not rendered, so nothing of it is linted: 3 charts of this run already took longer than 10s or more than 256 MiB each`},
		{"parse-error", "d/c5/Chart.yaml", 1, `chart d/c5 was not rendered`},
	}, maxFindings: 6},
	{name: "helm huge values", gen: func(t *testing.T, d string) {
		var b strings.Builder
		b.WriteString("big:\n")
		for i := 0; i < 300000; i++ {
			fmt.Fprintf(&b, "  k%d: %s\n", i, rep("v", 40))
		}
		write(t, d, "c/Chart.yaml", chartYAML)
		write(t, d, "c/values.yaml", b.String())
		write(t, d, "c/templates/pod.yaml", podTemplate)
	}, want: []want{{"missing-memory-limit", "d/c/templates/pod.yaml", 7, `container main of Pod p`}}},
	{name: "helm values alias bomb", gen: func(t *testing.T, d string) {
		var b strings.Builder
		b.WriteString("a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n")
		for c := 'b'; c <= 'i'; c++ {
			fmt.Fprintf(&b, "%c: &%c [%s]\n", c, c, strings.TrimSuffix(rep("*"+string(c-1)+",", 9), ","))
		}
		write(t, d, "c/Chart.yaml", chartYAML)
		write(t, d, "c/values.yaml", b.String())
		write(t, d, "c/templates/pod.yaml", "x: {{ toJson .Values.i | len }}\n")
	}, want: []want{{"parse-error", "", 0, ``}}},

	// OpenAPI.
	{name: "openapi ref cycle", gen: func(t *testing.T, d string) {
		write(t, d, "api.yaml", "openapi: 3.0.0\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    post:\n      requestBody:\n        content:\n          application/json:\n            schema: {$ref: '#/components/schemas/A'}\n      responses: {'200': {description: ok}}\ncomponents:\n  schemas:\n    A: {$ref: '#/components/schemas/B'}\n    B: {$ref: '#/components/schemas/A'}\n")
	}, want: nil, maxFindings: noFindings},
	{name: "openapi deeply nested schema", gen: func(t *testing.T, d string) {
		write(t, d, "api.json", `{"openapi":"3.0.0","info":{"title":"t","version":"1"},"paths":{"/a":{"post":{"requestBody":{"content":{"application/json":{"schema":`+
			rep(`{"type":"object","properties":{"a":`, 50000)+`{"type":"string"}`+rep("}}", 50000)+`}}},"responses":{"200":{"description":"ok"}}}}}}`)
	}, want: []want{{"parse-error", "d/api.json", 0, ``}}, maxFindings: 1},
	{name: "openapi 50 MB spec", gen: func(t *testing.T, d string) {
		var b strings.Builder
		b.WriteString("openapi: 3.0.0\ninfo: {title: t, version: '1'}\npaths:\n")
		for i := 0; b.Len() < 50<<20; i++ {
			fmt.Fprintf(&b, "  /p%d:\n    get:\n      description: %s\n      responses: {'200': {description: ok}}\n", i, rep("d", 400))
		}
		write(t, d, "api.yaml", b.String())
	}, want: []want{{"parse-error", "d/api.yaml", 0, ``}}, maxFindings: 1},
	{name: "openapi alias bomb", gen: func(t *testing.T, d string) {
		var b strings.Builder
		b.WriteString("openapi: 3.0.0\ninfo: {title: t, version: '1'}\nx-a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n")
		for c := 'b'; c <= 'i'; c++ {
			fmt.Fprintf(&b, "x-%c: &%c [%s]\n", c, c, strings.TrimSuffix(rep("*"+string(c-1)+",", 9), ","))
		}
		b.WriteString("paths: {}\n")
		write(t, d, "api.yaml", b.String())
	}, want: []want{{"parse-error", "d/api.yaml", 0, ``}}, maxFindings: 1},

	// Gateway API.
	{name: "gateway 5000 routes on one Gateway", gen: func(t *testing.T, d string) {
		var b strings.Builder
		b.WriteString(gatewayHead)
		for i := 0; i < 5000; i++ {
			b.WriteString(route(i))
		}
		write(t, d, "gw.yaml", b.String())
	}, want: nil, maxFindings: noFindings},
	{name: "gateway policy targeting 5000 routes", gen: func(t *testing.T, d string) {
		var b strings.Builder
		b.WriteString(gatewayHead)
		for i := 0; i < 5000; i++ {
			b.WriteString(route(i))
		}
		b.WriteString("---\napiVersion: gateway.envoyproxy.io/v1alpha1\nkind: BackendTrafficPolicy\nmetadata:\n  name: p\n  namespace: web\nspec:\n  requestBuffer: {limit: 20Mi}\n  targetRefs:\n")
		for i := 0; i < 5000; i++ {
			fmt.Fprintf(&b, "    - {group: gateway.networking.k8s.io, kind: HTTPRoute, name: r%d}\n", i)
		}
		for i := 0; i < 1000; i++ {
			fmt.Fprintf(&b, "---\napiVersion: gateway.envoyproxy.io/v1alpha1\nkind: BackendTrafficPolicy\nmetadata:\n  name: q%d\n  namespace: web\nspec:\n  requestBuffer: {limit: 20Mi}\n  targetRefs:\n    - {group: gateway.networking.k8s.io, kind: Gateway, name: edge}\n", i)
		}
		write(t, d, "gw.yaml", b.String())
	}, want: nil, maxFindings: noFindings},
}

func TestHostileFormats(t *testing.T) {
	for _, c := range formatCases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			run(t, c)
		})
	}
}

// replacements writes a kustomization whose one replacement copies a value
// of size bytes into copies ConfigMaps.
func replacements(size, copies int) func(t *testing.T, d string) {
	return func(t *testing.T, d string) {
		var b strings.Builder
		b.WriteString("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: src\ndata:\n  v: " + rep("x", size) + "\n")
		for i := 0; i < copies; i++ {
			fmt.Fprintf(&b, "---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: t%d\ndata:\n  v: small\n", i)
		}
		write(t, d, "cms.yaml", b.String())
		write(t, d, "kustomization.yaml", "resources:\n- cms.yaml\nreplacements:\n- source: {kind: ConfigMap, name: src, fieldPath: data.v}\n  targets:\n  - select: {kind: ConfigMap}\n    reject: [{name: src}]\n    fieldPaths: [data.v]\n")
	}
}
