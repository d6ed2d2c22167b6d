package appserver

import (
	"strings"
	"testing"
)

// TestSupervisord: an image that runs nginx and php-fpm under supervisord
// (the shape of TrafeX/docker-php-nginx) runs php-fpm as its app server;
// one whose programs start no server hoplint knows stays unidentified.
func TestSupervisord(t *testing.T) {
	conf := "[supervisord]\nnodaemon=true\n\n[program:php-fpm]\ncommand=php-fpm85 -F\nautorestart=false\n\n[program:nginx]\ncommand=nginx -g 'daemon off;'\n"
	proc := func(files map[string]string) Process {
		root := tree(t, files)
		return Process{
			Command:   cmd("/usr/bin/supervisord", "-c", "/etc/supervisor/conf.d/supervisord.conf"),
			FromImage: Str{Value: "alpine:3.23"}, Context: ".", Files: NewFiles(root, root),
			Mounts: []Mount{{Target: "/etc/supervisor/conf.d/supervisord.conf", Source: "config/supervisord.conf"}},
		}
	}
	info := Identify(proc(map[string]string{"config/supervisord.conf": conf}))
	if !strings.HasPrefix(info.Label, "php-fpm") {
		t.Errorf("got %q, want php-fpm", info.Label)
	}
	if len(info.Sources) == 0 || info.Sources[len(info.Sources)-1].Path != "config/supervisord.conf" {
		t.Errorf("the config file must be among the sources: %v", info.Sources)
	}
	// php-fpm not started with supervisord: nothing identified.
	off := strings.Replace(conf, "autorestart=false", "autostart=false", 1)
	if info := Identify(proc(map[string]string{"config/supervisord.conf": off})); info.Label != "" {
		t.Errorf("autostart=false: got %q", info.Label)
	}
	// A config file the tree does not hold.
	if info := Identify(proc(nil)); info.Label != "" {
		t.Errorf("no config: got %q", info.Label)
	}
}
