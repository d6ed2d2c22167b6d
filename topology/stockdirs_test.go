package topology

import (
	"slices"
	"testing"
)

func TestStockDirs(t *testing.T) {
	cases := []struct {
		image string
		has   string // a directory StockDirs must list; "" for none at all
	}{
		{"nginx:1.25", "/etc/nginx/conf.d"},
		{"nginx", "/etc/nginx"},
		{"docker.io/library/nginx:1.27-alpine", "/etc/nginx/conf.d"},
		{"nginxinc/nginx-unprivileged:1.27", "/etc/nginx/conf.d"},
		{"bitnami/nginx:1.26", "/opt/bitnami/nginx/conf/server_blocks"},
		{"openresty/openresty:1.25.3.1-alpine", "/etc/nginx/conf.d"},
		{"httpd:2.4", "/usr/local/apache2/conf"},
		{"library/php:8.3-fpm", "/usr/local/etc/php-fpm.d"},
		{"php:8.3-apache", "/usr/local/etc/php/conf.d"},
		// Images hoplint knows only by assumption, or not at all.
		{"example.com/team/nginx:1.25", ""},
		{"myorg/php:8.3", ""},
		{"ghcr.io/acme/httpd:2.4", ""},
		{"python:3.12", ""},
		{"", ""},
	}
	for _, c := range cases {
		got := StockDirs(c.image)
		switch {
		case c.has == "" && len(got) != 0:
			t.Errorf("StockDirs(%q) = %v, want none", c.image, got)
		case c.has != "" && !slices.Contains(got, c.has):
			t.Errorf("StockDirs(%q) = %v, want it to list %s", c.image, got, c.has)
		}
	}
}
