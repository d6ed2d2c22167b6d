//go:build linux

package hostile_test

import (
	"net"
	"sync/atomic"
	"testing"
)

// listenNoConnections starts a listener on 127.0.0.1 for the case's child
// to be tempted by, and fails the test if anything connects to it by the
// time the case ends. It returns the URL prefix.
func listenNoConnections(t *testing.T) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Skip("no loopback listener here:", err)
	}
	var n atomic.Int64
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			n.Add(1)
			_ = c.Close()
		}
	}()
	t.Cleanup(func() {
		_ = l.Close()
		if n.Load() > 0 {
			t.Errorf("%d connections to %s: hoplint went to the network", n.Load(), l.Addr())
		}
	})
	return "http://" + l.Addr().String()
}

const kustDeploy = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  selector:\n    matchLabels: {app: web}\n  template:\n    metadata:\n      labels: {app: web}\n    spec:\n      containers:\n      - name: web\n        image: nginx:1.27\n"

// kustomizeCases are hostile kustomizations (issue 25 and shapes of our
// own): each must end in findings, not a crash.
var kustomizeCases = []hostileCase{
	// 25.1: every field that names a file, and a base behind an alias, a
	// merge key and !!binary, named a URL that kustomize fetched.
	{name: "25.1 kustomize fields naming URLs", gen: func(t *testing.T, d string) {
		u := listenNoConnections(t)
		write(t, d, "app/deploy.yaml", kustDeploy)
		write(t, d, "app/kustomization.yaml", "metadata:\n  annotations: &p\n    path: "+u+"/p.yaml\ncommonAnnotations:\n  src: &b "+u+"/base\n"+
			"resources:\n- deploy.yaml\n- *b\n"+
			"patches:\n- <<: *p\n  target:\n    kind: Deployment\n- path: "+u+"/q.yaml\n"+
			"patchesStrategicMerge:\n- "+u+"/s.yaml\n"+
			"patchesJson6902:\n- target: {group: apps, version: v1, kind: Deployment, name: web}\n  path: "+u+"/j.yaml\n"+
			"configMapGenerator:\n- name: c\n  files: [k="+u+"/f]\n  envs: ["+u+"/e]\n"+
			"crds: ["+u+"/crd.json]\nconfigurations: ["+u+"/c.yaml]\nopenapi: {path: "+u+"/o.json}\n"+
			"replacements:\n- path: "+u+"/r.yaml\n"+
			"transformers: ["+u+"/t.yaml]\ngenerators: ["+u+"/g.yaml]\nvalidators: ["+u+"/v.yaml]\n"+
			"components: [\"git::"+u+"/x.git\", \"git@127.0.0.1:o/r\"]\n")
	}, want: []want{
		{"include-not-followed", "d/app/kustomization.yaml", 8, `remote base .*/base" is not fetched.*the same finding, for the same cause, at 2 more places`}, // the git@ base on line 31 is folded in (rules/fold.go)
		{"include-not-followed", "d/app/kustomization.yaml", 10, `remote patch .*/p.yaml" is not fetched`},
		{"include-not-followed", "d/app/kustomization.yaml", 27, `remote replacements entry .* is not fetched`},
		{"missing-memory-limit", "", 0, `web`},
	}},
	// 25.4: an @ in a patch's file name was taken for a remote path, then
	// dereferenced nil: exit 3, no findings for the whole run.
	{name: "25.4 kustomize patch named ops@patch.yaml", gen: func(t *testing.T, d string) {
		write(t, d, "app/deploy.yaml", kustDeploy)
		write(t, d, "app/ops@patch.yaml", "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 2\n")
		write(t, d, "app/ops@psm.yaml", "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 3\n")
		write(t, d, "app/kustomization.yaml", "resources:\n- deploy.yaml\npatches:\n- path: ops@patch.yaml\npatchesStrategicMerge:\n- ops@psm.yaml\n")
	}, want: []want{{"missing-memory-limit", "", 0, `web`}}},
	// An @ in a base directory's name is a local base too.
	{name: "kustomize base named team@2024", gen: func(t *testing.T, d string) {
		write(t, d, "team@2024/deploy.yaml", kustDeploy)
		write(t, d, "team@2024/kustomization.yaml", "resources:\n- deploy.yaml\n")
		write(t, d, "prod/kustomization.yaml", "resources:\n- ../team@2024\nnamePrefix: prod-\n")
	}, want: []want{{"missing-memory-limit", "", 0, `prod-web`}}},
	// Aliases doubling 30 times: a decoder that expanded them would build
	// 2³⁰ nodes. kustomize's own decoder refuses the file, so nothing in
	// it is fetched.
	{name: "kustomize alias bomb around a remote base", gen: func(t *testing.T, d string) {
		b := "commonAnnotations:\n  a0: &a0 https://example.com/base\n"
		b += "resources:\n- deploy.yaml\n- *a0\n"
		b += "patches:\n- &p0\n  path: https://example.com/p.yaml\n"
		for i := 1; i <= 30; i++ {
			b += "- &p" + itoa(i) + "\n  <<: [*p" + itoa(i-1) + ", *p" + itoa(i-1) + "]\n"
		}
		write(t, d, "app/deploy.yaml", kustDeploy)
		write(t, d, "app/kustomization.yaml", b)
	}, want: []want{{"parse-error", "d/app/kustomization.yaml", 0, `excessive aliasing`}}, maxFindings: 1},
	// A kustomization that names itself through a merge key.
	{name: "kustomize lists itself through a merge key", gen: func(t *testing.T, d string) {
		write(t, d, "app/kustomization.yaml", "metadata:\n  annotations: &m\n    x: y\n<<: {resources: [., ../app]}\n")
	}, want: []want{{"parse-error", "d/app/kustomization.yaml", 0, `kustomize build fails`}}, maxFindings: 3},
}

func itoa(i int) string {
	if i < 10 {
		return string(rune('0' + i))
	}
	return itoa(i/10) + string(rune('0'+i%10))
}

func TestHostileKustomize(t *testing.T) {
	for _, c := range kustomizeCases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			run(t, c)
		})
	}
}
