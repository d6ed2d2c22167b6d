package topology

import (
	"strings"
)

// StockDirs are directories an image is known to have before a
// Dockerfile adds anything to it: where the official nginx image, its
// unprivileged variant, OpenResty's and Bitnami's read their
// configuration, the official httpd image's conf directory and the
// official php images' ini and pool directories (docs/facts/nginx.md,
// nginx-images.md, apache.md, php.md). A COPY of one file onto one of
// them, written without a trailing slash, puts the file inside it, as
// Docker does with any existing directory (docs/facts/docker.md). An
// image hoplint knows only by assumption gives none: a wrong directory
// would move a file where the server does not read it.
func StockDirs(image string) []string {
	if image == "" {
		return nil
	}
	if lay, ok := nginxByImageAndMounts(image, nil, nil); ok && lay.assumed == "" {
		return []string{lay.dir, lay.blocks}
	}
	switch officialName(imageRef(image)) {
	case "httpd":
		return []string{apacheConfDir}
	case "php":
		return []string{"/usr/local/etc/php", "/usr/local/etc/php/conf.d", "/usr/local/etc/php-fpm.d"}
	}
	return nil
}

// officialName is the name of a Docker official image ("httpd" for
// httpd, library/httpd or docker.io/library/httpd), "" for any other
// repository.
func officialName(ref string) string {
	parts := strings.Split(ref, "/")
	if len(parts) > 1 && strings.ContainsAny(parts[0], ".:") {
		if parts[0] != "docker.io" && parts[0] != "index.docker.io" {
			return ""
		}
		parts = parts[1:]
	}
	switch {
	case len(parts) == 1:
		return parts[0]
	case len(parts) == 2 && parts[0] == "library":
		return parts[1]
	}
	return ""
}
