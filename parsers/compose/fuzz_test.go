package compose_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/hoplint/hoplint/internal/fuzzbound"
	"github.com/hoplint/hoplint/parsers"
	"github.com/hoplint/hoplint/parsers/compose"
)

// FuzzCompose: no compose file may panic, hang or allocate without bound.
// The file is the project's compose.yaml in a directory with a .env and an
// included file, so that interpolation, include: and extends: run too.
func FuzzCompose(f *testing.F) {
	for _, s := range []string{
		"services:\n  web:\n    image: nginx:${TAG:-1}\n    ports: [\"${P}:80\"]\n    volumes: [./a:/b:ro, ../../x:/y]\n    deploy: {resources: {limits: {memory: 512M, cpus: '0.5'}}}\n",
		"include: [inc.yml]\nservices:\n  a:\n    extends: {file: inc.yml, service: i}\n    command: x ${A:-${A:-${A}}}\n",
		"x: &a {image: n}\nservices:\n  s:\n    <<: *a\n    environment: {<<: *a, K: v}\n",
		"web:\n  image: tomcat\n  ports: ['80:8080']\n",
		"templates: [a.yml]\nexpose: ['80:80']\n",
		"services:\n  a: {extends: b}\n  b: {extends: a}\n",
		"include: [compose.yaml]\n",
		"a: &a [*a]\n",
	} {
		f.Add([]byte(s))
	}
	root := f.TempDir()
	dir := filepath.Join(root, "app")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		f.Fatal(err)
	}
	for name, c := range map[string]string{
		".env":    "TAG=2\nA=aaaa\nP=8080\n",
		"inc.yml": "services:\n  i:\n    image: inc\n    mem_limit: 1g\n",
	} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(c), 0o644); err != nil {
			f.Fatal(err)
		}
	}
	abs := filepath.Join(dir, "compose.yaml")
	f.Fuzz(func(t *testing.T, data []byte) {
		fuzzbound.Check(t, func() {
			file := parsers.NewFile("app/compose.yaml", abs, root, "", data)
			_ = compose.Load([]*parsers.File{file}, compose.Options{Root: root, WorkDir: root})
		})
	})
}
