package compose_test

import (
	"io/fs"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	testcorpus "github.com/hoplint/hoplint/internal/corpus"
	"github.com/hoplint/hoplint/parsers"
	"github.com/hoplint/hoplint/parsers/compose"
)

// corpusProjects lists the compose projects of the corpus: each directory
// holding a default compose file (loaded as `docker compose` would there),
// and each other compose-looking YAML file on its own (as `docker compose
// -f FILE`).
func corpusProjects(t testing.TB, corpus string) (dirs []string, files []string) {
	seenDir := map[string]bool{}
	err := filepath.WalkDir(corpus, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		base := d.Name()
		dir := filepath.Dir(p)
		if slices.Contains(compose.DefaultFileNames, base) || slices.Contains(compose.DefaultOverrideFileNames, base) {
			if !seenDir[dir] {
				seenDir[dir] = true
				dirs = append(dirs, dir)
			}
			return nil
		}
		ext := filepath.Ext(base)
		if ext != ".yml" && ext != ".yaml" {
			return nil
		}
		rel, _ := filepath.Rel(corpus, p)
		rel = filepath.ToSlash(rel)
		if _, ok := composeFragments[rel]; ok || strings.Contains(base, "compose") {
			files = append(files, p)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return dirs, files
}

// composeFragments are compose files (or look-alikes) whose names do not
// say so, named in CLASSES.md class 10; each is loaded with the files it is
// used with (`docker compose -f A -f B`), or alone when the list is empty.
var composeFragments = map[string][]string{
	"miniflux__v2/contrib/docker-compose/basic.yml":                             nil,
	"miniflux__v2/contrib/docker-compose/caddy.yml":                             nil,
	"miniflux__v2/contrib/docker-compose/traefik.yml":                           nil,
	"discourse__discourse_docker/samples/data.yml":                              nil,
	"discourse__discourse_docker/samples/redis.yml":                             nil,
	"discourse__discourse_docker/samples/standalone.yml":                        nil,
	"discourse__discourse_docker/samples/web_only.yml":                          nil,
	"jitsi__docker-jitsi-meet/etherpad.yml":                                     {"jitsi__docker-jitsi-meet/docker-compose.yml"},
	"jitsi__docker-jitsi-meet/jibri.yml":                                        {"jitsi__docker-jitsi-meet/docker-compose.yml"},
	"jitsi__docker-jitsi-meet/jigasi.yml":                                       {"jitsi__docker-jitsi-meet/docker-compose.yml"},
	"jitsi__docker-jitsi-meet/transcriber.yml":                                  {"jitsi__docker-jitsi-meet/docker-compose.yml"},
	"jitsi__docker-jitsi-meet/whiteboard.yml":                                   {"jitsi__docker-jitsi-meet/docker-compose.yml"},
	"dotnet-architecture__eShopOnContainers/src/docker-compose.prod.yml":        {"dotnet-architecture__eShopOnContainers/src/docker-compose.yml"},
	"nginx-proxy__nginx-proxy/test/test_multiple-hosts/test_multiple-hosts.yml": {"nginx-proxy__nginx-proxy/test/compose.base.yml"},
	"nginx-proxy__nginx-proxy/test/test_keepalive/test_keepalive.yml":           {"nginx-proxy__nginx-proxy/test/compose.base.yml"},
	"nginx-proxy__nginx-proxy/test/test_virtual-path/test_virtual-paths.yml":    {"nginx-proxy__nginx-proxy/test/compose.base.yml"},
	"nginx-proxy__nginx-proxy/test/test_virtual-path/test_custom-conf.yml":      {"nginx-proxy__nginx-proxy/test/compose.base.yml"},
	"nginx-proxy__nginx-proxy/test/test_custom/test_per-vhost.yml":              {"nginx-proxy__nginx-proxy/test/compose.base.yml"},
	"nginx-proxy__nginx-proxy/test/test_custom/test_defaults.yml":               {"nginx-proxy__nginx-proxy/test/compose.base.yml"},
	"nginx-proxy__nginx-proxy/test/test_custom/test_proxy-wide.yml":             {"nginx-proxy__nginx-proxy/test/compose.base.yml"},
	"nginx-proxy__nginx-proxy/test/test_custom/test_location-defaults.yml":      {"nginx-proxy__nginx-proxy/test/compose.base.yml"},
	"nginx-proxy__nginx-proxy/test/test_custom/test_location-per-vhost.yml":     {"nginx-proxy__nginx-proxy/test/compose.base.yml"},
}

// notCompose are the corpus files that are not valid compose, and why. Every
// other project must load without a parse-error.
var notCompose = map[string]string{
	"LemmyNet__lemmy-ansible/templates/docker-compose.yml":                                          "Jinja template ({{ }}), rendered by Ansible",
	"Mailu__Mailu/setup/flavors/compose/docker-compose.yml":                                         "Jinja template ({% %}), rendered by Mailu's setup utility",
	"cookiecutter__cookiecutter-django/{{cookiecutter.project_slug}}/docker-compose.docs.yml":       "cookiecutter Jinja template",
	"cookiecutter__cookiecutter-django/{{cookiecutter.project_slug}}/docker-compose.local.yml":      "cookiecutter Jinja template",
	"cookiecutter__cookiecutter-django/{{cookiecutter.project_slug}}/docker-compose.production.yml": "cookiecutter Jinja template",
	// compose-go v2.16.2 (docker compose's loader) refuses an
	// environment: key with nothing under it (null): "must be a mapping".
	"nginx-proxy__nginx-proxy/docker-compose-separate-containers.yml": "environment: with no entries is null, which docker compose refuses",
}

// launchers are discourse launcher definitions: recognised as not compose.
var launchers = []string{
	"discourse__discourse_docker/samples/data.yml", "discourse__discourse_docker/samples/redis.yml",
	"discourse__discourse_docker/samples/standalone.yml", "discourse__discourse_docker/samples/web_only.yml",
}

// TestCorpus loads every compose project of ../shared/corpus: none may fail
// to load except the files in notCompose, and the shapes CLASSES.md class
// 10 names must come out typed with their lines.
func TestCorpus(t *testing.T) {
	corpus := testcorpus.Dir(t)
	dirs, files := corpusProjects(t, corpus)
	start := time.Now()
	byName := map[string]*compose.Project{}
	read := func(rel string) *parsers.File {
		abs := filepath.Join(corpus, filepath.FromSlash(rel))
		data, err := parsers.ReadWithin(repoRoot(corpus, abs), abs)
		if err != nil {
			t.Fatal(err)
		}
		return parsers.NewFile(rel, abs, repoRoot(corpus, abs), "", data)
	}
	for _, d := range dirs {
		p := compose.LoadDir(d, compose.Options{Root: repoRoot(corpus, d), WorkDir: corpus})
		byName[parsers.RelPath(corpus, d)+"/"] = p
	}
	for _, f := range files {
		rel := parsers.RelPath(corpus, f)
		var pf []*parsers.File
		for _, with := range composeFragments[rel] {
			pf = append(pf, read(with))
		}
		pf = append(pf, read(rel))
		byName[rel] = compose.Load(pf, compose.Options{WorkDir: corpus})
	}
	t.Logf("%d projects (%d directories, %d files named alone or with their base) loaded in %s", len(byName), len(dirs), len(files), time.Since(start))
	for name, p := range byName {
		if slices.Contains(launchers, name) {
			if p.NotCompose == nil {
				t.Errorf("%s: a discourse launcher definition was not recognised as not compose", name)
			}
			continue
		}
		if p.NotCompose != nil {
			t.Errorf("%s: taken for not compose: %s", name, p.NotCompose.Reason)
			continue
		}
		main := name
		if len(p.Files) > 0 {
			main = p.Files[len(p.Files)-1].Path
			if strings.HasSuffix(name, "/") {
				main = p.Files[0].Path
			}
		}
		if why, ok := notCompose[main]; ok {
			if p.Loaded {
				t.Errorf("%s loaded, but is listed as not valid compose (%s)", main, why)
			}
			continue
		}
		if !p.Loaded || len(p.Services) == 0 {
			t.Errorf("%s: not loaded (%d services)", name, len(p.Services))
		}
		for _, pr := range p.Problems {
			if pr.Kind == parsers.ProblemParse {
				t.Errorf("%s: %s", pr.Range, pr.Message)
			}
		}
	}
	for rel := range notCompose {
		found := false
		for _, p := range byName {
			found = found || (len(p.Files) > 0 && p.Files[0].Path == rel) || (len(p.Problems) > 0 && p.Problems[0].Range.File == rel)
		}
		if !found {
			t.Errorf("%s is listed as not compose but was not loaded", rel)
		}
	}

	// Class 10 shapes.
	pet := byName["spring-petclinic__spring-petclinic-microservices/"]
	if s := pet.Service("config-server"); s == nil || s.Limits.Memory.Bytes != 512<<20 || s.Limits.Memory.Range.Start.Line != 8 {
		t.Errorf("petclinic config-server memory limit: %+v", s)
	}
	tom := byName["Unidata__tomcat-docker/"]
	if !tom.Version1 || len(tom.Services) == 0 {
		t.Errorf("Unidata tomcat: version 1 not read: %+v", tom)
	}
	maybe := byName["maybe-finance__maybe/compose.example.yml"]
	if e := maybe.Service("web").Environment["POSTGRES_USER"]; e.Value != "maybe_user" || !e.Known || e.Range.Start.Line != 31 {
		t.Errorf("maybe web POSTGRES_USER through two merge keys: %+v", e)
	}
	if e := maybe.Service("web").Environment["OPENAI_ACCESS_TOKEN"]; e.Known {
		t.Errorf("maybe OPENAI_ACCESS_TOKEN has no value and no default, yet is known: %+v", e)
	}
	jitsi := byName["jitsi__docker-jitsi-meet/"]
	if s := jitsi.Service("prosody"); s == nil || len(s.Networks) != 1 || !slices.Contains(s.Networks[0].Aliases, "xmpp.meet.jitsi") || s.Networks[0].Range.Start.Line < 350 {
		t.Errorf("jitsi prosody alias: %+v", s)
	}
	fa := byName["fastapi__full-stack-fastapi-template/"]
	if len(fa.Files) != 2 {
		t.Errorf("fastapi: want compose.yml and compose.override.yml, got %d files", len(fa.Files))
	}
	if s := fa.Service("backend"); s == nil || s.Labels["traefik.http.services.${STACK_NAME?Variable not set}-backend.loadbalancer.server.port"].Value != "" {
		_ = s
	}
}

func repoRoot(corpus, p string) string {
	rel, _ := filepath.Rel(corpus, p)
	return filepath.Join(corpus, strings.Split(filepath.ToSlash(rel), "/")[0])
}
