package apache

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/hoplint/hoplint/parsers"
)

func parseString(t *testing.T, src string) *Config {
	t.Helper()
	dir := t.TempDir()
	abs := filepath.Join(dir, "httpd.conf")
	if err := os.WriteFile(abs, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	return Parse(parsers.NewFile("httpd.conf", abs, dir, parsers.FormatApache, []byte(src)), Options{})
}

func TestTokenize(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want []string
	}{
		{`ProxyPass "/a b/" 'http://x/' ttl=5`, []string{"ProxyPass", "/a b/", "http://x/", "ttl=5"}},
		{`Header set X "a \"quoted\" word"`, []string{"Header", "set", "X", `a "quoted" word`}},
		{`A b\\c "unterminated`, []string{"A", `b\c`, "unterminated"}},
		{"A\t  b  ", []string{"A", "b"}},
	} {
		var got []string
		for _, tk := range tokenize(tc.in) {
			got = append(got, tk.val)
		}
		if !reflect.DeepEqual(got, tc.want) {
			t.Errorf("tokenize(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestContinuationAndComments(t *testing.T) {
	c := parseString(t, "# one \\\nKeepAlive Off\nProxyPass \"/\" \\\r\n   \"http://x/\" \\\n ttl=3\n  # indented comment\nTimeout 5 \\ \n")
	var names []string
	for _, d := range c.Directives {
		names = append(names, d.Name)
	}
	if !reflect.DeepEqual(names, []string{"ProxyPass", "Timeout"}) {
		t.Fatalf("directives = %v (KeepAlive must be swallowed by the comment)", names)
	}
	pp := c.Directives[0]
	if !reflect.DeepEqual(pp.Args, []string{"/", "http://x/", "ttl=3"}) {
		t.Errorf("args = %q", pp.Args)
	}
	if pp.Range.Start.Line != 3 || pp.Range.End.Line != 5 {
		t.Errorf("range = %v, want lines 3-5", pp.Range)
	}
	if r := pp.ArgRange(2); r.Start.Line != 5 || r.Start.Col != 2 {
		t.Errorf("ttl range = %v, want 5:2", r)
	}
	// "\ " is not a continuation: the backslash is a word.
	if got := c.Directives[1].Args; !reflect.DeepEqual(got, []string{"5", `\`}) {
		t.Errorf("Timeout args = %q", got)
	}
	if len(c.Comments["httpd.conf"]) != 2 || c.Comments["httpd.conf"][1].Col != 3 {
		t.Errorf("comments = %+v", c.Comments["httpd.conf"])
	}
}

func TestSections(t *testing.T) {
	c := parseString(t, "<virtualhost *:80>\n<Location /x>\nProxyPass http://a/\n</location>\n</VirtualHost>\n")
	if len(c.Issues) != 0 {
		t.Fatalf("issues: %+v", c.Issues)
	}
	vh := c.Directives[0]
	if !vh.Section || !vh.Is("VirtualHost") || vh.Arg(0) != "*:80" {
		t.Fatalf("vhost = %+v", vh)
	}
	pp := vh.Children[0].Children[0]
	if pp.In("VirtualHost") != vh || pp.Parent != vh.Children[0] {
		t.Error("parents wrong")
	}
	for _, tc := range []struct{ src, msg string }{
		{"<VirtualHost *:80>\n", "<VirtualHost> was not closed"},
		{"</VirtualHost>\n", "without matching <VirtualHost>"},
		{"<VirtualHost *:80>\n<Location />\n</VirtualHost>\n", "expected </Location> but saw </VirtualHost>"},
		{"<VirtualHost *:80>\n</VirtualHost >\n", "missing closing '>'"},
		{"<VirtualHost *:80\n</VirtualHost>\n", "missing closing '>'"},
		{"<IfModule mod_none.c>\n<Location />\n</IfModule>\n</Location>\n", ""},
		{"LoadModule so_module x.so\n<IfModule mod_none.c>\n<Location />\n</IfModule>\n", "expected </Location> but saw </IfModule>"},
		{"LoadModule so_module x.so\n<IfModule mod_none.c>\n", "<IfModule> was not closed"},
	} {
		c := parseString(t, tc.src)
		var msgs []string
		for _, is := range c.Issues {
			msgs = append(msgs, is.Message)
		}
		joined := strings.Join(msgs, "\n")
		if tc.msg == "" {
			continue
		}
		if !strings.Contains(joined, tc.msg) || !c.Fatal() {
			t.Errorf("%q: issues %q, want %q", tc.src, joined, tc.msg)
		}
	}
}

func TestConditionals(t *testing.T) {
	src := `Define A 1
<IfDefine A>
KeepAliveTimeout ${A}
</IfDefine>
<IfDefine !A>
Timeout 1
</IfDefine>
<IfModule mod_proxy.c>
ProxyTimeout 9
</IfModule>
<IfVersion >= 2.4>
MaxKeepAliveRequests 7
</IfVersion>
`
	c := parseString(t, src)
	var got []string
	for _, d := range c.Directives {
		got = append(got, d.Name+" "+strings.Join(d.Args, " "))
	}
	want := []string{"Define A 1", "KeepAliveTimeout 1", "ProxyTimeout 9", "MaxKeepAliveRequests 7"}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got %q, want %q", got, want)
	}
	if len(c.Directives[2].Assumed) != 1 || !strings.Contains(c.Directives[2].Assumed[0], "no LoadModule") {
		t.Errorf("ProxyTimeout assumed = %q", c.Directives[2].Assumed)
	}
	// With a LoadModule visible, mod_proxy is not loaded: the block is skipped.
	c = parseString(t, "LoadModule so_module modules/mod_so.so\n"+src)
	for _, d := range c.Directives {
		if d.Is("ProxyTimeout") {
			t.Error("ProxyTimeout read although mod_proxy is not loaded")
		}
	}
	c = parseString(t, "LoadModule proxy_module modules/mod_proxy.so\n<IfModule mod_proxy.c>\nProxyTimeout 9\n</IfModule>\n<IfModule proxy_module>\nProxyTimeout 8\n</IfModule>\n")
	if n := len(c.Server().Main.Level); n != 3 {
		t.Errorf("loaded module: %d directives, want 3", n)
	}
}

func TestIncludes(t *testing.T) {
	dir := t.TempDir()
	write := func(p, s string) {
		t.Helper()
		full := filepath.Join(dir, p)
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("conf/httpd.conf", "Include conf.d/*.conf\n<VirtualHost *:80>\nInclude vhost.d\n</VirtualHost>\nIncludeOptional nothing/*.conf\nInclude /etc/outside.conf\n")
	write("conf/conf.d/b.conf", "Timeout 2\n")
	write("conf/conf.d/a.conf", "Timeout 1\n")
	write("conf/conf.d/.hidden.conf", "Timeout 3\n")
	write("conf/vhost.d/sub/x", "ServerName x\n")
	data, _ := os.ReadFile(filepath.Join(dir, "conf/httpd.conf"))
	f := parsers.NewFile("conf/httpd.conf", filepath.Join(dir, "conf/httpd.conf"), dir, parsers.FormatApache, data)
	c := Parse(f, Options{})
	var got []string
	for _, d := range c.Directives {
		got = append(got, d.Name+" "+strings.Join(d.Args, " "))
	}
	if !reflect.DeepEqual(got, []string{"Timeout 1", "Timeout 2", "VirtualHost *:80"}) {
		t.Fatalf("got %q", got)
	}
	if vh := c.Directives[2]; len(vh.Children) != 1 || vh.Children[0].File.Path != "conf/vhost.d/sub/x" || vh.Children[0].IncludedBy == nil {
		t.Errorf("directory include: %+v", vh.Children)
	}
	if len(c.Unfollowed) != 2 {
		t.Errorf("unfollowed = %d, want 2 (optional glob without ServerRoot, outside root)", len(c.Unfollowed))
	}
	if len(c.Files) != 4 {
		t.Errorf("files = %d, want 4", len(c.Files))
	}
}

func TestParseTimeout(t *testing.T) {
	for in, want := range map[string]time.Duration{
		"5": 5 * time.Second, "5s": 5 * time.Second, "500ms": 500 * time.Millisecond,
		"2mi": 2 * time.Minute, "1h": time.Hour, "3sec": 3 * time.Second, "0": 0,
	} {
		if got, err := ParseTimeout(in, "s"); err != nil || got != want {
			t.Errorf("ParseTimeout(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, in := range []string{"5m", "1.5", "-1", "abc", "99999999999999999999"} {
		if _, err := ParseTimeout(in, "s"); err == nil {
			t.Errorf("ParseTimeout(%q) accepted", in)
		}
	}
	if n, exact := Atoi("60s"); n != 60 || exact {
		t.Errorf("Atoi(60s) = %d, %v", n, exact)
	}
	if _, err := ParseSize("10M"); err == nil {
		t.Error("ParseSize(10M) accepted")
	}
}

func TestMatchVersion(t *testing.T) {
	for _, tc := range []struct {
		v         string
		args      []string
		ok, known bool
	}{
		{"2.4.58", []string{">=", "2.4.54"}, true, true},
		{"2.4.53", []string{">=", "2.4.54"}, false, true},
		{"", []string{">=", "2.4"}, true, true},
		{"", []string{"<", "2.4"}, false, true},
		{"", []string{">=", "2.4.54"}, false, false},
		{"", []string{"2.2"}, false, true},
		{"2.4.1", []string{"!=", "2.4.1"}, false, true},
	} {
		ok, known := matchVersion(tc.v, tc.args)
		if ok != tc.ok || known != tc.known {
			t.Errorf("matchVersion(%q, %q) = %v, %v; want %v, %v", tc.v, tc.args, ok, known, tc.ok, tc.known)
		}
	}
}

func TestServerModel(t *testing.T) {
	c := parseString(t, `Listen 80
KeepAliveTimeout 9
ProxyPass /shared http://s/
<VirtualHost *:80>
ServerName a
ServerAlias b c
KeepAliveTimeout 3
</VirtualHost>
<VirtualHost *:80>
ServerName d
ProxyPass / balancer://pool/
<Proxy balancer://pool>
BalancerMember http://m1:8080 ttl=2
</Proxy>
</VirtualHost>
`)
	s := c.Server()
	if len(s.VHosts) != 2 {
		t.Fatalf("vhosts = %d", len(s.VHosts))
	}
	a, d := s.VHosts[0], s.VHosts[1]
	if !reflect.DeepEqual(a.Names, []string{"a", "b", "c"}) || d.Base != a {
		t.Errorf("names %q, base %v", a.Names, d.Base == a)
	}
	if e := d.Effective("KeepAliveTimeout"); e == nil || e.Arg(0) != "9" {
		t.Errorf("d inherits main's KeepAliveTimeout: %v", e)
	}
	if len(d.Proxies) != 2 || d.Proxies[0].URL != "http://s/" || len(d.Proxies[1].Members) != 1 {
		t.Fatalf("proxies: %+v", d.Proxies)
	}
	if p, ok := d.Proxies[1].Members[0].Param("TTL"); !ok || p.Value != "2" {
		t.Errorf("member ttl: %+v", p)
	}
}
