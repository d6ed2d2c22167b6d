package topology_test

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/tools/txtar"

	"github.com/hoplint/hoplint/config"
	"github.com/hoplint/hoplint/internal/linttest"
	"github.com/hoplint/hoplint/parsers"
	"github.com/hoplint/hoplint/parsers/apache"
	"github.com/hoplint/hoplint/topology"
)

// apacheModules is where Debian's apache2 package keeps its modules.
const apacheModules = "/usr/lib/apache2/modules"

// oracleModules are loaded for a case that loads none itself (hoplint then
// takes every <IfModule> as active, so the modules its directives need
// must be there).
var oracleModules = []string{
	"mpm_event", "authz_core", "authz_host", "alias", "dir", "mime", "env", "setenvif", "headers",
	"rewrite", "reqtimeout", "proxy", "proxy_http", "proxy_balancer", "proxy_hcheck",
	"lbmethod_byrequests", "slotmem_shm",
}

// TestApacheOracle runs the real httpd (`apache2 -t`) on every Apache
// configuration of the txtar cases: a tree hoplint finds nothing fatal in
// must be accepted, and a tree hoplint says httpd refuses must be refused.
// Needs Debian's apache2 package; in CI (CI=true) its absence fails.
func TestApacheOracle(t *testing.T) {
	bin, err := exec.LookPath("apache2")
	if err != nil {
		bin, err = exec.LookPath("httpd")
	}
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("apache2 not installed: .ci/run must `apt-get install -y apache2`")
		}
		t.Skip("apache2 not installed")
	}
	if _, err := os.Stat(apacheModules); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("%s missing: install Debian's apache2 package", apacheModules)
		}
		t.Skipf("%s missing", apacheModules)
	}
	cases, _ := filepath.Glob("../testdata/apache/*.txtar")
	if len(cases) == 0 {
		t.Fatal("no cases")
	}
	cases = append(cases, "../examples/apache")
	checked := 0
	for _, c := range cases {
		t.Run(filepath.Base(c), func(t *testing.T) {
			var ar *txtar.Archive
			var err error
			if strings.HasSuffix(c, ".txtar") {
				ar, err = txtar.ParseFile(c)
			} else {
				ar, err = dirArchive(c)
			}
			if err != nil {
				t.Fatal(err)
			}
			dir := t.TempDir()
			linttest.Extract(t, ar, dir)
			cfg := &config.Config{}
			if data, err := os.ReadFile(filepath.Join(dir, config.DefaultFile)); err == nil {
				if cfg, err = config.Parse(data); err != nil {
					t.Fatal(err)
				}
			}
			g, err := topology.Load([]string{"."}, cfg, dir)
			if err != nil {
				t.Fatal(err)
			}
			for _, x := range g.Configs[parsers.FormatApache] {
				ac := x.(*apache.Config)
				if len(ac.Unfollowed) > 0 {
					continue // httpd would read files hoplint did not
				}
				out, ok := runApache(t, bin, dir, ac)
				checked++
				switch {
				case ac.Fatal() && ok:
					t.Errorf("%s: hoplint reports a fatal problem but apache2 -t accepts it:\n%s\nhoplint: %v", ac.File.Path, out, fatalMessages(ac))
				case !ac.Fatal() && !ok:
					t.Errorf("%s: apache2 -t refuses a configuration hoplint finds nothing fatal in:\n%s", ac.File.Path, out)
				}
			}
		})
	}
	if checked == 0 {
		t.Fatal("no configuration was checked")
	}
}

func fatalMessages(c *apache.Config) []string {
	var out []string
	for _, is := range c.Issues {
		if is.Fatal {
			out = append(out, is.Range.String()+": "+is.Message)
		}
	}
	return out
}

// runApache checks one tree with `apache2 -t`, through a wrapper that adds
// what the case does not set and a server needs: an MPM, an error log, the
// modules (when the case loads none).
func runApache(t *testing.T, bin, dir string, c *apache.Config) (string, bool) {
	t.Helper()
	var w bytes.Buffer
	hasMPM := false
	for m := range c.Modules {
		if strings.HasPrefix(m, "mpm_") {
			hasMPM = true
		}
	}
	if !hasMPM {
		fmt.Fprintf(&w, "LoadModule mpm_event_module %s/mod_mpm_event.so\n", apacheModules)
	}
	if !c.LoadModules {
		for _, m := range oracleModules[1:] {
			fmt.Fprintf(&w, "LoadModule %s_module %s/mod_%s.so\n", m, apacheModules, m)
		}
	}
	// Without a ServerRoot, hoplint resolves includes from the main file's
	// directory: give httpd the same root.
	root := dir
	if c.ServerRoot == nil {
		root = filepath.Dir(c.File.Abs)
	}
	if err := os.Symlink(apacheModules, filepath.Join(root, "modules")); err != nil && !os.IsExist(err) {
		t.Fatal(err)
	}
	logs := t.TempDir()
	fmt.Fprintf(&w, "ErrorLog %s/error.log\nPidFile %s/httpd.pid\nServerName oracle.invalid\nInclude %s\n", logs, logs, c.File.Abs)
	wrapper := filepath.Join(logs, "wrapper.conf")
	if err := os.WriteFile(wrapper, w.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, "-t", "-d", root, "-f", wrapper)
	cmd.Dir = dir
	// FROM_ENVIRONMENT stands for a variable the server's environment sets
	// (define.txtar): hoplint leaves its value unknown.
	cmd.Env = append(os.Environ(), "FROM_ENVIRONMENT=5", "APACHE_RUN_DIR="+logs, "APACHE_LOG_DIR="+logs, "APACHE_LOCK_DIR="+logs, "APACHE_PID_FILE="+logs+"/httpd.pid")
	out, err := cmd.CombinedOutput()
	return string(out), err == nil
}
