package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hoplint/hoplint/parsers"
)

const corpus = "../../../../shared/corpus/"

// readerFor picks the reader by file name, as discovery will.
func readerFor(name string) func(*parsers.File) *Result {
	base := filepath.Base(name)
	switch {
	case base == "php.ini" || strings.HasPrefix(base, "php.ini-") || strings.HasSuffix(name, ".ini") && strings.Contains(name, "/php/"):
		return ParsePHPIni
	case base == "www.conf" || strings.Contains(base, "fpm") && strings.HasSuffix(base, ".conf"):
		return ParsePHPFPM
	case strings.HasPrefix(base, "application") && strings.HasSuffix(base, ".properties"):
		return ParseSpringProperties
	case strings.HasPrefix(base, "application") && (strings.HasSuffix(base, ".yml") || strings.HasSuffix(base, ".yaml")):
		return ParseSpringYAML
	case base == "server.xml":
		return ParseTomcatServerXML
	case strings.HasPrefix(base, "appsettings") && strings.HasSuffix(base, ".json"):
		return ParseKestrelJSON
	case strings.HasPrefix(base, "gunicorn") && strings.HasSuffix(base, ".py"):
		return ParseGunicornConf
	case strings.HasPrefix(base, "uwsgi") && strings.HasSuffix(base, ".ini"):
		return ParseUWSGIIni
	case base == "puma.rb":
		return ParsePumaRB
	}
	return nil
}

// Every config file of these formats in the corpus is read without a
// problem; the settings named in issue 22 come out with their values.
func TestCorpus(t *testing.T) {
	if _, err := os.Stat(corpus); err != nil {
		t.Skip("no corpus")
	}
	all := map[string]string{}
	n := 0
	err := filepath.WalkDir(corpus, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if d.Name() == "node_modules" || d.Name() == ".git" {
				return filepath.SkipDir
			}
			return nil
		}
		read := readerFor(p)
		if read == nil {
			return nil
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel := strings.TrimPrefix(p, corpus)
		r := read(parsers.NewFile(rel, p, corpus, "", data))
		n++
		for _, pr := range r.Problems {
			t.Errorf("%s: %s", pr.Range, pr.Message)
		}
		all[rel] = dump(r)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%d files read", n)
	for file, want := range map[string][]string{
		"TrafeX__docker-php-nginx/config/fpm-pool.conf": {`listen = "/run/php-fpm.sock"`},
		"serversideup__docker-php/src/common/usr/local/etc/php/conf.d/serversideup-docker-php.ini": {
			"max_execution_time = env PHP_MAX_EXECUTION_TIME", "upload_max_filesize = env PHP_UPLOAD_MAX_FILE_SIZE", "post_max_size = env PHP_POST_MAX_SIZE"},
		"dbca-wa__resource_tracking/gunicorn.py": {`bind = ":8080"`, "keepalive = 5s", "timeout = 1m0s", `worker_class = "asgi"`, "workers = 4"},
		"healthchecks__healthchecks/docker/uwsgi.ini": {"harakiri = 10s", "post-buffering = 16192B",
			`http-socket = ":8000" [healthchecks__healthchecks/docker/uwsgi.ini:6:15] section="uwsgi" if="if-not-env = LISTEN_IPV6"`},
		"maybe-finance__maybe/config/puma.rb": {"port = env PORT else 3000", "threads = env RAILS_MAX_THREADS else 3", `worker_timeout = 1h0m0s`},
		"Unidata__tomcat-docker/server.xml":   {"connectionTimeout = 20s"},
	} {
		got, ok := all[file]
		if !ok {
			t.Errorf("%s was not read", file)
			continue
		}
		for _, w := range want {
			if !strings.Contains(got, w) {
				t.Errorf("%s: missing %q in\n%s", file, w, got)
			}
		}
	}
}
