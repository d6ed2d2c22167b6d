//go:build linux

package hostile_test

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/tools/txtar"
)

// fromCase writes the files of a case under testdata/appserver into d,
// with the files of over replacing theirs (or added): a real stack whose
// application file is then made hostile, so that the reader is reached
// the way a lint run reaches it.
func fromCase(t *testing.T, d, name string, over map[string]string) {
	t.Helper()
	a, err := txtar.ParseFile(filepath.Join("..", "..", "testdata", "appserver", name+".txtar"))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range a.Files {
		if _, ok := over[f.Name]; !ok {
			write(t, d, f.Name, string(f.Data))
		}
	}
	for n, data := range over {
		write(t, d, n, data)
	}
}

// bundle is about n bytes of minified JavaScript that sets a server's
// keep-alive on every statement (so that no prefilter passes it over).
func bundle(n int) string {
	var b bytes.Buffer
	b.WriteString("const http=require('http');const s=http.createServer();s.listen(3000);")
	for b.Len() < n {
		b.WriteString("var a=function(e){return e.keepAliveTimeout=5e3,e.listen(80)};")
	}
	return b.String()
}

// A compose stack: nginx in front of one app server whose files the cases
// fill in.
const (
	gunicornStack = "services:\n  web:\n    image: nginx:1.27\n    volumes:\n      - ./nginx.conf:/etc/nginx/conf.d/default.conf:ro\n  app:\n    build: ./app\n"
	pyDockerfile  = "FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nCMD [\"gunicorn\", \"-c\", \"gunicorn.conf.py\", \"app:app\"]\n"
	rbDockerfile  = "FROM ruby:3.3\nWORKDIR /app\nCOPY . .\nCMD [\"bundle\", \"exec\", \"puma\"]\n"
	proxyConf     = "server {\n    listen 80;\n    client_max_body_size 10m;\n    location / {\n        proxy_pass http://app:8000;\n    }\n}\n"
)

// Issue 22: every reader of application source and app-server config
// meets input nested far deeper than any real file, files far larger, and
// constants defined through each other. Each case must end bounded, say
// what it skipped on the file it skipped, and still report the rest of
// the tree (the NLB's ignored idle_timeout in lb.tf).
var appSource = []hostileCase{
	{name: "22 node 100000 parentheses", gen: func(t *testing.T, d string) {
		fromCase(t, d, "k8s_unparsable_server", map[string]string{
			"app/server.js": "const http = require('http');\nconst server = http.createServer();\nserver.keepAliveTimeout = " + rep("(", 100000) + "65000" + rep(")", 100000) + ";\nserver.listen(3000);\n",
			"lb.tf":         nlb,
		})
	}, want: []want{
		{"skipped-file", "d/app/server.js", 3, `nest more than 500 deep`},
		{"ignored-lb-attribute", "d/lb.tf", 3, `idle_timeout`},
	}},
	{name: "22 typescript 100000 nested objects", gen: func(t *testing.T, d string) {
		fromCase(t, d, "k8s_unparsable_server", map[string]string{
			"k8s/app.yaml":  strings.Replace(readCase(t, "k8s_unparsable_server", "k8s/app.yaml"), `["node", "server.js"]`, `["node", "server.ts"]`, 1),
			"app/server.js": "",
			"app/server.ts": "import http from 'http';\nconst server = http.createServer();\nconst o: any = " + rep("{a:", 100000) + "1" + rep("}", 100000) + ";\nserver.keepAliveTimeout = 65000;\nserver.listen(3000);\n",
			"lb.tf":         nlb,
		})
	}, want: []want{
		{"ignored-lb-attribute", "d/lb.tf", 3, `idle_timeout`},
	}},
	{name: "22 node 16 MiB minified bundle as the entry", gen: func(t *testing.T, d string) {
		fromCase(t, d, "k8s_unparsable_server", map[string]string{
			"app/server.js": bundle(16 << 20),
			"lb.tf":         nlb,
		})
	}, want: []want{
		{"skipped-file", "d/app/server.js", 1, `bytes, over the`},
		{"ignored-lb-attribute", "d/lb.tf", 3, `idle_timeout`},
	}, maxFindings: 2},
	{name: "22 node 900 KiB bundle on one line", gen: func(t *testing.T, d string) {
		fromCase(t, d, "k8s_unparsable_server", map[string]string{
			"app/server.js": bundle(900 << 10),
			"lb.tf":         nlb,
		})
	}, want: []want{{"ignored-lb-attribute", "d/lb.tf", 3, `idle_timeout`}}},
	{name: "22 go 100000 parentheses", gen: func(t *testing.T, d string) {
		fromCase(t, d, "ecs_go_read_timeout", map[string]string{
			"internal/httpserver/server.go": "package httpserver\n\nimport (\n\t\"net/http\"\n\t\"time\"\n)\n\nfunc Run() {\n\tsrv := &http.Server{IdleTimeout: " + rep("(", 100000) + "time.Second" + rep(")", 100000) + "}\n\t_ = srv.ListenAndServe()\n}\n",
			"lb.tf":                         nlb,
		})
	}, want: []want{
		{"skipped-file", "d/internal/httpserver/server.go", 9, `nest more than 500 deep`},
		{"ignored-lb-attribute", "d/lb.tf", 3, `idle_timeout`},
	}},
	{name: "22 go constant cycle across files", gen: func(t *testing.T, d string) {
		fromCase(t, d, "ecs_go_read_timeout", map[string]string{
			"internal/httpserver/server.go": "package httpserver\n\nimport (\n\t\"net/http\"\n\t\"time\"\n)\n\nconst idle = other * time.Second\n\nfunc Run() {\n\tsrv := &http.Server{IdleTimeout: idle, ReadTimeout: idle}\n\t_ = srv.ListenAndServe()\n}\n",
			"internal/httpserver/consts.go": "package httpserver\n\nconst other = idle + 1\nconst x, y = y, x\nvar v1 = v2\nvar v2 = v1\n",
			"lb.tf":                         nlb,
		})
	}, want: []want{{"ignored-lb-attribute", "d/lb.tf", 3, `idle_timeout`}},
		// the idle timeout cannot be known: no keepalive-order
		maxFindings: 1},
	{name: "22 go 3 MiB generated file in the server's package", gen: func(t *testing.T, d string) {
		var b strings.Builder
		b.WriteString("package httpserver\n\nimport _ \"net/http\"\n\nvar data = []byte{\n")
		for b.Len() < 3<<20 {
			b.WriteString("\t0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08,\n")
		}
		b.WriteString("}\n")
		fromCase(t, d, "ecs_go_read_timeout", map[string]string{
			"internal/httpserver/bindata.go": b.String(),
			"lb.tf":                          nlb,
		})
	}, want: []want{
		{"skipped-file", "d/internal/httpserver/bindata.go", 1, `over the .* hoplint reads`},
		// the server file beside it is still read
		{"keepalive-order", "d/internal/httpserver/server.go", 0, `30s`},
		{"ignored-lb-attribute", "d/lb.tf", 3, `idle_timeout`},
	}},
	{name: "22 php.ini of 20 MiB", gen: func(t *testing.T, d string) {
		fromCase(t, d, "compose_php_fpm_upload", map[string]string{
			"php/php.ini": rep("; filler comment to make the file large enough\n", (20<<20)/47) + "upload_max_filesize = 200M\n",
			"lb.tf":       nlb,
		})
	}, want: []want{
		{"skipped-file", "d/php/php.ini", 1, `over the 4194304 that hoplint reads`},
		{"ignored-lb-attribute", "d/lb.tf", 3, `idle_timeout`},
		// and no body-size-order from PHP's 2M default: the file not read
		// sets 200M at its end
	}, maxFindings: 2},
	{name: "22 php.ini of a million settings", gen: func(t *testing.T, d string) {
		fromCase(t, d, "compose_php_fpm_upload", map[string]string{
			"php/php.ini": rep("post_max_size = 1M\n", 170000) + "[PATH=/x]\n" + rep("[s]\n", 100000),
			"lb.tf":       nlb,
		})
	}, want: []want{{"ignored-lb-attribute", "d/lb.tf", 3, `idle_timeout`}}},
	{name: "22 spring application.yml nested 100000 deep", gen: func(t *testing.T, d string) {
		fromCase(t, d, "compose_spring_profile", map[string]string{
			"api/src/main/resources/application.yml": "server:\n  tomcat:\n    keep-alive-timeout: " + rep("[", 100000) + rep("]", 100000) + "\n",
			"lb.tf":                                  nlb,
		})
	}, want: []want{{"ignored-lb-attribute", "d/lb.tf", 3, `idle_timeout`}}},
	{name: "22 spring application.properties of 20 MiB", gen: func(t *testing.T, d string) {
		fromCase(t, d, "compose_spring_profile", map[string]string{
			"api/src/main/resources/application.properties": rep("server.tomcat.keep-alive-timeout=1s\n", (20<<20)/36),
			"lb.tf": nlb,
		})
	}, want: []want{
		{"skipped-file", "d/api/src/main/resources/application.properties", 1, `over the 4194304`},
		{"ignored-lb-attribute", "d/lb.tf", 3, `idle_timeout`},
		// the properties file overrides application.yml: nothing of
		// Spring's settings is known
	}, maxFindings: 2},
	{name: "22 kestrel appsettings.json nested 100000 deep", gen: func(t *testing.T, d string) {
		fromCase(t, d, "compose_kestrel_default", map[string]string{
			"src/Api/appsettings.json": `{"Kestrel":{"Limits":{"MaxRequestBodySize":` + rep(`{"a":`, 100000) + "1" + rep("}", 100000) + "}}}",
			"lb.tf":                    nlb,
		})
	}, want: []want{{"ignored-lb-attribute", "d/lb.tf", 3, `idle_timeout`}}},
	{name: "22 uwsgi.ini of 20 MiB", gen: func(t *testing.T, d string) {
		fromCase(t, d, "compose_uwsgi_harakiri", map[string]string{
			"app/uwsgi.ini": "[uwsgi]\n" + rep("if-env = X\n", (20<<20)/11),
			"lb.tf":         nlb,
		})
	}, want: []want{
		{"skipped-file", "d/app/uwsgi.ini", 0, ``},
		{"ignored-lb-attribute", "d/lb.tf", 3, `idle_timeout`},
	}},
	{name: "22 uwsgi.ini 100000 nested if-env, each with a setting", gen: func(t *testing.T, d string) {
		fromCase(t, d, "compose_uwsgi_harakiri", map[string]string{
			"app/uwsgi.ini": "[uwsgi]\n" + rep("if-env = X\nharakiri = 5\n", 100000),
			"lb.tf":         nlb,
		})
	}, want: []want{{"ignored-lb-attribute", "d/lb.tf", 3, `idle_timeout`}}},
	{name: "22 supervisord.conf of 20 MiB and one of 100000 programs", gen: func(t *testing.T, d string) {
		fromCase(t, d, "compose_php_fpm_supervisord", map[string]string{
			"php/supervisord.conf": "[program:a]\ncommand=php-fpm -F\n" + rep(" ;continued\n", (20<<20)/12),
			"lb.tf":                nlb,
		})
		write(t, d, "b/compose.yaml", "services:\n  b:\n    build: .\n")
		write(t, d, "b/Dockerfile", "FROM php:8.2-fpm\nCOPY s.conf /s.conf\nCMD [\"supervisord\", \"-c\", \"/s.conf\"]\n")
		write(t, d, "b/s.conf", rep("[program:p]\ncommand=sh -c 'php-fpm -F & node a.js & gunicorn x:y'\n", 50000))
	}, want: []want{
		{"skipped-file", "d/php/supervisord.conf", 1, `over the 4194304`},
		{"ignored-lb-attribute", "d/lb.tf", 3, `idle_timeout`},
	}},
	{name: "22 gunicorn.conf.py 100000 parentheses", gen: func(t *testing.T, d string) {
		write(t, d, "compose.yaml", gunicornStack)
		write(t, d, "nginx.conf", proxyConf)
		write(t, d, "app/Dockerfile", pyDockerfile)
		write(t, d, "app/gunicorn.conf.py", "bind = '0.0.0.0:8000'\nkeepalive = "+rep("(", 100000)+"5"+rep(")", 100000)+"\n"+rep("[", 100000)+"\n")
		write(t, d, "lb.tf", nlb)
	}, want: []want{{"ignored-lb-attribute", "d/lb.tf", 3, `idle_timeout`}}},
	{name: "22 gunicorn.conf.py of 20 MiB", gen: func(t *testing.T, d string) {
		write(t, d, "compose.yaml", gunicornStack)
		write(t, d, "nginx.conf", proxyConf)
		write(t, d, "app/Dockerfile", pyDockerfile)
		write(t, d, "app/gunicorn.conf.py", rep("keepalive = 5\n", (20<<20)/14))
		write(t, d, "lb.tf", nlb)
	}, want: []want{
		{"skipped-file", "d/app/gunicorn.conf.py", 0, ``},
		{"ignored-lb-attribute", "d/lb.tf", 3, `idle_timeout`},
	}},
	{name: "22 puma.rb nested and huge", gen: func(t *testing.T, d string) {
		write(t, d, "compose.yaml", gunicornStack)
		write(t, d, "nginx.conf", proxyConf)
		write(t, d, "app/Dockerfile", rbDockerfile)
		write(t, d, "app/Gemfile", "source 'https://rubygems.org'\ngem 'puma'\n")
		write(t, d, "app/config/puma.rb", "port 8000\npersistent_timeout "+rep("(", 100000)+"5"+rep(")", 100000)+"\n"+rep("if x\npersistent_timeout 5\n", 100000))
		write(t, d, "lb.tf", nlb)
	}, want: []want{{"ignored-lb-attribute", "d/lb.tf", 3, `idle_timeout`}}},
	{name: "22 puma.rb of 6 MiB", gen: func(t *testing.T, d string) {
		write(t, d, "compose.yaml", gunicornStack)
		write(t, d, "nginx.conf", proxyConf)
		write(t, d, "app/Dockerfile", rbDockerfile)
		write(t, d, "app/Gemfile", "source 'https://rubygems.org'\ngem 'puma'\n")
		write(t, d, "app/config/puma.rb", rep("persistent_timeout 5\n", (6<<20)/21))
		write(t, d, "lb.tf", nlb)
	}, want: []want{
		{"skipped-file", "d/app/config/puma.rb", 1, `over the 4194304`},
		{"ignored-lb-attribute", "d/lb.tf", 3, `idle_timeout`},
	}, maxFindings: 2},
}

// readCase returns one file of a case under testdata/appserver.
func readCase(t *testing.T, name, file string) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "..", "testdata", "appserver", name+".txtar"))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range txtar.Parse(data).Files {
		if f.Name == file {
			return string(f.Data)
		}
	}
	t.Fatalf("%s has no %s", name, file)
	return ""
}

func TestHostileAppSource(t *testing.T) {
	for _, c := range appSource {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			run(t, c)
		})
	}
}
