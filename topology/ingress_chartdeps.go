package topology

import (
	"path/filepath"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/hoplint/hoplint/parsers"
)

// chartControllerDeps tells, for an object a Helm chart rendered (its file
// is the chart's Chart.yaml with "#template", render/helm.go), whether the
// chart depends on NGINX Inc's controller chart (nginx-ingress from
// helm.nginx.com or ghcr.io/nginx/charts) or on ingress-nginx's (from
// kubernetes.github.io/ingress-nginx). Both install an IngressClass named
// nginx (docs/facts/nginx-inc-ingress.md), so an Ingress of class nginx in
// a chart that installs NGINX Inc's controller is not ingress-nginx's by
// default. Dependencies are read from Chart.yaml, and from requirements.yaml
// for a chart of apiVersion v1.
func chartControllerDeps(env *Env, f *parsers.File) (nginxInc, ingressNginx bool) {
	if env == nil || f == nil || !strings.HasSuffix(f.Abs, "#template") {
		return false, false
	}
	chart := strings.TrimSuffix(f.Abs, "#template")
	for _, name := range []string{chart, filepath.Join(filepath.Dir(chart), "requirements.yaml")} {
		cf, err := env.Open(f.Root, name, "")
		if err != nil {
			continue
		}
		var meta struct {
			Dependencies []struct {
				Name       string `yaml:"name"`
				Repository string `yaml:"repository"`
			} `yaml:"dependencies"`
		}
		if yaml.Unmarshal(cf.Bytes(), &meta) != nil {
			continue
		}
		for _, d := range meta.Dependencies {
			repo := strings.ToLower(d.Repository)
			switch {
			case strings.Contains(repo, "helm.nginx.com") || strings.Contains(repo, "ghcr.io/nginx/charts"):
				nginxInc = true
			case strings.Contains(repo, "kubernetes.github.io/ingress-nginx") || d.Name == "ingress-nginx":
				ingressNginx = true
			}
		}
	}
	return nginxInc, ingressNginx
}
