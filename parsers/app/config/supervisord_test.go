package config

import (
	"testing"

	"github.com/hoplint/hoplint/internal/fuzzbound"
	"github.com/hoplint/hoplint/parsers"
)

func TestParseSupervisord(t *testing.T) {
	// TrafeX/docker-php-nginx's config/supervisord.conf, with a continued
	// command, a comment and a program that does not start added.
	src := "[supervisord]\nnodaemon=true\ncommand=not-a-program\n\n[program:php-fpm]\ncommand=php-fpm85 -F ; the pool\nautorestart=false\n\n" +
		"[program:nginx]\ncommand: nginx -g\n  'daemon off;'\nstartretries=0\n\n[program:worker]\ncommand=php artisan queue:work\nautostart=false\n\n[program:env]\ncommand=%(ENV_CMD)s\n"
	f := parsers.NewFile("supervisord.conf", "/x/supervisord.conf", "/x", "", []byte(src))
	progs, probs := ParseSupervisord(f)
	if len(probs) != 0 {
		t.Fatal(probs)
	}
	want := []struct {
		name, cmd          string
		line, endLine      int
		autostart, unknown bool
	}{
		{"php-fpm", "php-fpm85 -F", 6, 6, true, false},
		{"nginx", "nginx -g 'daemon off;'", 10, 11, true, false},
		{"worker", "php artisan queue:work", 15, 15, false, false},
		{"env", "%(ENV_CMD)s", 19, 19, true, true},
	}
	if len(progs) != len(want) {
		t.Fatalf("got %+v", progs)
	}
	for i, w := range want {
		p := progs[i]
		if p.Name != w.name || p.Command != w.cmd || p.Range.Start.Line != w.line || p.Range.End.Line != w.endLine || p.Autostart != w.autostart || p.Unknown != w.unknown {
			t.Errorf("program %d: got %+v, want %+v", i, p, w)
		}
	}
}

// FuzzSupervisord: no input panics or hangs, and ranges lie in the file.
func FuzzSupervisord(f *testing.F) {
	for _, s := range []string{
		"[program:a]\ncommand=php-fpm -F\n",
		"[program:b]\ncommand = gunicorn\n  -c x.py ; c\n\tapp:app\nautostart=false\n",
		"\xef\xbb\xbf[program:c\ncommand:%(here)s\n  \n[include]\nfiles=*.conf\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		fuzzbound.Check(t, func() {
			file := parsers.NewFile("supervisord.conf", "/x/supervisord.conf", "/x", "", data)
			progs, _ := ParseSupervisord(file)
			n := file.NumLines()
			for _, p := range progs {
				if p.Command != "" && (p.Range.Start.Line < 1 || p.Range.End.Line > n || p.Range.End.Line < p.Range.Start.Line) {
					t.Fatalf("range outside the file (%d lines): %v", n, p.Range)
				}
			}
		})
	})
}
