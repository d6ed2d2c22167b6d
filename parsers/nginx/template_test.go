package nginx

import (
	"bytes"
	"strings"
	"testing"

	"github.com/hoplint/hoplint/parsers"
)

func TestNeutralise(t *testing.T) {
	cases := []struct {
		name, path, src, engine, first string
		want                           []string // substrings of the neutralised text
		conditional                    []int    // lines inside a conditional
	}{
		{name: "mustache keeps both braces", path: "npm.conf", src: "server {\n    listen {{NPM_ADMIN_PORT}};\n}\n",
			engine: "Jinja/Liquid", first: "{{NPM_ADMIN_PORT}}", want: []string{"listen $NPM_ADMIN_PORT   ;"}},
		{name: "jinja", path: "nginx.conf", src: "{% if a %}\nclient_max_body_size {{ max|int }};\n{% endif %}\nkeepalive_timeout 5s;\n",
			engine: "Jinja/Liquid", first: "{{ max|int }}", want: []string{"client_max_body_size $max         ;", "keepalive_timeout 5s;"}, conditional: []int{2}},
		{name: "erb standalone", path: "app.conf.erb", src: "http {\n  <%= @custom %>\n  server_name <%= @fqdn %>;\n}\n",
			engine: "ERB", first: "<%= @custom %>", want: []string{"$template____;", "server_name $fqdn       ;"}},
		{name: "go", path: "default", src: "{{ $x := .Env.X }}\nserver {\n{{ if .Env.A }}\nlisten 443;\n{{ end }}\n}\n",
			engine: "Go", first: "{{ $x := .Env.X }}", conditional: []int{4}},
		{name: "sed", path: "site.conf", src: "index {HTTP_INDEX_FILE};\n", engine: "sed-style placeholder", first: "{HTTP_INDEX_FILE}", want: []string{"index $HTTP_INDEX_FILE ;"}},
		{name: "penlight", path: "custom_nginx.template", src: "> if wasm then\nload_module $(wasm_module);\n> end\nerror_log ${{LOG}};\n",
			engine: "Kong Penlight", first: "$(wasm_module)", want: []string{"load_module $wasm_module  ;", "error_log $LOG    ;"}, conditional: []int{2}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := parsers.NewFile(c.path, "/"+c.path, "/", parsers.FormatNginx, []byte(c.src))
			out, tpl := neutralise(f)
			if tpl == nil {
				t.Fatal("no template found")
			}
			if len(out) != len(c.src) || bytes.Count(out, []byte("\n")) != strings.Count(c.src, "\n") {
				t.Errorf("neutralising moved bytes or lines:\n%s", out)
			}
			if tpl.Engine != c.engine || tpl.First != c.first {
				t.Errorf("engine %q first %q, want %q %q", tpl.Engine, tpl.First, c.engine, c.first)
			}
			for _, w := range c.want {
				if !bytes.Contains(out, []byte(w)) {
					t.Errorf("neutralised text lacks %q:\n%s", w, out)
				}
			}
			for n := 1; n <= strings.Count(c.src, "\n"); n++ {
				want := false
				for _, l := range c.conditional {
					want = want || l == n
				}
				if tpl.Conditional(n) != want {
					t.Errorf("line %d conditional = %v, want %v", n, tpl.Conditional(n), want)
				}
			}
		})
	}
	// A plain nginx file is left alone, ${var} and $var included.
	f := parsers.NewFile("nginx.conf", "/nginx.conf", "/", parsers.FormatNginx, []byte("location ~ ^/a{3} { return 200 \"${host}$uri\"; }\n"))
	if out, tpl := neutralise(f); tpl != nil || !bytes.Equal(out, f.Bytes()) {
		t.Errorf("plain nginx changed: %v %q", tpl, out)
	}
}
