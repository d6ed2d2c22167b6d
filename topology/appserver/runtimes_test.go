package appserver

import (
	"strings"
	"testing"
	"time"

	"github.com/hoplint/hoplint/topology/setting"
)

// TestRuntimesStayUnknown: what hoplint cannot see leaves a value unknown,
// so that no rule reports a default that may not hold.
func TestRuntimesStayUnknown(t *testing.T) {
	pom := `<project><dependencies><dependency><artifactId>spring-boot-starter-web</artifactId></dependency></dependencies></project>`
	cases := []struct {
		name  string
		files map[string]string
		p     Process
		label string
		body  bool // BodyLimit known
		ka    bool // KeepAlive known
	}{
		{name: "php-fpm in an image that is not the official one: its php.ini is unknown",
			p:     Process{Image: Str{Value: "bitnami/php-fpm:8.2"}, Command: cmd("php-fpm", "-F")},
			label: "php-fpm"},
		{name: "php-fpm -c names a php.ini the tree does not put there",
			p:     Process{Image: Str{Value: "php:8.3-fpm"}, Command: cmd("php-fpm", "-c", "/etc/custom/php.ini")},
			label: "php-fpm 8.3"},
		{name: "a RUN line writes the limits through variables",
			p: Process{FromImage: Str{Value: "php:8.3-fpm"}, Runs: []Str{{Value: `RUN echo "upload_max_filesize=$UPLOAD" > /usr/local/etc/php/conf.d/u.ini && sed -i "s/post_max_size = .*/post_max_size = $POST/" x.ini`}},
				Context: "."},
			label: "php-fpm 8.3"},
		{name: "php-fpm daemonised is not the container's server",
			p: Process{Image: Str{Value: "php:8.3-fpm"}, Command: cmd("sh", "-c", "php-fpm -D; nginx -g 'daemon off;'")}},
		{name: "php.ini from a volume hoplint does not read",
			p:     Process{Image: Str{Value: "php:8.3-fpm"}, Opaque: []string{"/usr/local/etc/php/conf.d"}},
			label: "php-fpm 8.3"},
		{name: "Tomcat's conf from a ConfigMap",
			p:     Process{Image: Str{Value: "tomcat:9"}, Opaque: []string{"/usr/local/tomcat/conf/server.xml"}},
			label: "Tomcat 9"},
		{name: "Tomcat in an ECS task whose mounts are not read",
			p:     Process{Image: Str{Value: "tomcat:9"}, Opaque: []string{"/"}},
			label: "Tomcat 9"},
		{name: "Spring Boot with a config server",
			files: map[string]string{"pom.xml": pom, "src/main/resources/application.yml": "spring:\n  config:\n    import: optional:configserver:http://config:8888\nserver:\n  tomcat:\n    keep-alive-timeout: 5s\n"},
			p:     Process{Command: cmd("java", "-jar", "app.jar"), Context: "."}, label: "Spring Boot (Tomcat)"},
		{name: "Spring Boot with a profile hoplint cannot tell",
			files: map[string]string{"pom.xml": pom, "src/main/resources/application.properties": "server.port=8080\n", "src/main/resources/application-prod.properties": "server.tomcat.keep-alive-timeout=5s\n"},
			p:     Process{Command: cmd("java", "-jar", "app.jar"), Context: ".", Env: map[string]Str{"SPRING_PROFILES_ACTIVE": {Unknown: true}}}, label: "Spring Boot (Tomcat)"},
		{name: "Spring Boot set through the environment",
			files: map[string]string{"pom.xml": pom, "src/main/resources/application.properties": "server.port=8080\n"},
			p:     Process{Command: cmd("java", "-jar", "app.jar"), Context: ".", Env: map[string]Str{"SERVER_TOMCAT_KEEPALIVETIMEOUT": {Value: "5s"}}}, label: "Spring Boot (Tomcat)"},
		{name: "a java program that is no Spring Boot web app",
			files: map[string]string{"pom.xml": "<project/>"},
			p:     Process{Command: cmd("java", "-jar", "app.jar"), Context: "."}},
		{name: "Kestrel limits set in code",
			files: map[string]string{"Api.csproj": "<Project/>", "Program.cs": "builder.WebHost.ConfigureKestrel(o => o.Limits.MaxRequestBodySize = null);\n"},
			p:     Process{FromImage: Str{Value: "mcr.microsoft.com/dotnet/aspnet:8.0"}, Command: cmd("dotnet", "Api.dll"), Context: "."},
			label: "Kestrel (ASP.NET Core)", ka: true},
		{name: "dotnet outside the aspnet image",
			p: Process{FromImage: Str{Value: "mcr.microsoft.com/dotnet/runtime:8.0"}, Command: cmd("dotnet", "Worker.dll"), Context: "."}},
		{name: "uWSGI harakiri in the file and on the command line",
			files: map[string]string{"uwsgi.ini": "[uwsgi]\nlimit-post = 1024\n"},
			p:     Process{Command: cmd("uwsgi", "uwsgi.ini", "--limit-post", "2048"), Context: "."}, label: "uWSGI"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := c.p
			if c.files != nil || p.Context != "" {
				if c.files == nil {
					c.files = map[string]string{}
				}
				root := tree(t, c.files)
				p.Files = NewFiles(root, root)
			}
			info := Identify(p)
			if info.Label != c.label {
				t.Fatalf("label %q, want %q", info.Label, c.label)
			}
			if info.BodyLimit.Known() != c.body {
				t.Errorf("body limit known = %v (%+v)", info.BodyLimit.Known(), info.BodyLimit)
			}
			if info.KeepAlive.Known() != c.ka {
				t.Errorf("keep-alive known = %v (%+v)", info.KeepAlive.Known(), info.KeepAlive)
			}
		})
	}
}

// TestPHPPrecedence: php.ini, then conf.d in name order, then the pool's
// php_admin_value, then -d on the command line.
func TestPHPPrecedence(t *testing.T) {
	root := tree(t, map[string]string{
		"php/php.ini":            "upload_max_filesize = 4M\npost_max_size = 64M\n",
		"php/conf.d/10-a.ini":    "upload_max_filesize = 8M\n",
		"php/conf.d/20-b.ini":    "upload_max_filesize = 16M\n",
		"fpm/www.conf":           "[www]\nlisten = 9000\nphp_admin_value[upload_max_filesize] = 32M\nrequest_terminate_timeout = 2m\n",
		"fpm/other-not-pool.txt": "upload_max_filesize = 1M\n",
	})
	base := Process{Image: Str{Value: "php:8.3-fpm-alpine"}, Files: NewFiles(root, root), Context: ".",
		Mounts: []Mount{{Target: "/usr/local/etc/php", Source: "php"}}}
	info := Identify(base)
	if info.BodyLimit.Value != 16<<20 || !strings.Contains(info.BodyLimit.Name, "20-b.ini") {
		t.Errorf("conf.d: %+v", info.BodyLimit)
	}
	base.Mounts = append(base.Mounts, Mount{Target: "/usr/local/etc/php-fpm.d", Source: "fpm"})
	info = Identify(base)
	if info.BodyLimit.Value != 32<<20 || info.RequestTimeout.Value != 2*time.Minute {
		t.Errorf("pool: %+v %+v", info.BodyLimit, info.RequestTimeout)
	}
	base.Command = cmd("php-fpm", "-F", "-d", "upload_max_filesize=128M")
	info = Identify(base)
	// post_max_size 64M is now the smaller limit.
	if info.BodyLimit.Value != 64<<20 || info.BodyLimit.Prov != setting.Set {
		t.Errorf("-d: %+v", info.BodyLimit)
	}
}

// TestTomcatStock: the official tomcat image without a server.xml of the
// tree keeps the stock file's 20 s.
func TestTomcatStock(t *testing.T) {
	info := Identify(Process{Image: Str{Value: "tomcat:10.1-jdk21"}})
	if info.Label != "Tomcat 10.1" || info.KeepAlive.Value != 20*time.Second || !info.KeepAlive.IsDefault() {
		t.Errorf("%+v", info)
	}
}
