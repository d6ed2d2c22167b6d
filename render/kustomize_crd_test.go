package render

import (
	"strings"
	"testing"
)

const (
	testCRD = "apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n  name: things.example.com\nspec:\n  group: example.com\n  names: {kind: Thing, plural: things}\n  scope: Namespaced\n  versions:\n  - name: v1\n    served: true\n    storage: true\n    schema:\n      openAPIV3Schema: {type: object}\n"
	testCM  = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cfg\ndata:\n  description: \"a value\n    over two lines\"\n"
)

// builds renders files and returns the text of every build, failing on
// any problem.
func builds(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	out, problems := Render(writeFiles(t, dir, files), Options{WorkDir: dir})
	for _, p := range problems {
		t.Errorf("problem: %s:%d %s", p.Range.File, p.Range.Start.Line, p.Message)
	}
	var b strings.Builder
	for _, f := range out {
		if strings.HasSuffix(f.Path, "#build") {
			b.Write(f.Bytes())
		}
	}
	return b.String()
}

// TestKustomizeSkipsCRDs: CustomResourceDefinitions, which no rule reads,
// are left out of what kustomize builds, and the other objects of the same
// file are built as before.
func TestKustomizeSkipsCRDs(t *testing.T) {
	text := builds(t, map[string]string{
		"base/kustomization.yaml": "resources:\n- all.yaml\n",
		"base/all.yaml":           "---\n" + testCRD + "---\n" + testCM + "---\n" + strings.Replace(testCRD, "things.", "others.", 1),
		"prod/kustomization.yaml": "resources:\n- ../base\nnamePrefix: prod-\ncommonLabels:\n  env: prod\n",
	})
	if strings.Contains(text, "CustomResourceDefinition") {
		t.Errorf("the CRDs were built:\n%s", text)
	}
	if !strings.Contains(text, "name: prod-cfg") || !strings.Contains(text, "a value over two lines") {
		t.Errorf("the ConfigMap is missing or changed:\n%s", text)
	}
}

// TestKustomizeKeepsNeededCRDs: a CRD stays when the build may need it: a
// patch or replacement names the kind, or replacements and vars select
// their source by any field.
func TestKustomizeKeepsNeededCRDs(t *testing.T) {
	base := map[string]string{
		"base/kustomization.yaml": "resources:\n- all.yaml\n",
		"base/all.yaml":           testCRD + "---\n" + testCM,
	}
	for name, overlay := range map[string]map[string]string{
		"patch": {"prod/kustomization.yaml": "resources:\n- ../base\npatches:\n- path: crd.yaml\n",
			"prod/crd.yaml": "apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n  name: things.example.com\n  labels: {patched: \"yes\"}\n"},
		"inline patch": {"prod/kustomization.yaml": "resources:\n- ../base\npatchesStrategicMerge:\n- |\n  apiVersion: apiextensions.k8s.io/v1\n  kind: CustomResourceDefinition\n  metadata:\n    name: things.example.com\n    labels: {patched: \"yes\"}\n"},
		"replacement":  {"prod/kustomization.yaml": "resources:\n- ../base\nreplacements:\n- source: {name: things.example.com, fieldPath: spec.group}\n  targets:\n  - select: {kind: ConfigMap}\n    fieldPaths: [data.description]\n"},
	} {
		t.Run(name, func(t *testing.T) {
			files := map[string]string{}
			for k, v := range base {
				files[k] = v
			}
			for k, v := range overlay {
				files[k] = v
			}
			if text := builds(t, files); !strings.Contains(text, "kind: CustomResourceDefinition") {
				t.Errorf("the CRD was left out:\n%s", text)
			}
		})
	}
}

// TestWithoutCRDsText: only plain CRD documents are cut from the text.
func TestWithoutCRDsText(t *testing.T) {
	kz := &kustomizer{skipCRDs: true}
	for _, c := range []struct{ name, in, want string }{
		{"crd and configmap", testCRD + "---\n" + testCM, testCM},
		{"marker with content", testCRD + "--- \n" + testCM + "--- {a: b}\n", testCRD + "--- \n" + testCM + "--- {a: b}\n"},
		{"continuation of a quoted value", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\ndata: {a: \"x\nkind: CustomResourceDefinition\napiVersion: apiextensions.k8s.io/v1\"}\n", ""},
		{"indented document", "  apiVersion: apiextensions.k8s.io/v1\n  kind: CustomResourceDefinition\n", ""},
		{"JSON", `{"apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition"}` + "\n", ""},
	} {
		want := c.want
		if want == "" {
			want = c.in
		}
		if got := string(kz.withoutCRDs([]byte(c.in))); got != want {
			t.Errorf("%s: got\n%s\nwant\n%s", c.name, got, want)
		}
	}
}
