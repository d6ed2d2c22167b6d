package parsers

import (
	"os"
	"path/filepath"
	"runtime"
	"testing"
)

// corpusFormats lists every .conf-like file of ../shared/corpus with the
// format it must get: the nginx and Apache files by their content, and
// every file that shares their names but not their syntax (php-fpm and
// supervisord INI, fontconfig XML, squid, redis, HAProxy, uWSGI, Kong's
// key = value defaults, JSON named .conf, stock mime.types read only
// through an include) as nothing at all.
var corpusFormats = []struct {
	path string
	want Format
}{
	{"Kong__kong/kong/templates/nginx.lua", FormatNginx},
	{"Kong__kong/kong/templates/nginx_kong.lua", FormatNginx},
	{"Kong__kong/kong.conf.default", ""},
	{"Kong__kong/spec/fixtures/custom_nginx.template", FormatNginx},
	{"TrafeX__docker-php-nginx/config/conf.d/default.conf", FormatNginx},
	{"TrafeX__docker-php-nginx/config/fpm-pool.conf", ""},
	{"TrafeX__docker-php-nginx/config/nginx.conf", FormatNginx},
	{"TrafeX__docker-php-nginx/config/php.ini", ""},
	{"TrafeX__docker-php-nginx/config/supervisord.conf", ""},
	{"antonputra__tutorials/lessons/250/nginx/app.conf", FormatNginx},
	{"antonputra__tutorials/lessons/250/nginx/nginx.conf", FormatNginx},
	{"apache__httpd/docs/conf/extra/httpd-default.conf.in", FormatApache},
	{"apache__httpd/docs/conf/extra/httpd-mpm.conf.in", FormatApache},
	{"apache__httpd/docs/conf/extra/httpd-vhosts.conf.in", FormatApache},
	{"apache__httpd/docs/conf/httpd.conf.in", FormatApache},
	{"compiler-explorer__infra/nginx/ce-router.conf", FormatNginx},
	{"compiler-explorer__infra/nginx/nginx.conf", FormatNginx},
	{"docker__awesome-compose/nginx-flask-mysql/proxy/conf", FormatNginx}, // extensionless, decided by content
	{"docker__awesome-compose/nginx-nodejs-redis/nginx/nginx.conf", FormatNginx},
	{"docker__awesome-compose/nginx-wsgi-flask/nginx/default.conf", FormatNginx},
	{"docker__awesome-compose/nginx-wsgi-flask/nginx/nginx.conf", FormatNginx},
	{"gotenberg__gotenberg/build/fonts.conf", ""},
	{"h5bp__server-configs-apache/h5bp/basic.conf", FormatApache},
	{"h5bp__server-configs-apache/h5bp/cross-origin/images.conf", FormatApache},
	{"h5bp__server-configs-apache/h5bp/cross-origin/web_fonts.conf", FormatApache},
	{"h5bp__server-configs-apache/h5bp/errors/error_prevention.conf", FormatApache},
	{"h5bp__server-configs-apache/h5bp/media_types/character_encodings.conf", FormatApache},
	{"h5bp__server-configs-apache/h5bp/media_types/media_types.conf", FormatApache},
	{"h5bp__server-configs-apache/h5bp/rewrites/rewrite_engine.conf", FormatApache},
	{"h5bp__server-configs-apache/h5bp/rewrites/rewrite_nowww.conf", FormatApache},
	{"h5bp__server-configs-apache/h5bp/security/file_access.conf", FormatApache},
	{"h5bp__server-configs-apache/h5bp/security/referrer-policy.conf", FormatApache},
	{"h5bp__server-configs-apache/h5bp/security/server_software_information.conf", FormatApache},
	{"h5bp__server-configs-apache/h5bp/security/x-content-type-options.conf", FormatApache},
	{"h5bp__server-configs-apache/h5bp/security/x-frame-options.conf", FormatApache},
	{"h5bp__server-configs-apache/h5bp/tls/certificate_files.conf", FormatApache},
	{"h5bp__server-configs-apache/h5bp/tls/policy_balanced.conf", FormatApache},
	{"h5bp__server-configs-apache/h5bp/tls/ssl_engine.conf", FormatApache},
	{"h5bp__server-configs-apache/h5bp/web_performance/cache_expiration.conf", FormatApache},
	{"h5bp__server-configs-apache/h5bp/web_performance/compression.conf", FormatApache},
	{"h5bp__server-configs-apache/h5bp/web_performance/etags.conf", FormatApache},
	{"h5bp__server-configs-apache/httpd.conf", FormatApache},
	{"h5bp__server-configs-apache/vhosts/.000-default.conf", FormatApache},
	{"h5bp__server-configs-apache/vhosts/000-no-ssl-default.conf", FormatApache},
	{"h5bp__server-configs-apache/vhosts/templates/example.com.conf", FormatApache},
	{"h5bp__server-configs-apache/vhosts/templates/no-ssl.example.com.conf", FormatApache},
	{"h5bp__server-configs-nginx/conf.d/.default.conf", FormatNginx},
	{"h5bp__server-configs-nginx/conf.d/no-ssl.default.conf", FormatNginx},
	{"h5bp__server-configs-nginx/conf.d/templates/example.com.conf", FormatNginx},
	{"h5bp__server-configs-nginx/conf.d/templates/no-ssl.example.com.conf", FormatNginx},
	{"h5bp__server-configs-nginx/h5bp/basic.conf", FormatNginx},
	{"h5bp__server-configs-nginx/h5bp/cross-origin/requests.conf", FormatNginx},
	{"h5bp__server-configs-nginx/h5bp/errors/custom_errors.conf", FormatNginx},
	{"h5bp__server-configs-nginx/h5bp/location/security_file_access.conf", FormatNginx},
	{"h5bp__server-configs-nginx/h5bp/media_types/character_encodings.conf", FormatNginx},
	{"h5bp__server-configs-nginx/h5bp/media_types/media_types.conf", FormatNginx},
	{"h5bp__server-configs-nginx/h5bp/security/referrer-policy.conf", FormatNginx},
	{"h5bp__server-configs-nginx/h5bp/security/server_software_information.conf", FormatNginx},
	{"h5bp__server-configs-nginx/h5bp/security/x-content-type-options.conf", FormatNginx},
	{"h5bp__server-configs-nginx/h5bp/security/x-frame-options.conf", FormatNginx},
	{"h5bp__server-configs-nginx/h5bp/tls/certificate_files.conf", FormatNginx},
	{"h5bp__server-configs-nginx/h5bp/tls/policy_balanced.conf", FormatNginx},
	{"h5bp__server-configs-nginx/h5bp/tls/ssl_engine.conf", FormatNginx},
	{"h5bp__server-configs-nginx/h5bp/web_performance/cache_expiration.conf", FormatNginx},
	{"h5bp__server-configs-nginx/h5bp/web_performance/compression.conf", FormatNginx},
	{"h5bp__server-configs-nginx/mime.types", ""},
	{"h5bp__server-configs-nginx/nginx.conf", FormatNginx},
	{"healthchecks__healthchecks/docker/uwsgi.ini", ""},
	{"jitsi__docker-jitsi-meet/web/rootfs/defaults/default", FormatNginx},    // extensionless Go template of a site
	{"jitsi__docker-jitsi-meet/web/rootfs/etc/s6-overlay/scripts/nginx", ""}, // a script named nginx
	{"knyar__nginx-lua-prometheus/integration/nginx.conf", FormatNginx},
	{"netbox-community__netbox/contrib/apache.conf", FormatApache},
	{"netbox-community__netbox/contrib/nginx.conf", FormatNginx},
	{"nginxinc__nginx-go-crossplane/testdata/configs/includes-globbed/http.conf", FormatNginx},
	{"nginxinc__nginx-go-crossplane/testdata/configs/includes-globbed/locations/location1.conf", FormatNginx},
	{"nginxinc__nginx-go-crossplane/testdata/configs/includes-globbed/locations/location2.conf", FormatNginx},
	{"nginxinc__nginx-go-crossplane/testdata/configs/includes-globbed/nginx.conf", FormatNginx},
	{"nginxinc__nginx-go-crossplane/testdata/configs/includes-globbed/servers/locations/not-included.conf", ""},
	{"nginxinc__nginx-go-crossplane/testdata/configs/includes-globbed/servers/server1.conf", FormatNginx},
	{"nginxinc__nginx-go-crossplane/testdata/configs/includes-globbed/servers/server2.conf", FormatNginx},
	{"nginxinc__nginx-go-crossplane/testdata/configs/includes-regular/conf.d/bar.conf", ""},
	{"nginxinc__nginx-go-crossplane/testdata/configs/includes-regular/conf.d/details.conf", FormatNginx},
	{"nginxinc__nginx-go-crossplane/testdata/configs/includes-regular/conf.d/foo.conf", ""},
	{"nginxinc__nginx-go-crossplane/testdata/configs/includes-regular/conf.d/http-inner.conf", FormatNginx},
	{"nginxinc__nginx-go-crossplane/testdata/configs/includes-regular/conf.d/server.conf", FormatNginx},
	{"nginxinc__nginx-go-crossplane/testdata/configs/includes-regular/foo.conf", FormatNginx},
	{"nginxinc__nginx-go-crossplane/testdata/configs/includes-regular/nginx.conf", FormatNginx},
	{"nginxinc__nginx-go-crossplane/testdata/configs/ubuntu-default/mime.types", ""},
	{"nginxinc__nginx-go-crossplane/testdata/configs/ubuntu-default/modules-enabled/50-mod-http-image-filter.conf", FormatNginx},
	{"nginxinc__nginx-go-crossplane/testdata/configs/ubuntu-default/modules-enabled/50-mod-http-xslt-filter.conf", FormatNginx},
	{"nginxinc__nginx-go-crossplane/testdata/configs/ubuntu-default/nginx.conf", FormatNginx},
	{"nginxinc__nginx-go-crossplane/testdata/configs/ubuntu-default/sites-enabled/default", FormatNginx},
	{"orlabs__orange/conf/mime.types", ""},
	{"orlabs__orange/conf/nginx.conf.example", FormatNginx},
	{"orlabs__orange/conf/orange.conf.example", ""},
	{"sameersbn__docker-squid/squid.conf", ""},
	{"socketio__socket.io/examples/cluster-haproxy/haproxy.cfg", ""},
	{"socketio__socket.io/examples/cluster-httpd/httpd.conf", FormatApache},
	{"socketio__socket.io/examples/cluster-nginx/nginx.conf", FormatNginx},
	{"stefanprodan__podinfo/deploy/bases/cache/redis.conf", ""},
	{"yandex__gixy/tests/plugins/simply/http_splitting/proxy_pass_lf.conf", FormatNginx},
	{"yandex__gixy/tests/plugins/simply/ssrf/with_const_scheme.conf", FormatNginx},
	{"zulip__zulip/puppet/zulip/files/nginx/nginx.conf", FormatNginx},
	{"zulip__zulip/puppet/zulip/files/nginx/zulip-include-app.d/keepalive-loadbalancer.conf", FormatNginx},
}

// notConfig are corpus files that must stay unread even when named on the
// command line.
var notConfig = []string{
	"Kong__kong/kong.conf.default",
	"TrafeX__docker-php-nginx/config/fpm-pool.conf",
	"TrafeX__docker-php-nginx/config/php.ini",
	"TrafeX__docker-php-nginx/config/supervisord.conf",
	"gotenberg__gotenberg/build/fonts.conf",
	"healthchecks__healthchecks/docker/uwsgi.ini",
	"orlabs__orange/conf/orange.conf.example",
	"sameersbn__docker-squid/squid.conf",
	"socketio__socket.io/examples/cluster-haproxy/haproxy.cfg",
	"stefanprodan__podinfo/deploy/bases/cache/redis.conf",
}

func TestClassifyCorpus(t *testing.T) {
	_, file, _, _ := runtime.Caller(0)
	corpus := filepath.Join(filepath.Dir(file), "..", "..", "shared", "corpus")
	if st, err := os.Stat(corpus); err != nil || !st.IsDir() {
		if os.Getenv("CI") != "" {
			t.Fatalf("corpus not found at %s", corpus)
		}
		t.Skipf("corpus not found at %s", corpus)
	}
	read := func(p string) []byte {
		data, err := os.ReadFile(filepath.Join(corpus, filepath.FromSlash(p)))
		if err != nil {
			t.Fatal(err)
		}
		return data
	}
	for _, c := range corpusFormats {
		if got := Classify(c.path, read(c.path)); got != c.want {
			t.Errorf("Classify(%s) = %q, want %q", c.path, got, c.want)
		}
	}
	for _, p := range notConfig {
		if got := ClassifyExplicit(p, read(p)); got != "" {
			t.Errorf("ClassifyExplicit(%s) = %q, want nothing", p, got)
		}
	}
}
