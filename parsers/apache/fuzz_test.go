package apache

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/hoplint/hoplint/internal/fuzzbound"
	"github.com/hoplint/hoplint/parsers"
)

// FuzzParse feeds arbitrary bytes to the parser as a main file with an
// include directory beside it: it must never panic or hang, every problem
// must point into the file, and the model and checks must cope with
// whatever tree comes out.
func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"Listen 80\n<VirtualHost *:80>\nServerName a\nProxyPass / http://b/ ttl=5 keepalive=On\n</VirtualHost>\n",
		"<IfModule !mod_x.c>\n<IfDefine A>\nKeepAliveTimeout 5m\n</IfDefine>\n</IfModule>\n",
		"Define X 1\nTimeout ${X}\nInclude inc/*.conf\nInclude .\n",
		"# c \\\nKeepAlive Off\nProxyPass \"/a\" \\\n 'http://x/$1' enablereuse=on\n",
		"<Proxy balancer://p>\nBalancerMember http://m ttl=1\n</Proxy>\nProxyPass / balancer://p/ timeout=3\n",
		"<VirtualHost\n</VirtualHost >\n<Macro M $a>\nfoo\n</Macro>\nRewriteEngine On\nRewriteRule ^/(.*) http://x/$1 [P]\n",
	} {
		f.Add([]byte(s))
	}
	dir := f.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "inc"), 0o755); err != nil {
		f.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "inc", "a.conf"), []byte("Include httpd.conf\nLimitRequestBody 0\n"), 0o644); err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		fuzzbound.Check(t, func() {
			abs := filepath.Join(dir, "httpd.conf")
			file := parsers.NewFile("httpd.conf", abs, dir, parsers.FormatApache, data)
			// The included file may include httpd.conf, which must come back
			// as this data: serve it from memory.
			c := Parse(file, Options{Version: "2.4.58", Open: func(p string) (*parsers.File, error) {
				if p == abs {
					return file, nil
				}
				b, err := parsers.ReadWithin(dir, p)
				if err != nil {
					return nil, err
				}
				rel, _ := filepath.Rel(dir, p)
				return parsers.NewFile(filepath.ToSlash(rel), p, dir, parsers.FormatApache, b), nil
			}})
			n := file.NumLines()
			for _, is := range c.Issues {
				if is.Range.File == "httpd.conf" && (is.Range.Start.Line < 1 || is.Range.Start.Line > n) {
					t.Fatalf("problem outside the file (%d lines): %+v", n, is)
				}
			}
			s := c.Server()
			for _, h := range append([]*Host{s.Main}, s.VHosts...) {
				_ = h.Effective("KeepAliveTimeout")
			}
		})
	})
}
