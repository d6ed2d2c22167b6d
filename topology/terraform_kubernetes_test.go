package topology_test

import (
	"testing"

	"github.com/hoplint/hoplint/internal/linttest"
)

// TestTerraformKubernetesCases: Kubernetes objects written as Terraform
// resources (kubernetes_deployment_v1, kubernetes_service_v1,
// kubernetes_manifest, …) are linted as manifests on their HCL lines;
// values known only at apply time give no finding; a TargetGroupBinding
// whose targetGroupARN refers to an aws_lb_target_group links it to the
// pods.
func TestTerraformKubernetesCases(t *testing.T) { linttest.RunDir(t, "../testdata/tfkubernetes") }
