package config

import (
	"strings"
	"testing"
	"time"
)

func TestPHPIni(t *testing.T) {
	check(t, ParsePHPIni(file("php.ini", `[PHP]
; upload_max_filesize = 1G
upload_max_filesize = 2M ; the default
post_max_size = "8m"
memory_limit = -1
max_execution_time = ${PHP_MAX_EXECUTION_TIME:-30}
max_input_time = 99999999999999999999
post_max_size = 1Q
`)), `
php.ini:3:1 upload_max_filesize = 2097152B [php.ini:3:23] section="PHP"
php.ini:4:1 post_max_size = 8388608B [php.ini:4:17] section="PHP"
php.ini:5:1 memory_limit = -1B unlimited [php.ini:5:16] section="PHP"
php.ini:6:1 max_execution_time = env PHP_MAX_EXECUTION_TIME else 30s [php.ini:6:22] section="PHP"
php.ini:7:1 max_input_time = unknown(PHP reads "99999999999999999999" as a number of seconds hoplint cannot tell) [php.ini:7:18] section="PHP"
php.ini:8:1 post_max_size = unknown(not a PHP size (an integer with K, M or G)) [php.ini:8:17] section="PHP"`)
}

func TestPHPFPM(t *testing.T) {
	check(t, ParsePHPFPM(file("www.conf", `[global]
error_log = /dev/stderr
[www]
listen = 127.0.0.1:9000
request_terminate_timeout = 5m
php_admin_value[upload_max_filesize] = 100M
[api]
request_terminate_timeout = 0
`)), `
www.conf:4:1 listen = "127.0.0.1:9000" [www.conf:4:10] section="www"
www.conf:5:1 request_terminate_timeout = 5m0s [www.conf:5:29] section="www"
www.conf:6:1 upload_max_filesize = 104857600B [www.conf:6:40] section="www"
www.conf:8:1 request_terminate_timeout = 0s unlimited [www.conf:8:29] section="api"`)
}

func TestSpringProperties(t *testing.T) {
	check(t, ParseSpringProperties(file("src/main/resources/application-prod.properties", `# timeouts
server.tomcat.keepAliveTimeout=70s
server.tomcat.connection-timeout: 20000
spring.servlet.multipart.max-file-size=${MAX_FILE:10MB}
spring.servlet.multipart.max-request-size = -1
server.netty.idle-timeout=PT1M30S
#---
spring.config.activate.on-profile=dev
server.tomcat.max-swallow-size=2MB
`)), `
src/main/resources/application-prod.properties:2:1 server.tomcat.keep-alive-timeout = 1m10s [src/main/resources/application-prod.properties:2:32] section="prod"
src/main/resources/application-prod.properties:3:1 server.tomcat.connection-timeout = 20s [src/main/resources/application-prod.properties:3:35] section="prod"
src/main/resources/application-prod.properties:4:1 spring.servlet.multipart.max-file-size = env MAX_FILE else 10485760B [src/main/resources/application-prod.properties:4:40] section="prod"
src/main/resources/application-prod.properties:5:1 spring.servlet.multipart.max-request-size = -1B unlimited [src/main/resources/application-prod.properties:5:45] section="prod"
src/main/resources/application-prod.properties:6:1 server.netty.idle-timeout = 1m30s [src/main/resources/application-prod.properties:6:27] section="prod"
src/main/resources/application-prod.properties:9:1 server.tomcat.max-swallow-size = 2097152B [src/main/resources/application-prod.properties:9:32] section="prod" if="profile dev"`)
}

func TestSpringYAMLProfiles(t *testing.T) {
	check(t, ParseSpringYAML(file("application.yml", `server:
  port: 8080
  tomcat:
    keep-alive-timeout: 75s
    connection-timeout: 5000
spring:
  servlet:
    multipart:
      max-request-size: 50MB
---
spring:
  config:
    activate:
      on-profile: docker
server:
  jetty:
    connection-idle-timeout: 30s
`)), `
application.yml:2:3 server.port = 8080 [application.yml:2:9]
application.yml:4:5 server.tomcat.keep-alive-timeout = 1m15s [application.yml:4:25]
application.yml:5:5 server.tomcat.connection-timeout = 5s [application.yml:5:25]
application.yml:9:7 spring.servlet.multipart.max-request-size = 52428800B [application.yml:9:25]
application.yml:17:5 server.jetty.connection-idle-timeout = 30s [application.yml:17:30] if="profile docker"`)
	r := ParseSpringYAML(file("application.yml", "a: [\n"))
	if len(r.Problems) != 1 {
		t.Errorf("got %v", r.Problems)
	}
}

func TestTomcatServerXML(t *testing.T) {
	check(t, ParseTomcatServerXML(file("server.xml", `<?xml version="1.0"?>
<Server port="8005" shutdown="SHUTDOWN">
  <Service name="Catalina">
    <Connector port="8080" protocol="HTTP/1.1"
               connectionTimeout="20000"
               maxPostSize="${post.max}"
               redirectPort="8443" />
    <Connector port="8009" keepAliveTimeout='65000' maxSwallowSize="-1"/>
  </Service>
</Server>
`)), `
server.xml:4:16 port = 8080 [server.xml:4:22] section="Connector port=8080"
server.xml:4:28 protocol = "HTTP/1.1" [server.xml:4:38] section="Connector port=8080"
server.xml:5:16 connectionTimeout = 20s [server.xml:5:35] section="Connector port=8080"
server.xml:6:16 maxPostSize = unknown(set from a property (${post.max}) Tomcat substitutes at start-up) [server.xml:6:29] section="Connector port=8080"
server.xml:8:16 port = 8009 [server.xml:8:22] section="Connector port=8009"
server.xml:8:28 keepAliveTimeout = 1m5s [server.xml:8:46] section="Connector port=8009"
server.xml:8:53 maxSwallowSize = -1B unlimited [server.xml:8:69] section="Connector port=8009"`)
	r := ParseTomcatServerXML(file("server.xml", "<Server><Connector port='1'></Server>"))
	if len(r.Problems) != 1 {
		t.Errorf("got %v", r.Problems)
	}
	// No entity is expanded: a billion-laughs document ends in an error.
	r = ParseTomcatServerXML(file("server.xml", `<!DOCTYPE x [<!ENTITY a "aaaa">]><Server>&a;</Server>`))
	if len(r.Problems) != 1 {
		t.Errorf("got %v", r.Problems)
	}
}

func TestKestrel(t *testing.T) {
	check(t, ParseKestrelJSON(file("appsettings.json", `{
  // Kestrel limits
  "Logging": { "LogLevel": { "Default": "Information" } },
  "kestrel": {
    "Limits": {
      "KeepAliveTimeout": "00:02:10",
      "RequestHeadersTimeout": "1.00:00:30.5",
      "MaxRequestBodySize": null, /* no limit */
    },
  },
}
`)), `
appsettings.json:6:7 Kestrel:Limits:KeepAliveTimeout = 2m10s [appsettings.json:6:27]
appsettings.json:7:7 Kestrel:Limits:RequestHeadersTimeout = 24h0m30.5s [appsettings.json:7:32]
appsettings.json:8:7 Kestrel:Limits:MaxRequestBodySize = 0B unlimited [appsettings.json:8:29]`)
	for in, want := range map[string]time.Duration{"00:00:05": 5 * time.Second, "2": 48 * time.Hour, "-00:01": -time.Minute} {
		if v := TimeSpan(in); v.Kind != Duration || v.Duration != want {
			t.Errorf("%s: %s", in, vs(v))
		}
	}
	for _, in := range []string{"25:00:00", "00:61", "x", "99999999.00:00:00"} {
		if v := TimeSpan(in); v.Kind != Unknown {
			t.Errorf("%s: %s", in, vs(v))
		}
	}
}

func TestGunicorn(t *testing.T) {
	check(t, ParseGunicornConf(file("gunicorn.conf.py", `import os
"""docstring with keepalive = 99"""
bind = ["0.0.0.0:8000", '[::]:8000']
workers = int(os.environ.get("WORKERS", 4))
keepalive = 75  # behind the ALB
timeout = 120; threads = 4
worker_class = "uvicorn.workers.UvicornWorker"
graceful_timeout = (
    30
)
if os.environ.get("DEBUG"):
    timeout = 0
`)), `
gunicorn.conf.py:3:1 bind = "0.0.0.0:8000 [::]:8000" [gunicorn.conf.py:3:8]
gunicorn.conf.py:4:1 workers = unknown(an expression, not a literal (hoplint runs no Python)) [gunicorn.conf.py:4:11]
gunicorn.conf.py:5:1 keepalive = 1m15s [gunicorn.conf.py:5:13]
gunicorn.conf.py:6:1 timeout = unknown(also assigned at line 12, under a condition or by an expression) [gunicorn.conf.py:6:11]
gunicorn.conf.py:6:16 threads = 4 [gunicorn.conf.py:6:26]
gunicorn.conf.py:7:1 worker_class = "uvicorn.workers.UvicornWorker" [gunicorn.conf.py:7:16]
gunicorn.conf.py:8:1 graceful_timeout = unknown(an expression, not a literal (hoplint runs no Python)) [gunicorn.conf.py:8:20]`)
}

func TestUWSGI(t *testing.T) {
	check(t, ParseUWSGIIni(file("uwsgi.ini", `[uwsgi]
master
http-socket = :8000
harakiri = 10
if-not-env = UWSGI_PROCESSES
processes = 4
endif =
http_keepalive = $(KEEPALIVE)
limit-post = 10485760
[other]
harakiri = 1
`)), `
uwsgi.ini:3:1 http-socket = ":8000" [uwsgi.ini:3:15] section="uwsgi"
uwsgi.ini:4:1 harakiri = 10s [uwsgi.ini:4:12] section="uwsgi"
uwsgi.ini:6:1 processes = 4 [uwsgi.ini:6:13] section="uwsgi" if="if-not-env = UWSGI_PROCESSES"
uwsgi.ini:8:1 http-keepalive = env KEEPALIVE [uwsgi.ini:8:18] section="uwsgi"
uwsgi.ini:9:1 limit-post = 10485760B [uwsgi.ini:9:14] section="uwsgi"`)
}

func TestPuma(t *testing.T) {
	check(t, ParsePumaRB(file("config/puma.rb", `max_threads = ENV.fetch("RAILS_MAX_THREADS") { 5 }
threads max_threads, max_threads
port ENV.fetch("PORT", 3000)
persistent_timeout 75 # behind an ALB
first_data_timeout Integer(ENV["FIRST_DATA"] || 30)
bind "tcp://0.0.0.0:9292"
if ENV["RAILS_ENV"] == "production"
  workers 4
end
on_worker_boot do
  persistent_timeout 1
end
workers n if n > 1
`)), `
config/puma.rb:2:1 threads = env RAILS_MAX_THREADS else 5 [config/puma.rb:2:9]
config/puma.rb:3:1 port = env PORT else 3000 [config/puma.rb:3:6]
config/puma.rb:4:1 persistent_timeout = 1m15s [config/puma.rb:4:20]
config/puma.rb:5:1 first_data_timeout = env FIRST_DATA else 30s [config/puma.rb:5:20]
config/puma.rb:6:1 bind = "tcp://0.0.0.0:9292" [config/puma.rb:6:6]
config/puma.rb:8:3 workers = 4 [config/puma.rb:8:11] if="if ENV[\"RAILS_ENV\"] == \"production\""
config/puma.rb:11:3 persistent_timeout = 1s [config/puma.rb:11:22] if="on_worker_boot do"
config/puma.rb:13:1 workers = unknown(`+"`n`"+` is not a variable assigned once, at the top of this file) [config/puma.rb:13:9] if="if n > 1"`)
}

func TestHugeValues(t *testing.T) {
	for _, v := range []Value{PHPSize("9999999999999G"), DataSize("99999999999TB"), SpringDuration("999999999999d", time.Millisecond),
		SpringDuration("P999999999999D", time.Millisecond), fpmDuration("99999999999999d"), uwsgiValue("seconds", "99999999999999999")} {
		if v.Kind != Unknown {
			t.Errorf("got %s", vs(v))
		}
	}
	if !strings.Contains(vs(DataSize("10KB")), "10240B") {
		t.Error(vs(DataSize("10KB")))
	}
}

// Values from the environment resolve against a container's environment
// with the setting's own syntax, and fall back as the product does.
func TestResolve(t *testing.T) {
	env := func(vars map[string]string) func(string) (string, bool) {
		return func(k string) (string, bool) { v, ok := vars[k]; return v, ok }
	}
	php := ParsePHPIni(file("php.ini", "upload_max_filesize = ${UP:-2M}\npost_max_size = ${POST}\n"))
	up := php.Get("upload_max_filesize", "")
	for _, tc := range []struct {
		vars map[string]string
		want int64
		ok   bool
	}{{nil, 2 << 20, true}, {map[string]string{"UP": ""}, 2 << 20, true}, {map[string]string{"UP": "100M"}, 100 << 20, true}, {map[string]string{"UP": "x"}, 0, false}} {
		v, ok := up.Value.Resolve(env(tc.vars), up.Reparse)
		if ok != tc.ok || ok && v.Bytes != tc.want {
			t.Errorf("%v: got %s %v", tc.vars, vs(v), ok)
		}
	}
	post := php.Get("post_max_size", "")
	if _, ok := post.Value.Resolve(env(nil), post.Reparse); ok {
		t.Error("an unset variable without a fallback must stay unknown")
	}
	if _, ok := up.Value.Resolve(nil, up.Reparse); ok {
		t.Error("an unknown environment must stay unknown")
	}
	spring := ParseSpringProperties(file("application.properties", "server.tomcat.keep-alive-timeout=${KA:20s}\n"))
	ka := spring.Get("server.tomcat.keep-alive-timeout", "")
	if v, ok := ka.Value.Resolve(env(map[string]string{"KA": "75000"}), ka.Reparse); !ok || v.Duration != 75*time.Second {
		t.Errorf("KA=75000: %s", vs(v))
	}
	puma := ParsePumaRB(file("puma.rb", "persistent_timeout ENV.fetch('PT') { 20 }\n"))
	pt := puma.Get("persistent_timeout", "")
	if v, ok := pt.Value.Resolve(env(map[string]string{"PT": "75"}), pt.Reparse); !ok || v.Duration != 75*time.Second {
		t.Errorf("PT=75: %s", vs(v))
	}
	if v, ok := pt.Value.Resolve(env(nil), pt.Reparse); !ok || v.Duration != 20*time.Second {
		t.Errorf("PT unset: %s", vs(v))
	}
}
