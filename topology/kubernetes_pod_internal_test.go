package topology

import (
	"testing"

	"github.com/hoplint/hoplint/topology/appserver"
)

// TestImageLayoutAndVersion: the version an image tag gives (none for
// latest, stable or no tag) and where the image reads its configuration.
func TestImageLayoutAndVersion(t *testing.T) {
	for _, c := range []struct {
		image, version, dir string
		assumed             bool
	}{
		{"nginx:1.29.7", "1.29.7", "/etc/nginx", false},
		{"nginx:1.27-alpine", "1.27", "/etc/nginx", false},
		{"docker.io/library/nginx:1.25.3@sha256:abc", "1.25.3", "/etc/nginx", false},
		{"nginxinc/nginx-unprivileged:1.25", "1.25", "/etc/nginx", false},
		{"public.ecr.aws/nginx/nginx:1.26", "1.26", "/etc/nginx", false},
		{"bitnami/nginx:1.26.2", "1.26.2", "/opt/bitnami/nginx/conf", false},
		{"docker.io/bitnami/nginx:1.29.8-debian-12-r3", "1.29.8", "/opt/bitnami/nginx/conf", false},
		{"nginx:latest", "", "/etc/nginx", false},
		{"nginx:stable-alpine", "", "/etc/nginx", false},
		{"nginx", "", "/etc/nginx", false},
		{"registry.example.com/team/nginx:2.0", "2.0", "/etc/nginx", true},
		{"httpd:2.4.53", "2.4.53", "", false},
	} {
		_, v := appserver.ImageName(c.image)
		if v != c.version {
			t.Errorf("%s: version %q, want %q", c.image, v, c.version)
		}
		if c.dir == "" {
			continue
		}
		l := layoutFor(c.image)
		if l.dir != c.dir || (l.assumed != "") != c.assumed {
			t.Errorf("%s: layout %s (assumed %q), want %s (assumed %v)", c.image, l.dir, l.assumed, c.dir, c.assumed)
		}
	}
}
