// Package render turns Kustomize kustomizations and Helm charts into the
// objects they deploy, with a map from every rendered line back to the
// source line that produced it.
package render

import (
	_ "sigs.k8s.io/kustomize/api/krusty"
)
