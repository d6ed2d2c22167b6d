package kubernetes

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hoplint/hoplint/parsers"
)

func parse(t testing.TB, src string) *Result {
	t.Helper()
	return Parse(parsers.NewFile("m.yaml", "/m.yaml", "/", parsers.FormatKubernetes, []byte(src)))
}

func TestParseDocumentsAndRanges(t *testing.T) {
	res := parse(t, `# leading comment
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
spec:
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
        - name: web   # the app
          image: "example/web:1.0"
          resources:
            limits:
              memory: 512Mi
---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: shop}
spec:
  selector: {app: web}
  ports: [{port: 80, targetPort: http}]
`)
	if len(res.Problems) != 0 {
		t.Fatalf("problems: %v", res.Problems)
	}
	if len(res.Objects) != 2 {
		t.Fatalf("got %d objects, want 2", len(res.Objects))
	}
	w := res.Objects[0].(*Workload)
	if w.Ref() != "Deployment shop/web" || w.PodLabels.Get("app").Value != "web" {
		t.Errorf("workload %s labels %v", w.Ref(), w.PodLabels)
	}
	c := w.Pod.Containers[0]
	if c.Name.Key.Start != (parsers.Pos{Line: 14, Col: 11}) {
		t.Errorf("container name key at %v, want 14:11", c.Name.Key.Start)
	}
	if c.Image.Range.Start.Line != 15 || c.Image.Range.End.Col-c.Image.Range.Start.Col != len(`"example/web:1.0"`) {
		t.Errorf("image range %v", c.Image.Range)
	}
	q := c.Resources.Limits["memory"]
	if !q.OK || q.Q.Value() != 512<<20 || q.Range.Start.Line != 18 {
		t.Errorf("memory limit %+v", q)
	}
	if c.Resources.Range.Start.Line != 16 || c.Resources.Range.End.Line != 18 {
		t.Errorf("resources block %v", c.Resources.Range)
	}
	s := res.Objects[1].(*Service)
	if s.Ports[0].TargetPort != "http" || s.Selector.Get("app").Value != "web" {
		t.Errorf("service %+v", s)
	}
	var texts []string
	for _, cm := range res.Comments {
		texts = append(texts, cm.Text)
	}
	if strings.Join(texts, "|") != " leading comment| the app" {
		t.Errorf("comments %q", texts)
	}
	if res.Comments[1].Line != 14 || res.Comments[1].Col != 23 {
		t.Errorf("line comment at %d:%d", res.Comments[1].Line, res.Comments[1].Col)
	}
}

func TestParseNotKubernetesAndHashInStrings(t *testing.T) {
	res := parse(t, `apiVersion: v1
kind: ConfigMap
metadata:
  name: x
data:
  a: "# not a comment"
  b: 'also # not'
`)
	if len(res.Comments) != 0 {
		t.Errorf("comments inside strings were taken: %v", res.Comments)
	}
	res = parse(t, "services:\n  web:\n    image: nginx\n")
	if len(res.Objects) != 0 || len(res.Problems) != 0 {
		t.Errorf("compose file: %v %v", res.Objects, res.Problems)
	}
}

func TestParseMergeKeysAndAliases(t *testing.T) {
	res := parse(t, `apiVersion: v1
kind: Pod
metadata:
  name: p
spec:
  containers:
    - &base
      name: a
      image: example/a:1
      resources: &res
        limits: {memory: 1Gi}
    - <<: *base
      name: b
      resources: *res
`)
	w := res.Objects[0].(*Workload)
	if len(w.Pod.Containers) != 2 {
		t.Fatalf("containers: %d", len(w.Pod.Containers))
	}
	b := w.Pod.Containers[1]
	if b.Name.Value != "b" || b.Image.Value != "example/a:1" || b.Resources == nil || b.Resources.Limits["memory"].Raw != "1Gi" {
		t.Errorf("merged container %+v", b)
	}
}

func TestParseRefusesAliasBombQuickly(t *testing.T) {
	var sb strings.Builder
	sb.WriteString("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: bomb}\nl0: &l0 [x, x, x, x, x, x, x, x, x, x]\n")
	for i := 1; i < 30; i++ {
		sb.WriteString("l" + strconv.Itoa(i) + ": &l" + strconv.Itoa(i) + " [")
		for j := 0; j < 10; j++ {
			if j > 0 {
				sb.WriteString(", ")
			}
			sb.WriteString("*l" + strconv.Itoa(i-1))
		}
		sb.WriteString("]\n")
	}
	sb.WriteString("data: {x: *l29}\nspec: *l29\n")
	start := time.Now()
	res := parse(t, sb.String())
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("alias bomb took %v", d)
	}
	if len(res.Problems) != 1 || res.Problems[0].Kind != parsers.ProblemParse || !strings.Contains(res.Problems[0].Message, "alias") {
		t.Errorf("problems %v", res.Problems)
	}
}

func TestParseHelmTemplateSkippedOnce(t *testing.T) {
	res := parse(t, "apiVersion: v1\nkind: Service\nmetadata:\n  name: {{ .Release.Name }}\n  labels:\n    {{- include \"x\" . | nindent 4 }}\n")
	if !res.Skipped || len(res.Problems) != 1 || res.Problems[0].Kind != parsers.ProblemSkipped || res.Problems[0].Range.Start.Line != 4 {
		t.Errorf("helm: skipped=%v problems=%v", res.Skipped, res.Problems)
	}
}

func TestParseBrokenDocumentKeepsOthers(t *testing.T) {
	res := parse(t, "apiVersion: v1\nkind: Pod\nmetadata: {name: [\n---\napiVersion: v1\nkind: Service\nmetadata: {name: ok}\n")
	if len(res.Problems) != 1 || res.Problems[0].Kind != parsers.ProblemParse {
		t.Errorf("problems %v", res.Problems)
	}
	if len(res.Objects) != 1 || res.Objects[0].Meta().Name != "ok" {
		t.Errorf("objects %v", res.Objects)
	}
}

func TestParseIgnoreAnnotation(t *testing.T) {
	res := parse(t, `apiVersion: v1
kind: Pod
metadata:
  name: p
  annotations:
    hoplint.dev/ignore: "missing-memory-limit, cpu-limit-too-small -- batch"
spec:
  containers: [{name: a, image: x}]
`)
	if len(res.Suppressions) != 1 {
		t.Fatalf("suppressions %v", res.Suppressions)
	}
	s := res.Suppressions[0]
	if strings.Join(s.Rules, ",") != "missing-memory-limit,cpu-limit-too-small" || s.Reason != "batch" || s.From != 1 || s.To < 8 || s.Range.Start.Line != 6 {
		t.Errorf("suppression %+v", s)
	}
}

func TestParseJSONAndList(t *testing.T) {
	res := parse(t, `{"apiVersion": "v1", "kind": "List", "items": [
 {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "a"}, "data": {"k": "v"}},
 {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "b"}}
]}`)
	if len(res.Objects) != 2 || res.Objects[0].(*ConfigMap).Data.Get("k").Value != "v" || res.Objects[1].Meta().NameRange.Start.Line != 3 {
		t.Errorf("objects %v problems %v", res.Objects, res.Problems)
	}
}
