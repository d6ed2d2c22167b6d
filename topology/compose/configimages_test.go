package compose

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hoplint/hoplint/config"
	"github.com/hoplint/hoplint/parsers"
	"github.com/hoplint/hoplint/topology"
)

// Many images: entries naming one Dockerfile share one build (its COPY of
// a directory is walked once, not once per entry: a .hoplint.yml of
// thousands of entries must not multiply the work), and every entry that
// names a missing Dockerfile or stage has its own finding at its own line.
func TestConfigImagesShareOneBuild(t *testing.T) {
	tree := map[string]string{"web/Dockerfile": "FROM nginx:1.27\nCOPY conf/ /etc/nginx/conf.d/\n"}
	for i := 0; i < 50; i++ {
		tree[fmt.Sprintf("web/conf/s%02d.conf", i)] = fmt.Sprintf("server {\n    listen %d;\n}\n", 8000+i)
	}
	dir := t.TempDir()
	for name, text := range tree {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if os.MkdirAll(filepath.Dir(p), 0o755) != nil || os.WriteFile(p, []byte(text), 0o644) != nil {
			t.Fatalf("cannot write %s", p)
		}
	}
	var cfgText strings.Builder
	cfgText.WriteString("images:\n")
	const n = 500
	for i := 0; i < n; i++ {
		fmt.Fprintf(&cfgText, "  registry.example.com/web%d: web/Dockerfile\n", i)
	}
	cfgText.WriteString("  registry.example.com/gone-a: gone/Dockerfile\n  registry.example.com/gone-b: gone/Dockerfile\n")
	cfgText.WriteString("  registry.example.com/nope-a: {dockerfile: web/Dockerfile, target: nope}\n  registry.example.com/nope-b: {dockerfile: web/Dockerfile, target: nope}\n")
	cfg, err := config.Parse([]byte(cfgText.String()))
	if err != nil {
		t.Fatal(err)
	}
	files, _, err := parsers.Discover([]string{"."}, parsers.DiscoverOptions{WorkDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	env := &topology.Env{Config: cfg, WorkDir: dir, All: map[string]*parsers.File{}}
	for _, f := range files {
		env.All[f.Abs] = f
	}
	prepare(files, env)
	first := env.ImageBuild("registry.example.com/web0:1")
	if first == nil || len(first.Files) != 50 {
		t.Fatalf("registry.example.com/web0: build %+v, want web/Dockerfile with its 50 COPYed files", first)
	}
	for i := 1; i < n; i++ {
		if b := env.ImageBuild(fmt.Sprintf("registry.example.com/web%d", i)); b != first {
			t.Fatalf("registry.example.com/web%d has a build of its own; every entry naming web/Dockerfile should share one", i)
		}
	}
	st := planOf(env)
	var lines []int
	for _, p := range st.problems {
		lines = append(lines, p.Range.Start.Line)
	}
	if want := []int{n + 2, n + 3, n + 4, n + 5}; fmt.Sprint(lines) != fmt.Sprint(want) {
		t.Errorf("findings for the missing Dockerfile and the missing stage at lines %v, want %v (one per entry)", lines, want)
	}
}
