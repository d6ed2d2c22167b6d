package config

import (
	"testing"

	"github.com/hoplint/hoplint/internal/fuzzbound"
	"github.com/hoplint/hoplint/parsers"
)

var readers = []struct {
	name string
	read func(*parsers.File) *Result
}{
	{"php.ini", ParsePHPIni}, {"www.conf", ParsePHPFPM}, {"application.properties", ParseSpringProperties},
	{"application-prod.yml", ParseSpringYAML}, {"server.xml", ParseTomcatServerXML}, {"appsettings.json", ParseKestrelJSON},
	{"gunicorn.conf.py", ParseGunicornConf}, {"uwsgi.ini", ParseUWSGIIni}, {"puma.rb", ParsePumaRB},
}

// FuzzReaders feeds the same bytes to every reader: none may panic or
// hang, and every range must lie in the file.
func FuzzReaders(f *testing.F) {
	for _, s := range []string{
		"[www]\nrequest_terminate_timeout = 5m\nupload_max_filesize = ${X:-2M}\n",
		"server.tomcat.keep-alive-timeout=${KA:PT1M}\n#---\nspring.profiles=x\n",
		"server:\n  tomcat:\n    connection-timeout: 5s\n---\na: [1,\n",
		"<Server><Connector port=\"80\" keepAliveTimeout='1' maxPostSize=\"-1\"/></Server>",
		"{\"Kestrel\":{\"Limits\":{\"KeepAliveTimeout\":\"1.02:03:04.5\",\"MaxRequestBodySize\":null,},},}",
		"bind = ['a', \"b\"]\nkeepalive = 5 ; timeout = (\n 1)\nif x:\n  keepalive = 1\n'''\n",
		"[uwsgi]\nif-env = X\nharakiri = $(H)\nendif =\n",
		"port ENV.fetch(\"PORT\") { 3000 }\nif x\n  persistent_timeout 5\nend\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		fuzzbound.Check(t, func() {
			for _, r := range readers {
				file := parsers.NewFile(r.name, "/x/"+r.name, "/x", "", data)
				res := r.read(file)
				n := file.NumLines()
				for _, s := range res.Settings {
					for _, rg := range []parsers.Range{s.Range, s.ValueRange} {
						if rg.Start.Line < 1 || rg.End.Line > n || rg.End.Line < rg.Start.Line {
							t.Fatalf("%s: range outside the file (%d lines): %v", r.name, n, rg)
						}
					}
				}
				for _, p := range res.Problems {
					if p.Range.Start.Line < 1 || p.Range.Start.Line > n {
						t.Fatalf("%s: problem outside the file: %v", r.name, p)
					}
				}
			}
		})
	})
}
