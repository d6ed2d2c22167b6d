package parsers

import "testing"

// Apache layouts (Debian's apache2/, RHEL's httpd/, sites-enabled/, conf.d/,
// httpd's .conf.in templates) are Apache; nginx files in the same kind of
// directories stay nginx.
func TestClassifyApacheLayouts(t *testing.T) {
	vhost := "<VirtualHost *:80>\n    ServerName a\n</VirtualHost>\n"
	server := "server {\n    listen 80;\n}\n"
	for _, tc := range []struct {
		path, data string
		want       Format
	}{
		{"httpd.conf", "# only comments\n", FormatApache},
		{"apache2/apache2.conf", "Include ports.conf\n", FormatApache},
		{"docs/conf/httpd.conf.in", "ServerRoot \"@@ServerRoot@@\"\nListen @@Port@@\n", FormatApache},
		{"docs/conf/extra/httpd-vhosts.conf.in", "<VirtualHost *:@@Port@@>\n    ServerAdmin webmaster@dummy-host.example.com\n</VirtualHost>\n", FormatApache},
		{"apache2/sites-enabled/000-default.conf", vhost, FormatApache},
		{"apache2/sites-available/site", vhost, FormatApache},
		{"httpd/conf.d/proxy.conf", "ProxyPass / http://app/\n", FormatApache},
		{"apache2/conf-enabled/charset.conf", "# comment\n", FormatApache},
		{"conf.d/site.conf", vhost, FormatApache},
		{"conf.d/app.conf", server, FormatNginx},
		{"sites-enabled/default", server, FormatNginx},
		{"nginx/conf.d/empty.conf", "# nothing yet\n", FormatNginx},
		{"conf.d/notes.conf", "# nothing\n", ""},
	} {
		if got := Classify(tc.path, []byte(tc.data)); got != tc.want {
			t.Errorf("Classify(%q) = %q, want %q", tc.path, got, tc.want)
		}
	}
}
