package topology_test

import (
	"bytes"
	"strings"
	"testing"

	"golang.org/x/tools/txtar"

	"github.com/hoplint/hoplint/internal/linttest"
	"github.com/hoplint/hoplint/topology"
)

// TestPodCases: the nginx or httpd a ConfigMap configures inside a pod is
// a hop on the path (includes resolved against the mounted entries, the
// version from the image tag), and loopback reaches sibling containers.
func TestPodCases(t *testing.T) { linttest.RunDir(t, "../testdata/pod") }

// TestPodGraph: `hoplint graph` prints the servers and locations of the
// configuration a container runs under that container, every server of
// it (not only the one its port reaches), and each once.
func TestPodGraph(t *testing.T) {
	ar, err := txtar.ParseFile("../testdata/pod/confd_two_keys.txtar")
	if err != nil {
		t.Fatal(err)
	}
	_, g, _ := linttest.Lint(t, ar)
	var b bytes.Buffer
	if err := topology.RenderText(&b, g); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	container := strings.Index(out, "\nnginx 1.27 in container nginx of Deployment web/proxy  [app-server]")
	if container < 0 {
		t.Fatalf("no container hop in:\n%s", out)
	}
	next := strings.Index(out[container+1:], "\ngunicorn")
	if next < 0 {
		t.Fatalf("no app container after the nginx one:\n%s", out)
	}
	block := out[container : container+1+next]
	for _, want := range []string{
		"\n    nginx default server (port 8080)  [nginx-server]",
		"\n    nginx location / of default server (port 8080)  [nginx-location]",
		"\n    nginx default server (port 8081)  [nginx-server]",
		"\n      keep-alive           65s",
	} {
		if !strings.Contains(block, want) {
			t.Errorf("the container's block lacks %q:\n%s", want, block)
		}
	}
	if n := strings.Count(out, "nginx default server (port 8081)  [nginx-server]"); n != 1 {
		t.Errorf("server 8081 printed %d times, want once:\n%s", n, out)
	}
}
