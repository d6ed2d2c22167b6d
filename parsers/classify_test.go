package parsers

import "testing"

func TestClassify(t *testing.T) {
	nginxConf := []byte("events {}\nhttp {\n  server { listen 80; }\n}\n")
	nginxFrag := []byte("# app\nserver {\n    listen 8080;\n    location / { proxy_pass http://app; }\n}\n")
	apacheConf := []byte("ServerRoot \"/etc/httpd\"\nListen 80\n<VirtualHost *:80>\n    ServerName example.com\n</VirtualHost>\n")
	k8s := []byte("apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n")
	k8sJSON := []byte(`{"apiVersion": "v1", "kind": "Pod"}`)
	openapi := []byte("openapi: 3.0.0\ninfo:\n  title: x\n")
	swaggerJSON := []byte("{\n  \"swagger\": \"2.0\",\n  \"info\": {}\n}\n")
	values := []byte("replicaCount: 2\nimage:\n  repository: nginx\n")
	workflow := []byte("on: push\njobs:\n  test:\n    runs-on: ubuntu-latest\n")
	cases := []struct {
		path string
		data []byte
		want Format
	}{
		{"nginx.conf", nil, FormatNginx},
		{"etc/proxy.conf", nginxConf, FormatNginx},
		{"deploy/nginx/app.conf", nginxFrag, FormatNginx},
		{"conf/app.conf", nginxFrag, FormatNginx},
		{"sites-enabled/default", nginxFrag, FormatNginx},
		{"sites-enabled/site.conf", apacheConf, FormatApache},
		{"conf.d/vhost.conf", apacheConf, FormatApache},
		{"nginx/odd.conf", apacheConf, FormatApache}, // content wins over the directory name
		{"httpd.conf", nil, FormatApache},
		{"apache2.conf", nil, FormatApache},
		{"docs/conf/httpd.conf.in", apacheConf, FormatApache},
		{"README.conf", []byte("just some words here\n"), ""},
		{"sites-enabled/README", []byte("Put your sites here.\n"), ""},
		{"main.tf", nil, FormatTerraform},
		{"prod.tfvars", nil, FormatTerraform},
		{"stack.tf.json", nil, FormatTerraform},
		{"k8s/web.yaml", k8s, FormatKubernetes},
		{"k8s/pod.json", k8sJSON, FormatKubernetes},
		{"api/openapi.yml", openapi, FormatOpenAPI},
		{"api/swagger.json", swaggerJSON, FormatOpenAPI},
		{"chart/values.yaml", values, ""},
		{"compose.yaml", nil, FormatCompose},
		{"deploy/docker-compose.override.yml", nil, FormatCompose},
		{"docker-compose-dev.yml", nil, FormatCompose},
		{"compose.deploy.yml", nil, FormatCompose},
		{"composer.yml", nil, ""},
		{"Dockerfile", nil, FormatDockerfile},
		{"api/Dockerfile.prod", nil, FormatDockerfile},
		{"web.Dockerfile", nil, FormatDockerfile},
		{"Dockerfile.dockerignore", nil, ""},
		{"images/production/Containerfile", nil, FormatDockerfile},
		{"Containerfile.dev", nil, FormatDockerfile},
		{"api.containerfile", nil, FormatDockerfile},
		{"Containerfile.md", nil, ""},
		{"containerfiles.txt", nil, ""},
		{".github/workflows/ci.yml", workflow, ""},
		{"package.json", []byte(`{"name": "x"}`), ""},
		{"image.conf", []byte("\x00\x01binary"), ""},
		{"php/www.conf", []byte("[www]\nlisten = /run/php-fpm.sock\npm = ondemand\n"), ""},
		{"fonts.conf", []byte("<?xml version='1.0'?>\n<fontconfig>\n<match target=\"font\"></match>\n</fontconfig>\n"), ""},
		{"orange.conf", []byte("{\n  \"plugins\": [\"stat\"]\n}\n"), ""},
		{"redis.conf", []byte("bind 0.0.0.0\ntimeout 0\nmaxmemory 64mb\n"), ""},
		{"nginx/redis.conf", []byte("bind 0.0.0.0\ntimeout 0\nmaxmemory 64mb\n"), ""}, // evidence beats the directory name
		{"conf/nginx.conf.example", nginxConf, FormatNginx},
		{"templates/default.conf.template", nginxFrag, FormatNginx},
		{"wazuh/ossec.conf", []byte("<ossec_config>\n  <client>\n    <server>\n      <address>10.0.0.1</address>\n    </server>\n  </client>\n  <syscheck>\n    <directories check_all=\"yes\">/etc</directories>\n  </syscheck>\n</ossec_config>\n"), ""},
		{"apache2/ossec.conf", []byte("<ossec_config>\n  <client>\n    <address>10.0.0.1</address>\n  </client>\n</ossec_config>\n"), ""},
		{"kong.conf.default", []byte("#proxy_listen = 0.0.0.0:8000\nlog_level = notice\n"), ""},
	}
	for _, c := range cases {
		if got := Classify(c.path, c.data); got != c.want {
			t.Errorf("Classify(%q) = %q, want %q", c.path, got, c.want)
		}
	}
	// Named on the command line, content decides, but never for documents.
	for _, c := range []struct {
		path string
		data []byte
		want Format
	}{
		{"app.txt.bak", nginxConf, FormatNginx},
		{"README.md", []byte("Add this:\n\n```\nserver {\n  listen 80;\n}\n```\n"), ""},
		{"notes.txt", apacheConf, ""},
		{"haproxy.cfg", []byte("defaults\n  timeout client 30s\n  timeout server 30s\nlisten web\n  bind *:80\n"), ""},
	} {
		if got := ClassifyExplicit(c.path, c.data); got != c.want {
			t.Errorf("ClassifyExplicit(%q) = %q, want %q", c.path, got, c.want)
		}
	}
}
