package hostile_test

import (
	"os"
	"path"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/tools/txtar"

	"github.com/hoplint/hoplint/internal/fuzzbound"
	"github.com/hoplint/hoplint/parsers"
	"github.com/hoplint/hoplint/rules"
	"github.com/hoplint/hoplint/topology"
	_ "github.com/hoplint/hoplint/topology/sources"
)

// lintDir runs the whole pipeline, as the CLI does, over dir.
func lintDir(dir string) []rules.Finding {
	g, err := topology.Load([]string{"."}, nil, dir)
	if err != nil {
		return nil
	}
	return rules.Run(g, nil, rules.Options{})
}

// addArchiveSeeds adds the repository's txtar cases: multi-file stacks of
// every format, the best starting points for mutation.
func addArchiveSeeds(f *testing.F) {
	_ = filepath.WalkDir(filepath.Join("..", "..", "testdata"), func(p string, e os.DirEntry, err error) error {
		if err == nil && !e.IsDir() && strings.HasSuffix(p, ".txtar") {
			if data, err := os.ReadFile(p); err == nil {
				f.Add(data)
			}
		}
		return nil
	})
}

// FuzzPipeline reads the input as a txtar archive of several files of
// mixed formats, writes them into a directory and lints it: discovery,
// classification, every parser and loader, the linkers and every rule.
// Nothing may panic, hang or allocate without bound, and every finding
// must name a file of the archive.
func FuzzPipeline(f *testing.F) {
	addArchiveSeeds(f)
	f.Add([]byte("-- nginx.conf --\nevents {}\nhttp { include a.conf; }\n-- a.conf --\nserver { listen 80; location / { proxy_pass http://b:8080; } }\n-- main.tf --\nresource \"aws_lb_target_group\" \"t\" {\n  port = 80\n}\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		ar := txtar.Parse(data)
		if len(ar.Files) == 0 || len(ar.Files) > 12 {
			return
		}
		dir := t.TempDir()
		names := map[string]bool{}
		for _, file := range ar.Files {
			name := path.Clean(strings.TrimSpace(file.Name))
			if name == "." || strings.HasPrefix(name, "..") || path.IsAbs(name) || strings.ContainsAny(name, "\x00\\:") || len(file.Data) > 1<<16 {
				return
			}
			p := filepath.Join(dir, filepath.FromSlash(name))
			if os.MkdirAll(filepath.Dir(p), 0o755) != nil || os.WriteFile(p, file.Data, 0o644) != nil {
				return
			}
			names[name] = true
		}
		fuzzbound.Check(t, func() {
			for _, fd := range lintDir(dir) {
				if fd.Range.File != "" && !names[fd.Range.File] && !strings.HasPrefix(fd.Range.File, "/") {
					// Files reached by includes are in the archive too; a
					// finding elsewhere means something read outside it.
					if _, err := os.Stat(filepath.Join(dir, filepath.FromSlash(fd.Range.File))); err != nil {
						t.Errorf("finding on %q, which is not in the archive: %s", fd.Range.File, fd.Message)
					}
				}
			}
		})
	})
}

// FuzzEmbedded puts the input into a ConfigMap, as nginx.conf and as
// httpd.conf, mounted by an nginx and an httpd pod, so that the embedded
// configuration path (parsed in the host file with shifted positions) sees
// arbitrary text.
func FuzzEmbedded(f *testing.F) {
	f.Add([]byte("events {}\nhttp { server { listen 80; keepalive_timeout 5s; } }\n"))
	f.Add([]byte("Listen 80\nKeepAlive On\nKeepAliveTimeout 90\n<VirtualHost *:80>\nProxyPass / http://b/\n</VirtualHost>\n"))
	f.Add([]byte("Define A x\nDefine A ${A}${A}\nServerName ${A}\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > 1<<16 {
			return
		}
		var b strings.Builder
		b.WriteString("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: conf\ndata:\n")
		for _, key := range []string{"nginx.conf", "httpd.conf"} {
			b.WriteString("  " + key + ": |\n")
			for _, l := range strings.Split(string(data), "\n") {
				b.WriteString("    " + l + "\n")
			}
		}
		for _, pod := range []struct{ name, image, path string }{
			{"ngx", "nginx:1.27", "/etc/nginx/nginx.conf"},
			{"web", "httpd:2.4.62", "/usr/local/apache2/conf/httpd.conf"},
		} {
			b.WriteString("---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: " + pod.name + "\n  labels: {app: " + pod.name + "}\nspec:\n  containers:\n    - name: c\n      image: " + pod.image +
				"\n      volumeMounts:\n        - {name: conf, mountPath: " + pod.path + ", subPath: " + path.Base(pod.path) + "}\n  volumes:\n    - name: conf\n      configMap: {name: conf}\n")
		}
		file := parsers.NewFile("k8s.yaml", "/fuzz/k8s.yaml", "/fuzz", parsers.FormatKubernetes, []byte(b.String()))
		fuzzbound.Check(t, func() {
			g := topology.Build([]*parsers.File{file}, nil, nil, "/fuzz")
			for _, fd := range rules.Run(g, nil, rules.Options{}) {
				if fd.Range.File != "" && fd.Range.File != "k8s.yaml" {
					t.Errorf("finding on %q: %s", fd.Range.File, fd.Message)
				}
			}
		})
	})
}

// FuzzClassify decides the format of arbitrary names and contents, and
// parses whatever it decides with the whole pipeline.
func FuzzClassify(f *testing.F) {
	f.Add("nginx.conf", []byte("events {}\n"))
	f.Add("sites-enabled/default", []byte("server { listen 80; }\n"))
	f.Add("conf.d/a.conf", []byte("<VirtualHost *:80>\n</VirtualHost>\n"))
	f.Add("k8s/app.yaml", []byte("\xef\xbb\xbfapiVersion: v1\nkind: Pod\n"))
	f.Add("api.json", []byte(`{"openapi":"3.0.0"}`))
	f.Fuzz(func(t *testing.T, name string, data []byte) {
		if len(data) > 1<<16 {
			return
		}
		name = path.Clean(name)
		fuzzbound.Check(t, func() {
			format := parsers.Classify(name, data)
			if format == "" {
				return
			}
			file := parsers.NewFile(name, "/fuzz/"+name, "/fuzz", format, data)
			g := topology.Build([]*parsers.File{file}, nil, nil, "/fuzz")
			_ = rules.Run(g, nil, rules.Options{})
		})
	})
}
