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
		{".github/workflows/ci.yml", workflow, ""},
		{"package.json", []byte(`{"name": "x"}`), ""},
		{"image.conf", []byte("\x00\x01binary"), ""},
	}
	for _, c := range cases {
		if got := Classify(c.path, c.data); got != c.want {
			t.Errorf("Classify(%q) = %q, want %q", c.path, got, c.want)
		}
	}
}
