package topology_test

import (
	"fmt"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/hoplint/hoplint/internal/linttest"
	"github.com/hoplint/hoplint/rules"
	"github.com/hoplint/hoplint/topology"
)

// renderCorpusRepos are the corpus repositories of Kustomize overlays,
// Helm charts and plain YAML with Go templates in strings (CLASSES.md
// classes 1 and 2). TestRenderCorpus pins every finding on them, so
// TestKubernetesCorpus leaves them out.
var renderCorpusRepos = map[string]bool{
	"kubernetes-sigs__kustomize":        true,
	"redhat-cop__gitops-catalog":        true,
	"stefanprodan__podinfo":             true,
	"prometheus-community__helm-charts": true,
	"Mintplex-Labs__anything-llm":       true,
	"argoproj__argo-workflows":          true,
	"strimzi__strimzi-kafka-operator":   true,
}

// corpusRenderFindings pins what hoplint reports on those repositories,
// with the renderings each finding names ("via"). Each line was checked by
// hand against the files (the comment under it).
var corpusRenderFindings = `
Mintplex-Labs__anything-llm/cloud-deployments/helm/charts/anythingllm/values.yaml:199 missing-memory-limit via=cloud-deployments/helm/charts/anythingllm/templates/deployment.yaml
Mintplex-Labs__anything-llm/docker/docker-compose.yml:26 include-not-followed
	# values.yaml "resources: {}" (limits only in comments) reaches the container through
	# "resources: {{- toYaml .Values.resources | nindent 12 }}" at templates/deployment.yaml:64
	# k8/manifest.yaml (plain YAML with "{{ namespace }}" placeholders, linted as YAML): no finding. Its
	# Ingress names Service port 3001 and the Service has 3301 and 9090, so the Ingress reaches no pod
	# and the missing-prestop-drain built on that non-route is gone (issue 9 item 8 work)
kubernetes-sigs__kustomize/examples/helloWorld/deployment.yaml:16 missing-memory-limit via=examples/helloWorld/kustomization.yaml
	# the-container has no resources; the kustomization only adds labels
kubernetes-sigs__kustomize/examples/helloWorld/deployment.yaml:16 missing-prestop-drain via=examples/helloWorld/kustomization.yaml
	# Service the-service is type LoadBalancer and selects the pods; no preStop
kubernetes-sigs__kustomize/examples/ldap/base/deployment.yaml:18 missing-memory-limit via=examples/ldap/overlays/production/kustomization.yaml,examples/ldap/overlays/staging/kustomization.yaml
	# the ldap container has no resources and neither overlay's deployment.yaml patch adds any:
	# one finding on the base line, both overlays named; the message names production-ldap and says
	# that its names are those of the first rendering listed (staging renders staging-ldap)
kubernetes-sigs__kustomize/examples/multibases/base/pod.yaml:9 missing-memory-limit via=examples/multibases/kustomization.yaml
	# multibases/kustomization.yaml renders the Pod three times (dev, staging, production
	# overlays, cluster-a- prefix); none sets resources; one finding on the base line
kubernetes-sigs__kustomize/examples/mySql/deployment.yaml:20 missing-memory-limit
	# no kustomization in mySql/: a plain manifest; mysql has no resources
kubernetes-sigs__kustomize/examples/springboot/base/deployment.yaml:17 missing-memory-limit via=examples/springboot/overlays/staging/kustomization.yaml
	# staging adds no limit; production's memorylimit_patch.yaml sets limits.memory, so
	# production is (rightly) not named
kubernetes-sigs__kustomize/examples/springboot/base/deployment.yaml:17 missing-prestop-drain via=examples/springboot/overlays/production/kustomization.yaml,examples/springboot/overlays/staging/kustomization.yaml
	# Service sbdemo is type LoadBalancer in both overlays; no patch adds a preStop; names as in the
	# first rendering (production-), which the message says; a LoadBalancer Service passes TCP
	# through, so "refused or reset connections"
kubernetes-sigs__kustomize/examples/transformerconfigs/images/kustomization.yaml:5 parse-error
	# configurations: names kustomizeconfig/mykind.yaml, which the tree does not hold (the
	# README creates it): kustomize build fails with this message
kubernetes-sigs__kustomize/examples/wordpress/mysql/deployment.yaml:20 missing-memory-limit via=examples/wordpress/kustomization.yaml
	# mysql has no resources
kubernetes-sigs__kustomize/examples/wordpress/patch.yaml:9 missing-memory-limit via=examples/wordpress/kustomization.yaml
	# the init container init-command exists only in the patch (patch.yaml adds it), no resources
kubernetes-sigs__kustomize/examples/wordpress/wordpress/deployment.yaml:20 missing-memory-limit via=examples/wordpress/kustomization.yaml
	# wordpress has no resources; patch.yaml only adds env
kubernetes-sigs__kustomize/examples/wordpress/wordpress/deployment.yaml:20 missing-prestop-drain via=examples/wordpress/kustomization.yaml
	# Service demo-wordpress is type LoadBalancer; no preStop
prometheus-community__helm-charts/charts/prometheus-blackbox-exporter/templates/_helpers.tpl:191 missing-memory-limit via=charts/prometheus-blackbox-exporter/Chart.yaml
	# the pod spec is the podSpec helper; "{{- with .Values.resources }}" is empty
	# (values.yaml "resources: {}"), so the container has no resources block at all
stefanprodan__podinfo/charts/podinfo/values.yaml:265 missing-memory-limit via=charts/podinfo/templates/deployment.yaml
	# values.yaml resources: limits is empty (null), requests 16Mi; templates/deployment.yaml:202
	# writes it with toYaml
	# podinfo deploy/bases/*/cronjob-*.yaml (memory limit 32Mi, rendered through three overlays): no
	# finding; CronJob containers serve no requests, so the size rules do not judge them (issue 9 item 11)
`

// TestRenderCorpus lints the Kustomize and Helm repositories of the corpus
// as a user would (hoplint . at the repository root) and compares every
// finding, on any file, with the pinned list. argoproj__argo-workflows,
// strimzi__strimzi-kafka-operator and redhat-cop__gitops-catalog have
// none: their Go templates in strings parse as YAML and hold no workload
// hoplint checks (Workflows, PrometheusRules, an Alertmanager Secret;
// OpenShift DeploymentConfigs and operator CRs).
func TestRenderCorpus(t *testing.T) {
	corpus := linttest.CorpusDir(t)
	var got []string
	for _, repo := range sortedRepos() {
		dir := filepath.Join(corpus, repo)
		g, err := topology.Load([]string{"."}, nil, dir)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range rules.Run(g, nil, rules.Options{}) {
			line := fmt.Sprintf("%s/%s:%d %s", repo, f.Range.File, f.Range.Start.Line, f.Rule)
			var via []string
			for _, r := range f.Related {
				if strings.HasPrefix(r.Message, "in overlay ") || strings.HasPrefix(r.Message, "in kustomization ") ||
					strings.HasPrefix(r.Message, "rendered by chart ") || strings.HasPrefix(r.Message, "through template ") {
					via = append(via, r.Range.File)
				}
			}
			if len(via) > 0 {
				sort.Strings(via)
				line += " via=" + strings.Join(via, ",")
			}
			got = append(got, line)
		}
	}
	var want []string
	for _, l := range strings.Split(corpusRenderFindings, "\n") {
		if l = strings.TrimSpace(l); l != "" && !strings.HasPrefix(l, "#") {
			want = append(want, l)
		}
	}
	sort.Strings(got)
	sort.Strings(want)
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("render corpus findings changed; check each by hand, then update the list.\ngot:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func sortedRepos() []string {
	var out []string
	for r := range renderCorpusRepos {
		out = append(out, r)
	}
	sort.Strings(out)
	return out
}
