//go:build linux

package hostile_test

import (
	"fmt"
	"math/rand"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var rep = strings.Repeat

const nlb = "resource \"aws_lb\" \"x\" {\n  load_balancer_type = \"network\"\n  idle_timeout       = 60\n}\n"

// doublingLocals is 41 locals, each expr applied to the previous one:
// 2⁴¹ bytes if evaluated.
func doublingLocals(expr string) string {
	var b strings.Builder
	b.WriteString("locals {\n  p0 = \"ab\"\n")
	for i := 1; i <= 41; i++ {
		fmt.Fprintf(&b, "  p%d = %s\n", i, strings.ReplaceAll(expr, "PREV", fmt.Sprintf("local.p%d", i-1)))
	}
	return b.String() + "}\n" + readBy("local.p41")
}

// readBy is a load balancer that reads expr: hoplint evaluates only what
// something it extracts (or a module's caller) reads, so a hostile local
// nothing reads costs nothing and reports nothing.
func readBy(expr string) string {
	return "resource \"aws_lb\" \"read\" {\n  idle_timeout = length(" + expr + ")\n}\n"
}

// moduleFanOut writes ten module calls with distinct inputs per level, over
// seven levels (10^7 distinct instances), ending in a resource of type
// leaf named by the inputs.
func moduleFanOut(t *testing.T, d, leaf string) {
	var b strings.Builder
	for i := 0; i < 10; i++ {
		fmt.Fprintf(&b, "module \"m%d\" {\n  source = \"./l1\"\n  x      = %d\n}\n", i, i)
	}
	write(t, d, "main.tf", b.String())
	for l := 1; l <= 7; l++ {
		b.Reset()
		b.WriteString("variable \"x\" {}\n")
		if l < 7 {
			for i := 0; i < 10; i++ {
				fmt.Fprintf(&b, "module \"m%d\" {\n  source = \"../l%d\"\n  x      = \"${var.x}-%d\"\n}\n", i, l+1, i)
			}
		} else {
			fmt.Fprintf(&b, "resource %q \"x\" {\n  name = var.x\n}\n", leaf)
		}
		write(t, d, fmt.Sprintf("l%d/main.tf", l), b.String())
	}
}

func defines(n int) string {
	return "Define A x\n" + rep("Define A ${A}${A}\n", n) + "ServerName ${A}\n"
}

// Case names carry the issue 13 item they reproduce.
var cases = []hostileCase{
	// 1. HCL nesting: refused before parsing.
	{name: "1 hcl parentheses", gen: func(t *testing.T, d string) {
		write(t, d, "main.tf", "locals {\n  x = "+rep("(", 100000)+"1"+rep(")", 100000)+"\n}\n")
	}, want: []want{{"parse-error", "d/main.tf", 2, `nested more than 256 deep`}}, maxFindings: 1},
	{name: "1 hcl nested blocks", gen: func(t *testing.T, d string) {
		write(t, d, "a.tf", "resource \"a\" \"b\" {\n"+rep("x {\n", 100000)+rep("}\n", 100000)+"}\n")
		write(t, d, "b.tf", "resource \"a\" \"b\" {\n"+rep("x {\n", 1000000)+rep("}\n", 1000000)+"}\n")
	}, want: []want{
		{"parse-error", "d/a.tf", 257, `nested more than 256 deep`},
		{"parse-error", "d/b.tf", 1, `more than 262144 brackets and operators`},
	}, maxFindings: 2},
	{name: "1 tf.json arrays", gen: func(t *testing.T, d string) {
		write(t, d, "main.tf.json", `{"locals":{"x":`+rep("[", 1000000)+rep("]", 1000000)+`}}`)
	}, want: []want{{"parse-error", "d/main.tf.json", 1, `nested more than 256 deep`}}, maxFindings: 1},
	{name: "1 tf.json template in a string", gen: func(t *testing.T, d string) {
		write(t, d, "main.tf.json", `{"locals":{"x":"`+rep("${(", 50000)+"1"+rep(")}", 50000)+`"}}`)
	}, want: []want{{"parse-error", "d/main.tf.json", 1, `nested more than 256 deep`}}, maxFindings: 1},
	{name: "1 hcl unary operators", gen: func(t *testing.T, d string) {
		write(t, d, "main.tf", "locals {\n  x = "+rep("! ", 100000)+"true\n  y = "+rep("-", 100000)+"1\n}\n")
	}, want: []want{{"parse-error", "d/main.tf", 2, `nested more than 256 deep`}}, maxFindings: 1},
	{name: "1 hcl conditional chain", gen: func(t *testing.T, d string) {
		write(t, d, "main.tf", "locals {\n  x = ("+rep("true ? 1 :\n", 100000)+"2)\n}\n")
	}, want: []want{{"parse-error", "d/main.tf", 0, `nested more than 256 deep`}}, maxFindings: 1},
	{name: "1 hcl templates and heredocs", gen: func(t *testing.T, d string) {
		write(t, d, "a.tf", "locals {\n  x = "+rep("\"${", 50000)+"1"+rep("}\"", 50000)+"\n}\n")
		write(t, d, "b.tf", "locals {\n  y = "+rep("<<EOT\n${", 50000)+"1"+rep("}\nEOT\n", 50000)+"\n}\n")
	}, want: []want{
		{"parse-error", "d/a.tf", 2, `nested more than 256 deep`},
		{"parse-error", "d/b.tf", 0, `nested more than 256 deep`},
	}, maxFindings: 2},
	{name: "1 hcl operator chains", gen: func(t *testing.T, d string) {
		write(t, d, "a.tf", "locals {\n  x = 1"+rep(" + 1", 100000)+"\n}\n")
		write(t, d, "b.tf", "locals {\n  x = true"+rep(" || true", 100000)+"\n}\n")
	}, want: []want{
		{"parse-error", "d/a.tf", 2, `nested more than 256 deep`},
		{"parse-error", "d/b.tf", 2, `nested more than 256 deep`},
	}, maxFindings: 2},
	{name: "1 hcl a million tokens", gen: func(t *testing.T, d string) {
		write(t, d, "a.tf", "locals {\n  x = a"+rep("[0]", 1000000)+"\n}\n")
		write(t, d, "b.tf", "locals {\n  x = a"+rep(".b", 1000000)+"\n}\n")
		write(t, d, "c.tf.json", `{"locals":{"x":[`+strings.TrimSuffix(rep("[],", 3000000), ",")+`]}}`)
		write(t, d, "d.tf.json", `{"locals":{"x":"${1`+rep("+1", 500000)+`}"}}`)
	}, want: []want{
		{"parse-error", "d/a.tf", 1, `more than 262144 brackets and operators`},
		{"parse-error", "d/b.tf", 1, `more than 262144 brackets and operators`},
		{"parse-error", "d/c.tf.json", 1, `more than 262144 JSON values`},
		{"parse-error", "d/d.tf.json", 1, `nested more than 256 deep`},
	}, maxFindings: 4},
	{name: "1 hcl for and calls", gen: func(t *testing.T, d string) {
		write(t, d, "a.tf", "locals {\n  x = "+rep("[for x in ", 50000)+"[1]"+rep(" : x]", 50000)+"\n}\n")
		write(t, d, "b.tf", "locals {\n  x = "+rep("max(", 100000)+"1"+rep(")", 100000)+"\n}\n")
	}, want: []want{
		{"parse-error", "d/a.tf", 2, `nested more than 256 deep`},
		{"parse-error", "d/b.tf", 2, `nested more than 256 deep`},
	}, maxFindings: 2},

	// 2. Terraform evaluation budget.
	{name: "2 doubling templates", gen: func(t *testing.T, d string) {
		write(t, d, "main.tf", doublingLocals(`"${PREV}${PREV}"`))
	}, want: []want{{"parse-error", "d/main.tf", 19, `larger than hoplint's limit of 262144 bytes`}}, maxFindings: 1},
	{name: "2 doubling join", gen: func(t *testing.T, d string) {
		write(t, d, "main.tf", doublingLocals(`join("", [PREV, PREV])`))
	}, want: []want{{"parse-error", "d/main.tf", 0, `larger than hoplint's limit`}}, maxFindings: 1},
	{name: "2 doubling format", gen: func(t *testing.T, d string) {
		write(t, d, "main.tf", doublingLocals(`format("%s%s", PREV, PREV)`))
	}, want: []want{{"parse-error", "d/main.tf", 0, `larger than hoplint's limit`}}, maxFindings: 1},
	{name: "2 nested for over range", gen: func(t *testing.T, d string) {
		write(t, d, "main.tf", "locals {\n  x = [for a in range(1024) : [for b in range(1024) : [for c in range(1024) : a+b+c]]]\n}\n"+readBy("local.x"))
	}, want: []want{{"parse-error", "d/main.tf", 2, `more work than hoplint allows`}}, maxFindings: 1},
	{name: "2 toset of large tuples", gen: func(t *testing.T, d string) {
		write(t, d, "main.tf", `locals {
  a = range(1024)
  b = flatten([for i in local.a : [for j in local.a : "${i}-${j}"]])
  c = toset(local.b)
  d = toset(flatten([for i in local.c : [for j in local.a : "${i}-${j}"]]))
}
`+readBy("local.d"))
	}, want: []want{{"parse-error", "d/main.tf", 0, `more work than hoplint allows|larger than hoplint's limit`}}, maxFindings: 2},
	{name: "2 doubling nothing reads", gen: func(t *testing.T, d string) {
		// Not evaluated at all: nothing to stop, nothing to report.
		write(t, d, "main.tf", strings.TrimSuffix(doublingLocals(`"${PREV}${PREV}"`), readBy("local.p41")))
	}, maxFindings: noFindings},
	{name: "2 budget spent, the rest still linted", gen: func(t *testing.T, d string) {
		write(t, d, "main.tf", "locals {\n  x = [for a in range(1024) : [for b in range(1024) : a+b]]\n}\n"+readBy("local.x"))
		write(t, d, "lb/main.tf", nlb) // another root module: a budget of its own
	}, want: []want{
		{"parse-error", "d/main.tf", 2, `more work than hoplint allows`},
		{"ignored-lb-attribute", "d/lb/main.tf", 3, `idle_timeout = 60 on aws_lb.x has no effect`},
	}},

	// 3. Module instances multiply.
	{name: "3 nested count 256 x4", gen: func(t *testing.T, d string) {
		write(t, d, "main.tf", "module \"a\" {\n  source = \"./m1\"\n  count  = 256\n}\n")
		for l := 1; l <= 3; l++ {
			write(t, d, fmt.Sprintf("m%d/main.tf", l), fmt.Sprintf("module \"a\" {\n  source = \"../m%d\"\n  count  = 256\n}\n", l+1))
		}
		write(t, d, "m4/main.tf", nlb)
	}, want: []want{
		{"ignored-lb-attribute", "d/m4/main.tf", 3, `module\.a\[0\]\.module\.a\[0\]\.module\.a\[0\]\.module\.a\[0\]\.aws_lb\.x`},
		{"include-not-followed", "d/main.tf", 1, `255 of its 256 instances have the same inputs`},
	}, maxFindings: 5},
	{name: "3 ten distinct calls over seven levels", gen: func(t *testing.T, d string) {
		moduleFanOut(t, d, "aws_lb")
	}, want: []want{{"include-not-followed", "", 0, `already evaluated 1024 module instances with distinct inputs`}}, maxFindings: 1},
	{name: "3 distinct calls into modules that create nothing hoplint reads", gen: func(t *testing.T, d string) {
		// The same ten-way fan-out over seven levels, ending in an IAM
		// role: nothing there is read, so nothing is evaluated and
		// no limit is reached.
		moduleFanOut(t, d, "aws_iam_role")
	}, maxFindings: noFindings},

	// 4. Apache Define expansion.
	{name: "4 define doubling", gen: func(t *testing.T, d string) {
		write(t, d, "httpd.conf", defines(40))
	}, want: []want{{"parse-error", "d/httpd.conf", 21, `longer than hoplint's limit of 1 MiB`}}, maxFindings: 1},
	{name: "4 define doubling in a ConfigMap", gen: func(t *testing.T, d string) {
		var b strings.Builder
		b.WriteString("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: conf\ndata:\n  httpd.conf: |\n")
		for _, l := range strings.Split(strings.TrimSpace(defines(40)), "\n") {
			b.WriteString("    " + l + "\n")
		}
		b.WriteString(`---
apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
    - name: httpd
      image: httpd:2.4.62
      resources: {limits: {memory: 128Mi}}
      volumeMounts:
        - {name: conf, mountPath: /usr/local/apache2/conf/httpd.conf, subPath: httpd.conf}
  volumes:
    - name: conf
      configMap: {name: conf}
`)
		write(t, d, "web.yaml", b.String())
	}, want: []want{{"parse-error", "d/web.yaml", 27, `longer than hoplint's limit of 1 MiB`}}},

	// 5. Apache deep sections.
	{name: "5 nested IfModule with a directive at each level", gen: func(t *testing.T, d string) {
		write(t, d, "httpd.conf", rep("<IfModule a>\nTimeout 5\n", 30000)+rep("</IfModule>\n", 30000))
	}, want: []want{{"parse-error", "d/httpd.conf", 201, `nested more than 100 deep`}}, maxFindings: 1},
	{name: "11 Apache: one server with 20000 Locations that proxy", gen: func(t *testing.T, d string) {
		// Each worker looked through every directive of its host for
		// SetEnv lines: 10,000 took 18 s, 20,000 over a minute.
		var b strings.Builder
		b.WriteString("Listen 80\nServerName a\nLimitRequestBody 1048576\n")
		for i := 0; i < 20000; i++ {
			fmt.Fprintf(&b, "<Location /l%d>\n  ProxyPass http://b/\n</Location>\n", i)
		}
		b.WriteString("<Location /last>\n  ProxyPass http://b/ retry=-1\n</Location>\n")
		write(t, d, "httpd.conf", b.String())
	}, want: []want{{"invalid-value", "d/httpd.conf", 60005, `retry`}}, maxFindings: 1},
	{name: "11 Apache: 3000 virtual hosts inherit 3000 ProxyPass of the main server", gen: func(t *testing.T, d string) {
		// httpd merges the main server's ProxyPass lines into every
		// virtual host: 9 million links from 250 KB.
		var b strings.Builder
		b.WriteString("Listen 80\nServerName main\nLimitRequestBody 1048576\n")
		for i := 0; i < 3000; i++ {
			fmt.Fprintf(&b, "ProxyPass /m%d http://b%d/\n", i, i)
		}
		for i := 0; i < 3000; i++ {
			fmt.Fprintf(&b, "<VirtualHost *:80>\n  ServerName v%d\n</VirtualHost>\n", i)
		}
		write(t, d, "httpd.conf", b.String())
	}, want: []want{{"ambiguous-link", "d/httpd.conf", 3103, `each of the 3000 virtual hosts the main server's 3000 ProxyPass, RewriteRule and balancer workers: a cross product past hoplint's limit of 100000 links, so this virtual host and the 2966 after it`}}, maxFindings: 1},
	{name: "6 Apache include fan-in: 500 configurations share one file of 10000 Locations", gen: func(t *testing.T, d string) {
		var b strings.Builder
		for i := 0; i < 10000; i++ {
			fmt.Fprintf(&b, "<Location /l%d>\n  ProxyPass http://b/\n</Location>\n", i)
		}
		write(t, d, "big.conf", b.String())
		for i := 0; i < 500; i++ {
			write(t, d, fmt.Sprintf("s%03d/httpd.conf", i), "Listen 80\nServerName a\nLimitRequestBody 1048576\nInclude ../big.conf\n")
		}
	}, want: []want{
		{"include-not-followed", "d/s499/httpd.conf", 4, `the configurations linted before this one already read 300000 lines through Include`}, // one per directory: rules/fold.go folds across files of one directory only
	}, maxFindings: 500},
	{name: "5 nested Location", gen: func(t *testing.T, d string) {
		write(t, d, "httpd.conf", rep("<Location />\n", 100000)+"Timeout 5\n"+rep("</Location>\n", 100000))
	}, want: []want{
		{"parse-error", "d/httpd.conf", 2, `cannot occur within <Location> section`},
		{"parse-error", "d/httpd.conf", 52, `^and 50 more problems in this file`},
	}, maxFindings: 51},
	{name: "5 nested VirtualHost and Directory", gen: func(t *testing.T, d string) {
		write(t, d, "httpd.conf", rep("<VirtualHost *:80>\n<Directory />\n", 50000)+rep("</Directory>\n</VirtualHost>\n", 50000))
	}, want: []want{{"parse-error", "d/httpd.conf", 0, `^and \d+ more problems in this file`}}, maxFindings: 51},

	// 6. nginx include fan-out.
	{name: "6 include fan-in: 500 configurations share one file of 10000 locations", gen: func(t *testing.T, d string) {
		// Each configuration holds its own copy of what it includes: 225 s
		// and 23 GB, then out of memory, before the run-wide limit.
		var b strings.Builder
		for i := 0; i < 10000; i++ {
			fmt.Fprintf(&b, "location /l%d { proxy_pass http://b; client_max_body_size 1m; }\n", i)
		}
		write(t, d, "big.conf", b.String())
		for i := 0; i < 500; i++ {
			write(t, d, fmt.Sprintf("s%03d/nginx.conf", i), "events {}\nhttp { server { listen 80; include ../big.conf; } }\n")
		}
	}, want: []want{
		{"parse-error", "d/s499/nginx.conf", 2, `hoplint stopped following includes here: the configurations linted before this one already pulled in 200000 directives`},
	}, maxFindings: 500},
	{name: "6 include fan-out", gen: func(t *testing.T, d string) {
		write(t, d, "nginx.conf", "events {}\nhttp {\n"+rep("include f1.inc;\n", 10)+"}\n")
		for i := 1; i <= 8; i++ {
			write(t, d, fmt.Sprintf("f%d.inc", i), rep(fmt.Sprintf("include f%d.inc;\n", i+1), 10))
		}
		write(t, d, "f9.inc", "server { listen 80; }\n")
	}, want: []want{{"parse-error", "", 0, `more than 2000 files or 200000 directives through include`}}, maxFindings: 1},
	{name: "6 glob include fan-out", gen: func(t *testing.T, d string) {
		write(t, d, "nginx.conf", "events {}\nhttp {\ninclude conf.d/l1/*.conf;\n}\n")
		for l := 1; l <= 6; l++ {
			for i := 0; i < 10; i++ {
				body := fmt.Sprintf("include conf.d/l%d/*.conf;\n", l+1)
				if l == 6 {
					body = "server { listen 80; }\n"
				}
				write(t, d, fmt.Sprintf("conf.d/l%d/%d.conf", l, i), body)
			}
		}
	}, want: []want{{"parse-error", "", 0, `more than 2000 files or 200000 directives through include`}}},

	// 7. FIFOs are never opened.
	{name: "7 FIFO through nginx include", gen: func(t *testing.T, d string) {
		mkfifo(t, d, "fifo.inc")
		write(t, d, "nginx.conf", "events {}\nhttp {\n include fifo.inc;\n}\n")
	}, want: []want{{"parse-error", "d/nginx.conf", 3, `not a regular file`}}, maxFindings: 1},
	{name: "7 FIFO through Apache Include", gen: func(t *testing.T, d string) {
		mkfifo(t, d, "extra.conf")
		write(t, d, "httpd.conf", "Include extra.conf\nServerName a\n")
	}, want: []want{{"parse-error", "d/httpd.conf", 1, `not a regular file`}}, maxFindings: 1},
	{name: "7 FIFO as a Terraform module file", gen: func(t *testing.T, d string) {
		mkfifo(t, d, "m/main.tf")
		write(t, d, "main.tf", "module \"a\" {\n  source = \"./m\"\n}\n")
	}, want: []want{{"include-not-followed", "d/main.tf", 2, `module "a": source "\./m" could not be read \(d/m/main\.tf: not a regular file`}}, maxFindings: 1},

	// 8. Apache Include of a directory with looping symlinks.
	{name: "8 include dir with looping symlinks", gen: func(t *testing.T, d string) {
		write(t, d, "inc/a/x.conf", "Timeout 5s\n")
		write(t, d, "inc/b/y.conf", "KeepAliveTimeout 5\n")
		symlink(t, "../b", filepath.Join(d, "inc/a/lb"))
		symlink(t, "../a", filepath.Join(d, "inc/b/la"))
		write(t, d, "httpd.conf", "Include inc/\nServerName a\n")
	}, want: []want{
		{"invalid-value", "d/inc/a/x.conf", 1, `Timeout`},
		{"parse-error", "d/httpd.conf", 1, `leads back to d/inc/., a directory symlink loop; httpd follows it until the system refuses`},
	}, maxFindings: 2},
	{name: "8 include dir with two looping symlinks per directory", gen: func(t *testing.T, d string) {
		write(t, d, "inc/a/x.conf", "Timeout 5s\n")
		if err := os.MkdirAll(filepath.Join(d, "inc/b"), 0o755); err != nil {
			t.Fatal(err)
		}
		for _, l := range []string{"l1", "l2"} { // 2³² paths without visited tracking
			symlink(t, "../b", filepath.Join(d, "inc/a", l))
			symlink(t, "../a", filepath.Join(d, "inc/b", l))
		}
		write(t, d, "httpd.conf", "Include inc/\nServerName a\n")
	}, want: []want{
		{"invalid-value", "d/inc/a/x.conf", 1, `Timeout`},
		{"parse-error", "d/httpd.conf", 1, `directory symlink loop`},
	}, maxFindings: 2},

	{name: "8 include wildcards over looping symlinks", gen: func(t *testing.T, d string) {
		write(t, d, "inc/a/x.conf", "Timeout 5\n")
		write(t, d, "inc/b/y.conf", "Timeout 5\n")
		for _, l := range []string{"l1", "l2"} { // two ways down at every level: 2⁴⁰ paths
			symlink(t, "../b", filepath.Join(d, "inc/a", l))
			symlink(t, "../a", filepath.Join(d, "inc/b", l))
		}
		write(t, d, "httpd.conf", "IncludeOptional inc/"+rep("*/", 40)+"none.conf\nServerName a\n")
	}, want: []want{{"parse-error", "d/httpd.conf", 1, `more than 4000 directory listings \(the last: d/inc/a/l1/`}}, maxFindings: 2},
	{name: "6 nginx include wildcards over looping symlinks", gen: func(t *testing.T, d string) {
		write(t, d, "inc/a/x.conf", "server { listen 80; }\n")
		write(t, d, "inc/b/y.conf", "server { listen 81; }\n")
		for _, l := range []string{"l1", "l2"} {
			symlink(t, "../b", filepath.Join(d, "inc/a", l))
			symlink(t, "../a", filepath.Join(d, "inc/b", l))
		}
		write(t, d, "nginx.conf", "events {}\nhttp {\ninclude inc/"+rep("*/", 40)+"none.conf;\n}\n")
	}, want: []want{{"include-not-followed", "d/nginx.conf", 3, `wildcards in more than 4 path components`}}, maxFindings: 1},

	// 9. Long lines.
	{name: "9 one-line nginx.conf", gen: func(t *testing.T, d string) {
		write(t, d, "nginx.conf", "events {} http { server { listen 80; "+rep("location /a { proxy_pass http://b; } ", 25000)+"} }\n")
	}, want: []want{{"missing-body-size-limit", "d/nginx.conf", 1, ``}}},
	{name: "9 one-line JSON manifest", gen: func(t *testing.T, d string) {
		var items []string
		for i := 0; i < 12000; i++ {
			items = append(items, fmt.Sprintf(`{"apiVersion":"v1","kind":"Service","metadata":{"name":"s%d"},"spec":{"selector":{"app":"a%d"},"ports":[{"port":80}]}}`, i, i))
		}
		items = append(items, `{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p"},"spec":{"containers":[{"name":"c","image":"nginx:1.27"}]}}`)
		write(t, d, "list.json", `{"apiVersion":"v1","kind":"List","items":[`+strings.Join(items, ",")+`]}`)
	}, want: []want{{"missing-memory-limit", "d/list.json", 1, `container c`}}},

	{name: "9 a YAML flow sequence of 5,000,000 items", gen: func(t *testing.T, d string) {
		write(t, d, "pod.yaml", "apiVersion: v1\nkind: Pod\nmetadata:\n  name: x\n  labels: ["+strings.TrimSuffix(rep("1,", 5000000), ",")+"]\n")
	}, want: []want{{"parse-error", "d/pod.yaml", 1, `more than 1048576 values`}}, maxFindings: 1},

	{name: "9 many tiny directives", gen: func(t *testing.T, d string) {
		write(t, d, "nginx.conf", "events {}\nhttp {\n"+rep("a b;\n", 3000000)+"}\n")
		write(t, d, "httpd.conf", rep("Timeout 5\n", 1500000))
	}, want: []want{
		{"parse-error", "d/nginx.conf", 1, `more than 500000 directives`},
		{"parse-error", "d/httpd.conf", 1, `more than 500000 lines`},
	}, maxFindings: 2},

	{name: "9 YAML alias bomb and deep flow nesting", gen: func(t *testing.T, d string) {
		var b strings.Builder
		b.WriteString("apiVersion: v1\nkind: Pod\nmetadata:\n  name: x\n  labels:\n    a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n")
		for c := 'b'; c <= 'i'; c++ {
			fmt.Fprintf(&b, "    %c: &%c [%s]\n", c, c, strings.TrimSuffix(rep("*"+string(c-1)+",", 9), ","))
		}
		write(t, d, "bomb.yaml", b.String())
		write(t, d, "deep.yaml", "apiVersion: v1\nkind: Pod\nmetadata:\n  name: y\n  labels: "+rep("[", 100000)+rep("]", 100000)+"\n")
	}, want: []want{
		{"parse-error", "d/bomb.yaml", 1, `alias`},
		{"parse-error", "d/deep.yaml", 0, `max depth`},
	}, maxFindings: 2},

	// 10. nginx nesting.
	{name: "10 nginx a{ x80000", gen: func(t *testing.T, d string) {
		write(t, d, "nginx.conf", rep("a{", 80000)+"\n")
	}, want: []want{{"parse-error", "d/nginx.conf", 1, `nested more than 100 deep`}}, maxFindings: 1},
	{name: "10 nginx nested locations on many lines", gen: func(t *testing.T, d string) {
		write(t, d, "nginx.conf", "events {}\nhttp {\nserver {\n"+rep("location / {\n", 80000)+rep("}\n", 80000)+"}\n}\n")
	}, want: []want{{"parse-error", "d/nginx.conf", 102, `nested more than 100 deep`}}, maxFindings: 1},
	{name: "10 nginx braces in quotes and comments do not count", gen: func(t *testing.T, d string) {
		write(t, d, "nginx.conf", "# "+rep("{", 500)+"\nevents {}\nhttp {\nserver {\nlisten 80;\nreturn 200 '"+rep("{", 500)+"';\n}\n}\n")
	}, want: nil, maxFindings: noFindings},

	// 11. Fan-out in the graph.
	{name: "11 5000 Services and 5000 Deployments on one selector", gen: func(t *testing.T, d string) {
		var b strings.Builder
		for i := 0; i < 5000; i++ {
			fmt.Fprintf(&b, "---\napiVersion: v1\nkind: Service\nmetadata:\n  name: s%d\nspec:\n  selector: {app: web}\n  ports: [{port: 80}]\n", i)
		}
		for i := 0; i < 5000; i++ {
			fmt.Fprintf(&b, "---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d%d\nspec:\n  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n    spec:\n      containers: [{name: c, image: nginx:1.27, resources: {limits: {memory: 128Mi}}}]\n", i)
		}
		write(t, d, "all.yaml", b.String())
	}, want: []want{{"ambiguous-link", "d/all.yaml", 7, `matches the pods of 5000 workloads`}}},
	{name: "11 one nginx server with 120000 locations", gen: func(t *testing.T, d string) {
		var b strings.Builder
		b.WriteString("events {}\nhttp {\nserver {\nlisten 80;\n")
		for i := 0; i < 120000; i++ {
			fmt.Fprintf(&b, "location /l%d { proxy_pass http://b; client_max_body_size 10m; }\n", i)
		}
		// The last location's body limit does not parse: its finding
		// shows the whole file was read.
		b.WriteString("location /last { proxy_pass http://b; client_max_body_size 1.5m; }\n")
		write(t, d, "nginx.conf", b.String()+"}\n}\n")
	}, want: []want{{"invalid-value", "d/nginx.conf", 120005, `client_max_body_size`}}, maxFindings: 1,
		// An 8 MB configuration of 120,000 locations holds about 2.7 KB
		// per location once read (three directives, a scope, a hop and its
		// edge), 320 MiB live, and Go's collector lets the heap grow past
		// that before it runs: about 500 MiB at the peak. That is linear in
		// the input, not a blow-up (it was 1.3 GB and 77 s), and under
		// 1 GiB with room; this case alone gets the looser bound.
		rss: 640 << 20},

	// 12. Suppressions are indexed.
	{name: "12 20000 findings and 20000 suppressions", gen: func(t *testing.T, d string) {
		var b strings.Builder
		for i := 0; i < 20000; i++ {
			fmt.Fprintf(&b, "---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: p%d\nspec:\n  containers:\n  # hoplint:ignore missing-memory-limit -- generated\n  - name: c\n    image: nginx:1.27\n", i)
		}
		b.WriteString("---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: last\nspec:\n  containers:\n  - name: c\n    image: nginx:1.27\n")
		write(t, d, "pods.yaml", b.String())
	}, want: []want{{"missing-memory-limit", "d/pods.yaml", 0, `Pod last`}}, maxFindings: 1},
	{name: "12 50000 whole-file suppressions", gen: func(t *testing.T, d string) {
		write(t, d, "nginx.conf", rep("# hoplint:ignore-file invalid-value -- generated\n", 50000)+"events {}\nhttp {\nserver {\nlisten 80;\n"+rep("client_max_body_size 1.5m;\n", 20000)+"}\n}\n")
	}, want: nil, maxFindings: noFindings},
	{name: "12 200000 malformed suppressions", gen: func(t *testing.T, d string) {
		write(t, d, "nginx.conf", "events {}\nhttp {\n"+rep("# hoplint:ignore nosuchrule\n", 200000)+"}\n")
	}, want: []want{
		{"invalid-suppression", "d/nginx.conf", 3, `unknown rule "nosuchrule"`},
		{"invalid-suppression", "d/nginx.conf", 53, `^and 199950 more malformed suppressions in this file`},
	}, maxFindings: 51},
	{name: "12 suppressions of problems past the cap are not called unused", gen: func(t *testing.T, d string) {
		write(t, d, "nginx.conf", "events {}\nhttp {\nserver {\nlisten 80;\n"+rep("client_max_body_size 1.5m; # hoplint:ignore invalid-value -- generated\n", 5000)+"}\n}\n")
	}, want: nil, maxFindings: noFindings},

	// 16. Module call cycles.
	{name: "16 module calling itself", gen: func(t *testing.T, d string) {
		write(t, d, "main.tf", "module \"self\" {\n  source = \"./\"\n}\n"+nlb)
	}, want: []want{
		{"ignored-lb-attribute", "d/main.tf", 6, `aws_lb\.x`},
		{"include-not-followed", "d/main.tf", 2, `module call cycle`},
	}, maxFindings: 2},
	{name: "16 two modules calling each other", gen: func(t *testing.T, d string) {
		write(t, d, "a/main.tf", "module \"b\" {\n  source = \"../b\"\n}\n"+nlb)
		write(t, d, "b/main.tf", "module \"a\" {\n  source = \"../a\"\n}\n")
	}, want: []want{
		{"ignored-lb-attribute", "d/a/main.tf", 6, `aws_lb\.x`},
		{"include-not-followed", "d/b/main.tf", 2, `module call cycle`},
	}, maxFindings: 2},

	// 17. Limits are said where they apply; per-instance findings fold.
	{name: "17 count over the instance cap", gen: func(t *testing.T, d string) {
		write(t, d, "main.tf", "module \"a\" {\n  source = \"./m\"\n  count  = 1000\n}\n")
		write(t, d, "m/main.tf", nlb)
	}, want: []want{
		{"include-not-followed", "d/main.tf", 3, `count = 1000 makes more than 256 instances; hoplint read the first 256`},
		{"ignored-lb-attribute", "d/m/main.tf", 3, `module\.a\[0\]\.aws_lb\.x`},
	}, maxFindings: 3},
	{name: "17 modules nested past the depth cap", gen: func(t *testing.T, d string) {
		write(t, d, "main.tf", "module \"m\" {\n  source = \"./l1\"\n}\n")
		for i := 1; i <= 12; i++ {
			write(t, d, fmt.Sprintf("l%d/main.tf", i), fmt.Sprintf("module \"m\" {\n  source = \"../l%d\"\n}\n", i+1))
		}
		write(t, d, "l13/main.tf", nlb)
	}, want: []want{{"include-not-followed", "d/l7/main.tf", 2, `nested more than 8 deep`}}},
	{name: "17 count on a resource folds", gen: func(t *testing.T, d string) {
		write(t, d, "main.tf", strings.Replace(nlb, "{\n", "{\n  count              = 40\n", 1))
	}, want: []want{{"ignored-lb-attribute", "d/main.tf", 4, `aws_lb\.x\[0\].*the same holds for 39 more instances`}}, maxFindings: 1},

	// 18. Problems per file are capped; a binary file is one finding.
	{name: "18 16 MB of random text as .tf", gen: func(t *testing.T, d string) {
		r := rand.New(rand.NewSource(13))
		const alphabet = "abcdefghijklmnopqrstuvwxyz0123456789 =\n{}[]()\"'#,.:-+*/<>!?$%\\"
		b := make([]byte, 16<<20-1)
		for i := range b {
			b[i] = alphabet[r.Intn(len(alphabet))]
		}
		if err := os.WriteFile(filepath.Join(d, "main.tf"), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}, want: []want{{"parse-error", "d/main.tf", 0, ``}}, maxFindings: 51},
	{name: "18 many problems in one nginx file", gen: func(t *testing.T, d string) {
		write(t, d, "nginx.conf", "events {}\nhttp {\nserver {\n"+rep("client_max_body_size 1.5m;\n", 5000)+"}\n}\n")
	}, want: []want{{"invalid-value", "d/nginx.conf", 0, ``}}},
	{name: "18 binary file", gen: func(t *testing.T, d string) {
		r := rand.New(rand.NewSource(18))
		b := make([]byte, 100000)
		r.Read(b)
		b[10] = 0
		if err := os.WriteFile(filepath.Join(d, "nginx.conf"), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}, want: []want{{"parse-error", "d/nginx.conf", 1, `binary file`}}, maxFindings: 1},

	// 21. A UTF-8 byte-order mark.
	{name: "21 BOM on a YAML manifest", gen: func(t *testing.T, d string) {
		write(t, d, "pod.yaml", "\xef\xbb\xbfapiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: c\n    image: nginx:1.27\n")
	}, want: []want{{"missing-memory-limit", "d/pod.yaml", 7, `container c`}}},
	{name: "21 BOM on a JSON manifest", gen: func(t *testing.T, d string) {
		write(t, d, "pod.json", "\xef\xbb\xbf"+`{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p"},"spec":{"containers":[{"name":"c","image":"nginx:1.27"}]}}`)
	}, want: []want{{"missing-memory-limit", "d/pod.json", 1, `container c`}}},
	{name: "21 BOM on nginx.conf", gen: func(t *testing.T, d string) {
		write(t, d, "nginx.conf", "\xef\xbb\xbfevents {}\nhttp { server { listen 80; } }\n")
	}, want: []want{{"parse-error", "d/nginx.conf", 1, `byte-order mark`}}},
}

func TestHostileInputs(t *testing.T) {
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			run(t, c)
		})
	}
}
