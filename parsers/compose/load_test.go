package compose_test

import (
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hoplint/hoplint/parsers"
	"github.com/hoplint/hoplint/parsers/compose"
)

// project writes files (path: content) under a fresh root and loads the
// default project of its subdirectory "app" (or of the root when no file
// is under app/).
func project(t *testing.T, files map[string]string) (*compose.Project, string) {
	t.Helper()
	root := t.TempDir()
	for p, c := range files {
		abs := filepath.Join(root, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(abs), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(abs, []byte(c), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	dir := filepath.Join(root, "app")
	p := compose.LoadDir(dir, compose.Options{Root: root, WorkDir: root})
	if p == nil {
		t.Fatal("no compose file found")
	}
	return p, root
}

func problems(p *compose.Project) string {
	var b strings.Builder
	for _, pr := range p.Problems {
		b.WriteString(string(pr.Kind) + " " + pr.Range.String() + ": " + pr.Message + "\n")
	}
	return b.String()
}

func at(r parsers.Range) string { return r.String() }

func TestOverrideReplacesCommand(t *testing.T) {
	p, _ := project(t, map[string]string{
		"app/compose.yaml":         "services:\n  web:\n    image: python:3.12\n    command: gunicorn app:app\n    mem_limit: 512m\n",
		"app/compose.override.yml": "services:\n  web:\n    command: [\"gunicorn\", \"--keep-alive\", \"5\", \"app:app\"]\n",
	})
	if !p.Loaded {
		t.Fatal(problems(p))
	}
	s := p.Service("web")
	if got := strings.Join(s.Command.Args, " "); got != "gunicorn --keep-alive 5 app:app" || s.Command.Form != "list" {
		t.Errorf("command = %q (%s)", got, s.Command.Form)
	}
	if at(s.Command.Range) != "app/compose.override.yml:3:5" {
		t.Errorf("command range = %s, want the override's line", at(s.Command.Range))
	}
	if s.MemLimit.Bytes != 512<<20 || at(s.MemLimit.Range) != "app/compose.yaml:5:5" {
		t.Errorf("mem_limit = %d at %s", s.MemLimit.Bytes, at(s.MemLimit.Range))
	}
	if len(p.Files) != 2 {
		t.Errorf("files = %d", len(p.Files))
	}
}

func TestDotEnvInterpolation(t *testing.T) {
	t.Setenv("LEAKED", "from-the-shell")
	p, _ := project(t, map[string]string{
		"app/.env": "TAG=1.27\nMEM=256M\n",
		"app/docker-compose.yml": `services:
  proxy:
    image: nginx:${TAG:-1.25}
    environment:
      A: ${UNSET_VAR:-fallback}
      B: ${LEAKED}
      C: $LEAKED-x
      D:
    deploy:
      resources:
        limits:
          memory: ${MEM}
          cpus: ${CPUS}
    ports: ["${PORT}:80"]
    stop_grace_period: ${GRACE}
`,
	})
	if !p.Loaded {
		t.Fatal(problems(p))
	}
	s := p.Service("proxy")
	if s.Image.Value != "nginx:1.27" || !s.Image.Known || at(s.Image.Range) != "app/docker-compose.yml:3:5" {
		t.Errorf("image = %+v", s.Image)
	}
	if e := s.Environment["A"]; e.Value != "fallback" || !e.Known {
		t.Errorf("A = %+v", e)
	}
	for _, k := range []string{"B", "C", "D"} {
		e := s.Environment[k]
		if e.Known || strings.Contains(e.Value, "from-the-shell") {
			t.Errorf("%s = %+v: the process environment must not reach interpolation", k, e)
		}
	}
	if m := s.Limits.Memory; m.Bytes != 256<<20 || !m.Known || at(m.Range) != "app/docker-compose.yml:12:11" {
		t.Errorf("memory = %+v", m)
	}
	if c := s.Limits.CPUs; c.Known || !c.Set {
		t.Errorf("cpus from an unset variable must be unknown: %+v", c)
	}
	if len(s.Ports) != 1 || s.Ports[0].Known || s.Ports[0].Target != 80 {
		t.Errorf("ports = %+v", s.Ports)
	}
	if s.StopGracePeriod.Known {
		t.Errorf("stop_grace_period from an unset variable must be unknown: %+v", s.StopGracePeriod)
	}
	if n := strings.Count(problems(p), "have no value"); n != 1 {
		t.Errorf("want one problem naming the unset variables, got:\n%s", problems(p))
	}
}

func TestMissingDotEnvAndEnvFile(t *testing.T) {
	p, _ := project(t, map[string]string{
		"app/compose.yml": "services:\n  app:\n    image: app:${TAG}\n    env_file: [app.env, {path: optional.env, required: false}]\n    environment:\n      X: \"1\"\n  db:\n    image: postgres:${PG:-16}\n",
	})
	if !p.Loaded {
		t.Fatal(problems(p))
	}
	a := p.Service("app")
	if a.Image.Known || !a.EnvIncomplete || a.Environment["X"].Value != "1" {
		t.Errorf("app = %+v", a)
	}
	if d := p.Service("db"); d.Image.Value != "postgres:16" || !d.Image.Known {
		t.Errorf("db image = %+v", d.Image)
	}
	got := problems(p)
	if strings.Count(got, "\n") != 2 || !strings.Contains(got, "there is no app/.env, so ${TAG}") || !strings.Contains(got, "env_file app/app.env is not in the linted files") {
		t.Errorf("problems:\n%s", got)
	}
	for _, pr := range p.Problems {
		if pr.Kind != parsers.ProblemUnfollowed {
			t.Errorf("a missing input is information, not %s", pr.Kind)
		}
	}
}

func TestEnvFileRead(t *testing.T) {
	p, _ := project(t, map[string]string{
		"app/compose.yml": "services:\n  app:\n    image: app\n    env_file: app.env\n    environment:\n      B: over\n",
		"app/app.env":     "# comment\nA=1\nB=2\n",
	})
	s := p.Service("app")
	if e := s.Environment["A"]; e.Value != "1" || at(e.Range) != "app/app.env:2:1" || e.From != "app/app.env" {
		t.Errorf("A = %+v", e)
	}
	if e := s.Environment["B"]; e.Value != "over" || e.From != "environment" {
		t.Errorf("B = %+v", e)
	}
}

func TestExtendsAndInclude(t *testing.T) {
	p, _ := project(t, map[string]string{
		"app/compose.yaml": `include:
  - ../shared/db.yml
services:
  web:
    extends:
      file: ../shared/base.yml
      service: base
    command: ["uvicorn", "main:app"]
`,
		"shared/base.yml": "services:\n  base:\n    image: python:3.12\n    deploy:\n      resources:\n        limits:\n          memory: 1G\n    volumes:\n      - ./conf/app.ini:/etc/app.ini:ro\n",
		"shared/db.yml":   "services:\n  db:\n    image: postgres:16\n    mem_limit: 2g\n",
	})
	if !p.Loaded {
		t.Fatal(problems(p))
	}
	w := p.Service("web")
	if w.Image.Value != "python:3.12" || at(w.Image.Range) != "shared/base.yml:3:5" {
		t.Errorf("extended image = %+v", w.Image)
	}
	if w.Limits.Memory.Bytes != 1<<30 || at(w.Limits.Memory.Range) != "shared/base.yml:7:11" {
		t.Errorf("extended memory = %+v", w.Limits.Memory)
	}
	if len(w.Volumes) != 1 || !strings.HasSuffix(filepath.ToSlash(w.Volumes[0].SourcePath), "shared/conf/app.ini") || !w.Volumes[0].ReadOnly || at(w.Volumes[0].Range) != "shared/base.yml:9:9" {
		t.Errorf("extended bind mount (relative to the base file) = %+v", w.Volumes)
	}
	d := p.Service("db")
	if d == nil || d.MemLimit.Bytes != 2<<30 || at(d.MemLimit.Range) != "shared/db.yml:4:5" {
		t.Errorf("included db = %+v", d)
	}
}

func TestBindMountOutsideRoot(t *testing.T) {
	p, root := project(t, map[string]string{
		"app/compose.yml": "services:\n  x:\n    image: nginx\n    volumes:\n      - ../../etc/passwd:/etc/passwd:ro\n      - ./nginx.conf:/etc/nginx/nginx.conf\n      - data:/data\nvolumes:\n  data: {}\n",
	})
	vs := p.Service("x").Volumes
	if len(vs) != 3 {
		t.Fatalf("volumes = %+v", vs)
	}
	byTarget := map[string]compose.Mount{}
	for _, v := range vs {
		byTarget[v.Target] = v
	}
	if v := byTarget["/etc/passwd"]; !v.Outside || v.SourcePath != "" || at(v.Range) != "app/compose.yml:5:9" {
		t.Errorf("../../etc/passwd = %+v", v)
	}
	if v := byTarget["/etc/nginx/nginx.conf"]; v.Outside || v.SourcePath != filepath.Join(root, "app", "nginx.conf") {
		t.Errorf("./nginx.conf = %+v", v)
	}
	if v := byTarget["/data"]; v.Type != "volume" || v.SourcePath != "" {
		t.Errorf("named volume = %+v", v)
	}
}

func TestIncludeCycle(t *testing.T) {
	done := make(chan *compose.Project)
	go func() {
		p, _ := project(t, map[string]string{
			"app/compose.yml": "include: [a.yml]\nservices:\n  x:\n    image: nginx\n",
			"app/a.yml":       "include: [b.yml]\nservices:\n  a:\n    image: nginx\n",
			"app/b.yml":       "include: [a.yml]\nservices:\n  b:\n    image: nginx\n",
		})
		done <- p
	}()
	select {
	case p := <-done:
		if p.Loaded || !strings.Contains(problems(p), "include cycle") {
			t.Errorf("want an include cycle problem, got loaded=%v\n%s", p.Loaded, problems(p))
		}
	case <-time.After(20 * time.Second):
		t.Fatal("include cycle did not end")
	}
}

func TestExtendsCycle(t *testing.T) {
	p, _ := project(t, map[string]string{
		"app/compose.yml": "services:\n  a:\n    image: x\n    extends: b\n  b:\n    image: y\n    extends: a\n",
	})
	if p.Loaded || !strings.Contains(problems(p), "Circular reference") {
		t.Errorf("loaded=%v\n%s", p.Loaded, problems(p))
	}
}

// TestRemoteIncludeRefused: an include of a URL is refused without any
// connection, as are git and OCI references.
func TestRemoteIncludeRefused(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	var conns atomic.Int32
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			conns.Add(1)
			c.Close()
		}
	}()
	addr := ln.Addr().String()
	for _, ref := range []string{"https://" + addr + "/c.yml", "http://" + addr + "/c.yml", "git@" + addr + ":x/y.git", "oci://" + addr + "/x:1"} {
		p, _ := project(t, map[string]string{
			"app/compose.yml": "include:\n  - " + ref + "\nservices:\n  x:\n    image: nginx\n",
		})
		if p.Loaded || !strings.Contains(problems(p), "remote, and hoplint never reaches the network") {
			t.Errorf("%s: loaded=%v\n%s", ref, p.Loaded, problems(p))
		}
		for _, pr := range p.Problems {
			if pr.Kind != parsers.ProblemUnfollowed || pr.Range.Start.Line != 2 {
				t.Errorf("%s: %s at %s", ref, pr.Kind, pr.Range)
			}
		}
		p, _ = project(t, map[string]string{
			"app/compose.yml": "services:\n  x:\n    extends:\n      file: " + ref + "\n      service: y\n",
		})
		if p.Loaded || !strings.Contains(problems(p), "never reaches the network") {
			t.Errorf("extends %s: loaded=%v\n%s", ref, p.Loaded, problems(p))
		}
	}
	time.Sleep(50 * time.Millisecond)
	if n := conns.Load(); n != 0 {
		t.Errorf("%d connections reached the listener", n)
	}
}

func TestIncludeOutsideRootRefused(t *testing.T) {
	outside := t.TempDir()
	secret := filepath.Join(outside, "secret.yml")
	if err := os.WriteFile(secret, []byte("services:\n  s:\n    image: secret\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(outside, "secret.env"), []byte("X=1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for name, c := range map[string]string{
		"path":              "include:\n  - " + secret + "\nservices:\n  x:\n    image: nginx\n",
		"relative":          "include:\n  - ../../../../../../../../../../.." + secret + "\nservices:\n  x:\n    image: nginx\n",
		"env_file":          "include:\n  - path: inc.yml\n    env_file: " + filepath.Join(outside, "secret.env") + "\nservices:\n  x:\n    image: nginx\n",
		"project_directory": "include:\n  - path: inc.yml\n    project_directory: " + outside + "\nservices:\n  x:\n    image: nginx\n",
		"extends":           "services:\n  x:\n    extends:\n      file: " + secret + "\n      service: s\n",
	} {
		p, _ := project(t, map[string]string{"app/compose.yml": c, "app/inc.yml": "services:\n  i:\n    image: nginx\n"})
		if p.Loaded || !strings.Contains(problems(p), "outside the linted root") {
			t.Errorf("%s: loaded=%v\n%s", name, p.Loaded, problems(p))
		}
		for _, s := range p.Services {
			if s.Name == "s" {
				t.Errorf("%s: read a service from outside the root", name)
			}
		}
	}
}

func TestSymlinkedIncludeOutsideRoot(t *testing.T) {
	outside := t.TempDir()
	if err := os.WriteFile(filepath.Join(outside, "x.yml"), []byte("services:\n  s:\n    image: secret\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	root := t.TempDir()
	if err := os.MkdirAll(filepath.Join(root, "app"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(filepath.Join(outside, "x.yml"), filepath.Join(root, "app", "link.yml")); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(root, "app", "compose.yml"), []byte("include: [link.yml]\nservices:\n  x:\n    image: nginx\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	p := compose.LoadDir(filepath.Join(root, "app"), compose.Options{Root: root, WorkDir: root})
	if p.Loaded || !strings.Contains(problems(p), "outside the linted root") {
		t.Errorf("loaded=%v\n%s", p.Loaded, problems(p))
	}
}

func TestProfilesAndDetails(t *testing.T) {
	p, _ := project(t, map[string]string{
		"app/compose.yml": `services:
  web:
    build:
      context: .
      dockerfile: docker/Dockerfile
      target: prod
      args: [PORT=8000, UNSET]
    entrypoint: /entry.sh --flag
    expose: ["8000"]
    ports:
      - "127.0.0.1:8080:8000"
      - target: 9000
        published: "9001"
    networks:
      front:
        aliases: [www]
      back:
    labels:
      - traefik.http.services.web.loadbalancer.server.port=8000
    cpus: 0.5
    stop_grace_period: 1m30s
    configs:
      - source: nginx
        target: /etc/nginx/nginx.conf
  debug:
    image: busybox
    profiles: [debug]
networks:
  front: {}
  back: {}
configs:
  nginx:
    file: ./nginx.conf
`,
	})
	if !p.Loaded {
		t.Fatal(problems(p))
	}
	if d := p.Service("debug"); d == nil || len(d.Profiles) != 1 || d.Profiles[0] != "debug" {
		t.Errorf("profiled service = %+v", d)
	}
	w := p.Service("web")
	if b := w.Build; b == nil || b.Target.Value != "prod" || !strings.HasSuffix(filepath.ToSlash(b.DockerfilePath), "app/docker/Dockerfile") || at(b.Target.Range) != "app/compose.yml:6:7" {
		t.Errorf("build = %+v", w.Build)
	}
	if a := w.Build.Args["PORT"]; a.Value != "8000" || !a.Known || a.Range.Start.Line != 7 {
		t.Errorf("build arg = %+v", a)
	}
	if a := w.Build.Args["UNSET"]; a.Known {
		t.Errorf("build arg with no value = %+v", a)
	}
	if e := w.Entrypoint; strings.Join(e.Args, "|") != "/entry.sh|--flag" || e.Form != "string" {
		t.Errorf("entrypoint = %+v", e)
	}
	if len(w.Expose) != 1 || w.Expose[0].Value != "8000" || at(w.Expose[0].Range) != "app/compose.yml:9:14" {
		t.Errorf("expose = %+v", w.Expose)
	}
	if len(w.Ports) != 2 || w.Ports[0].Published != "8080" || w.Ports[0].HostIP != "127.0.0.1" || at(w.Ports[0].Range) != "app/compose.yml:11:9" || at(w.Ports[1].Range) != "app/compose.yml:12:9" {
		t.Errorf("ports = %+v", w.Ports)
	}
	if len(w.Networks) != 2 || w.Networks[1].Name != "front" || w.Networks[1].Aliases[0] != "www" || w.Networks[1].Range.Start.Line != 15 {
		t.Errorf("networks = %+v", w.Networks)
	}
	if l := w.Labels["traefik.http.services.web.loadbalancer.server.port"]; l.Value != "8000" || l.Range.Start.Line != 19 {
		t.Errorf("label = %+v", l)
	}
	if w.CPUs.CPUs != 0.5 || w.StopGracePeriod.Value != 90*time.Second || w.StopGracePeriod.Range.Start.Line != 21 {
		t.Errorf("cpus %+v grace %+v", w.CPUs, w.StopGracePeriod)
	}
	if len(w.Configs) != 1 || w.Configs[0].Target != "/etc/nginx/nginx.conf" || w.Configs[0].Config == nil || !strings.HasSuffix(w.Configs[0].Config.FilePath, "nginx.conf") || w.Configs[0].Range.Start.Line != 23 {
		t.Errorf("configs = %+v", w.Configs)
	}
}

func TestNotComposeAndVersion1(t *testing.T) {
	p, _ := project(t, map[string]string{
		"app/docker-compose.yml": "templates:\n  - templates/web.template.yml\nexpose:\n  - \"80:80\"\n",
	})
	if p.NotCompose == nil || p.Loaded {
		t.Errorf("launcher YAML: %+v", p)
	}
	p, _ = project(t, map[string]string{
		"app/docker-compose.yml": "tomcat:\n  image: unidata/tomcat-docker:8.5\n  ports:\n    - \"80:8080\"\n  mem_limit: 1g\n",
	})
	if !p.Loaded || !p.Version1 {
		t.Fatalf("version 1: %+v\n%s", p, problems(p))
	}
	if s := p.Service("tomcat"); s == nil || at(s.MemLimit.Range) != "app/docker-compose.yml:5:3" || at(s.Ports[0].Range) != "app/docker-compose.yml:4:7" {
		t.Errorf("version-1 service = %+v", s)
	}
}

func TestBadFileIsAProblem(t *testing.T) {
	p, _ := project(t, map[string]string{
		"app/compose.yml": "services:\n  web:\n    image: [unclosed\n",
	})
	if p.Loaded || len(p.Problems) != 1 || p.Problems[0].Kind != parsers.ProblemParse || p.Problems[0].Range.Start.Line == 0 {
		t.Errorf("%+v", p.Problems)
	}
	p, _ = project(t, map[string]string{
		"app/compose.yml": "services:\n  web:\n    image: nginx\n    ports: [\"not a port\"]\n",
	})
	if p.Loaded || !strings.Contains(problems(p), "docker compose would not load") || p.Problems[0].Range.Start.Line != 4 {
		t.Errorf("want the ports line:\n%s", problems(p))
	}
}

// TestEnvAndLabelFilesOutsideRootNotRead: env_file and label_file outside
// the root give no values (compose-go is told not to read them; hoplint
// refuses).
func TestEnvAndLabelFilesOutsideRootNotRead(t *testing.T) {
	outside := t.TempDir()
	env := filepath.Join(outside, "secret.env")
	if err := os.WriteFile(env, []byte("SECRET=leaked\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	p, _ := project(t, map[string]string{
		"app/compose.yml": "services:\n  a:\n    image: x\n    env_file: " + env + "\n    label_file: " + env + "\n",
	})
	if !p.Loaded {
		t.Fatal(problems(p))
	}
	s := p.Service("a")
	if _, ok := s.Environment["SECRET"]; ok || !s.EnvIncomplete {
		t.Errorf("environment = %+v", s.Environment)
	}
	if _, ok := s.Labels["SECRET"]; ok {
		t.Errorf("labels = %+v", s.Labels)
	}
	if !strings.Contains(problems(p), "outside the linted root") {
		t.Errorf("%s", problems(p))
	}
}

// A build context from a variable with no value is unknown: compose-go's
// substitute for it is no directory anyone builds from (wger-project's
// dev compose file: context: ${WGER_CODEPATH:?…}).
func TestBuildContextFromUnsetVariable(t *testing.T) {
	p, _ := project(t, map[string]string{
		"app/compose.yml":   "services:\n  web:\n    build:\n      context: ${CODE:?set CODE in .env}\n      dockerfile: docker/Dockerfile\n  api:\n    build: ${API_DIR}\n  ok:\n    build:\n      context: ${OK_DIR:-./ok}\n",
		"app/ok/Dockerfile": "FROM python:3.12\n",
	})
	for _, s := range p.Services {
		b := s.Build
		switch s.Name {
		case "web", "api":
			if b == nil || !b.ContextUnknown || b.ContextDir != "" || b.DockerfilePath != "" {
				t.Errorf("%s: build = %+v, want the context unknown and no Dockerfile path", s.Name, b)
			}
		case "ok":
			if b == nil || b.ContextUnknown || !strings.HasSuffix(filepath.ToSlash(b.DockerfilePath), "app/ok/Dockerfile") {
				t.Errorf("ok: build = %+v, want ok/Dockerfile", b)
			}
		}
	}
}

// An empty default is a value: ${X:-} and ${X-} give "" and ${X:+y}
// gives "" when X has none, as docker compose does (openproject-deploy:
// OPENPROJECT_RAILS__RELATIVE__URL__ROOT: "${…:-}"). $X, ${X} and
// ${X:?msg} give none; $$X is a literal.
func TestEmptyDefaultIsKnown(t *testing.T) {
	p, _ := project(t, map[string]string{
		"app/docker-compose.yml": `services:
  web:
    image: example/web:1
    environment:
      A: "${ROOT:-}"
      B: "x${ROOT2-}y"
      C: "${FLAG:+on}"
      D: "${ROOT:-}/${NAME}"
      E: "${OUTER:-${INNER}}"
      F: "$$LITERAL"
      G: "${NAMED:?set it}"
      H: "${NAMEDX:-}$NAMEDX"
`,
	})
	if !p.Loaded {
		t.Fatal(problems(p))
	}
	s := p.Service("web")
	want := map[string]struct {
		value string
		known bool
	}{"A": {"", true}, "B": {"xy", true}, "C": {"", true}, "D": {"", false}, "E": {"", false}, "F": {"$LITERAL", true}, "G": {"", false}, "H": {"", false}}
	for k, w := range want {
		e := s.Environment[k]
		if e.Known != w.known || w.known && e.Value != w.value {
			t.Errorf("%s = %+v, want value %q known %v", k, e, w.value, w.known)
		}
	}
	msg := problems(p)
	for _, v := range []string{"ROOT}", "ROOT2", "FLAG", "OUTER", "LITERAL"} {
		if strings.Contains(msg, "${"+v) {
			t.Errorf("${%s is reported as having no value:\n%s", v, msg)
		}
	}
	for _, v := range []string{"NAME}", "INNER", "NAMED}", "NAMEDX"} {
		if !strings.Contains(msg, "${"+v) {
			t.Errorf("${%s is not reported as having no value:\n%s", v, msg)
		}
	}
}
