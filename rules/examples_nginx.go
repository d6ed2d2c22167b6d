package rules

// nginx examples for the rules shared by several formats.

func init() {
	missingBodySizeLimit.Examples = append(missingBodySizeLimit.Examples,
		Example{Name: "nginx location relies on 1m", Bad: true, Archive: `-- nginx.conf --
events {}
http {
    server {
        listen 80;
        location /upload {
            proxy_pass http://127.0.0.1:8000;
        }
    }
}
`},
		Example{Name: "nginx limit set in the server", Archive: `-- nginx.conf --
events {}
http {
    server {
        listen 80;
        client_max_body_size 50m;
        location /upload {
            proxy_pass http://127.0.0.1:8000;
        }
    }
}
`})
	unboundedBodySize.Examples = append(unboundedBodySize.Examples,
		Example{Name: "nginx client_max_body_size 0", Bad: true, Archive: `-- nginx.conf --
events {}
http {
    client_max_body_size 0;
    server {
        listen 80;
    }
}
`},
		Example{Name: "nginx bounded", Archive: `-- nginx.conf --
events {}
http {
    client_max_body_size 100m;
    server {
        listen 80;
    }
}
`})
}
