package topology_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/tools/txtar"

	"github.com/hoplint/hoplint/internal/linttest"
	"github.com/hoplint/hoplint/rules"
)

// TestNginxOracle runs the real nginx (`nginx -t`) on every fixture that is
// a complete configuration — the txtar cases and the rules' examples — so
// that fixtures cannot drift from what nginx accepts: a fixture where
// hoplint expects no parse-error or invalid-value must pass nginx -t, and
// one where it expects them must fail it.
func TestNginxOracle(t *testing.T) {
	bin, err := exec.LookPath("nginx")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("nginx is not installed; .ci/run installs Debian's nginx package")
		}
		t.Skip("nginx not installed")
	}
	type fixture struct {
		name string
		ar   *txtar.Archive
		bad  bool // hoplint expects nginx to refuse it
		// outside: the fixture includes files outside its tree on purpose,
		// which exist or not depending on the machine; only a refusal for
		// another reason counts.
		outside bool
	}
	var fixtures []fixture
	cases, _ := filepath.Glob("../testdata/nginx/*.txtar")
	for _, c := range cases {
		ar, err := txtar.ParseFile(c)
		if err != nil {
			t.Fatal(err)
		}
		bad, outside := false, false
		for _, e := range linttest.Expectations(t, ar) {
			if !e.Related && (e.Rule == "parse-error" || e.Rule == "invalid-value") {
				bad = true
			}
			outside = outside || e.Rule == "include-not-followed"
		}
		fixtures = append(fixtures, fixture{filepath.Base(c), ar, bad, outside})
	}
	for _, r := range rules.All() {
		for _, e := range r.Examples {
			bad := e.Bad && (r.ID == "parse-error" || r.ID == "invalid-value")
			outside := e.Bad && r.ID == "include-not-followed"
			fixtures = append(fixtures, fixture{r.ID + "/" + e.Name, txtar.Parse([]byte(e.Archive)), bad, outside})
		}
	}
	checked := 0
	for _, fx := range fixtures {
		main := completeNginx(fx.ar)
		if main == "" {
			continue
		}
		checked++
		t.Run(fx.name, func(t *testing.T) {
			dir := t.TempDir()
			linttest.Extract(t, fx.ar, dir)
			if err := os.MkdirAll(filepath.Join(dir, "logs"), 0o755); err != nil {
				t.Fatal(err)
			}
			shipStockFiles(t, dir, filepath.Dir(main))
			conf := filepath.Join(dir, main)
			cmd := exec.Command(bin, "-t", "-q", "-p", dir+"/", "-c", conf, "-e", "stderr", "-g", "pid "+filepath.Join(dir, "nginx.pid")+";")
			out, err := cmd.CombinedOutput()
			switch {
			case fx.bad && err == nil:
				t.Errorf("hoplint expects nginx to refuse %s, but nginx -t accepts it", main)
			case !fx.bad && err != nil && (!fx.outside || !strings.Contains(string(out), "open()")):
				t.Errorf("nginx -t refuses %s, but hoplint expects it to be valid:\n%s", main, out)
			}
		})
	}
	if checked < 10 {
		t.Errorf("only %d complete nginx fixtures found", checked)
	}
}

// stockFiles are the files the nginx package installs beside nginx.conf.
var stockFiles = []string{"mime.types", "fastcgi_params", "fastcgi.conf", "scgi_params", "uwsgi_params", "koi-utf", "koi-win", "win-utf"}

// shipStockFiles puts the package's stock files in the fixture's conf
// prefix where the fixture does not hold its own, as an installed nginx
// has them: hoplint treats them as present, so the oracle must too.
func shipStockFiles(t *testing.T, dir, confDir string) {
	t.Helper()
	for _, name := range stockFiles {
		dst := filepath.Join(dir, confDir, name)
		if _, err := os.Stat(dst); err == nil {
			continue
		}
		data, err := os.ReadFile(filepath.Join("/etc/nginx", name))
		if err != nil {
			continue // not installed here; nginx -t then names the file
		}
		if err := os.WriteFile(dst, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// completeNginx returns the archive's main nginx configuration (a file
// named nginx.conf with events and http blocks at its top level), or "".
func completeNginx(ar *txtar.Archive) string {
	for _, f := range ar.Files {
		if filepath.Base(f.Name) != "nginx.conf" {
			continue
		}
		text := string(f.Data)
		if strings.Contains(text, "\nevents") || strings.HasPrefix(text, "events") {
			if strings.Contains(text, "\nhttp") {
				return f.Name
			}
		}
	}
	return ""
}
