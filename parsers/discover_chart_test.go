package parsers

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A chart's templates/ directory named alone gives one skipped-file on the
// directory naming the chart, and no finding on its templates (which said
// "no Chart.yaml above it" though the chart's Chart.yaml is one level up).
func TestDiscoverChartTemplatesDir(t *testing.T) {
	wd := t.TempDir()
	write := func(p, s string) {
		t.Helper()
		abs := filepath.Join(wd, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(abs), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(abs, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("web/Chart.yaml", "apiVersion: v2\nname: web\nversion: 1.0.0\n")
	write("web/values.yaml", "image: example/web:1.0\n")
	write("web/templates/pod.yaml", "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n    - name: web\n      image: {{ .Values.image }}\n")
	files, problems, err := Discover([]string{"web/templates"}, DiscoverOptions{WorkDir: wd})
	if err != nil {
		t.Fatal(err)
	}
	if len(files) != 0 {
		t.Errorf("files = %d, want none", len(files))
	}
	if len(problems) != 1 || problems[0].Kind != ProblemSkipped || problems[0].Range.File != "web/templates" ||
		!strings.Contains(problems[0].Message, "this directory holds templates of the Helm chart in web,") ||
		!strings.Contains(problems[0].Message, "(hoplint web)") {
		t.Errorf("problems = %+v, want one skipped-file on web/templates naming chart web", problems)
	}
}
