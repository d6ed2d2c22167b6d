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

// corpusTerraformKubernetes pins every finding on the two corpus
// repositories whose Kubernetes objects are written in Terraform (classes
// 8 of ../shared/corpus/CLASSES.md). Each was checked by hand against the
// files (the comment below it).
var corpusTerraformKubernetes = `
aws-ia__terraform-aws-eks-blueprints/patterns/fargate-serverless/main.tf:234 missing-memory-limit
	# true: kubernetes_deployment_v1.this's only container (app-2048, line 232) has no resources block at
	# all; its namespace is kubernetes_namespace_v1.this.metadata[0].name, known after apply, shown as such
chanzuckerberg__happy/terraform/modules/happy-ingress-eks/main.tf:196 skipped-file
chanzuckerberg__happy/terraform/modules/happy-ingress-eks/main.tf:196 skipped-file
chanzuckerberg__happy/terraform/modules/happy-ingress-eks/main.tf:242 skipped-file
chanzuckerberg__happy/terraform/modules/happy-ingress-eks/main.tf:242 skipped-file
	# true: both kubernetes_ingress_v1 resources (ingress, ingress_bypasses), once per calling module
	# (module.ingress and module.ingress_exclude_external_dns of happy-service-eks), take annotations
	# from locals whose alb.ingress.kubernetes.io/load-balancer-attributes interpolates
	# var.routing.alb_idle_timeout; routing comes from happy-stack-eks's var.services, which has no
	# default: the idle timeout hoplint would need is known only at apply
chanzuckerberg__happy/terraform/modules/happy-service-eks/main.tf:178 missing-prestop-drain
	# true: kubernetes_deployment_v1.deployment's container (line 177) has no lifecycle block; its pods
	# are registered by the kubernetes_manifest TargetGroupBinding (target_group_only.tf, serviceRef
	# var.routing.service_name = kubernetes_service_v1.service's name, selector app = the pods' label)
	# into aws_lb_target_group.this[0] behind the ALB listener rule; count of both is known only at
	# apply (routing.service_type == "TARGET_GROUP_ONLY"), and in the other routed service types the ALB
	# Ingress (target-type ip) sends to the same pods, equally without a preStop
chanzuckerberg__happy/terraform/modules/happy-service-eks/main.tf:747 include-not-followed
chanzuckerberg__happy/terraform/modules/happy-stack-eks/main.tf:248 include-not-followed
	# true: ../happy-mesh-access-control and ../happy-task-eks are not in the corpus (unchanged by this work)
`

// TestTerraformKubernetesCorpus lints the corpus repositories that write
// Kubernetes objects in HCL and compares every finding with the pinned list.
func TestTerraformKubernetesCorpus(t *testing.T) {
	corpus := linttest.CorpusDir(t)
	var got []string
	for _, repo := range []string{"aws-ia__terraform-aws-eks-blueprints", "chanzuckerberg__happy"} {
		g, err := topology.Load([]string{"."}, nil, filepath.Join(corpus, repo))
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range rules.Run(g, nil, rules.Options{}) {
			got = append(got, fmt.Sprintf("%s/%s:%d %s", repo, f.Range.File, f.Range.Start.Line, f.Rule))
		}
	}
	var want []string
	for _, l := range strings.Split(corpusTerraformKubernetes, "\n") {
		if l = strings.TrimSpace(l); l != "" && !strings.HasPrefix(l, "#") {
			want = append(want, l)
		}
	}
	sort.Strings(got)
	sort.Strings(want)
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("corpus findings changed; check each by hand, then update the list.\ngot:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
